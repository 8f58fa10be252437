from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from halfbuilt.accounts.scope import can_read_audit

from .models import ChangeLog


def changelog_search(request: HttpRequest) -> HttpResponse:
    if not can_read_audit(request.user):
        raise Http404
    entries = ChangeLog.objects.filter(classified=False)[:100]
    return render(request, "audit/changelog_search.html", {"entries": entries})
