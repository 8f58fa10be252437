from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Project


def project_list(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.restrict(request.user).select_related("region", "category")[:50]
    return render(request, "ledger/project_list.html", {"projects": projects})
