from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from .scope import can_read_audit


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands where its work is: the audit admin on the change log, everyone else on the ledger."""
    if can_read_audit(request.user):
        return redirect("audit:changelog_search")
    return redirect("ledger:project_list")
