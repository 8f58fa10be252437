"""The closure section of the project page: its closure requests and 回头看 checks, and the way to request."""

from django.http import HttpRequest

from halfbuilt.accounts.people import people_for
from halfbuilt.ledger.models import Project

from . import services
from .models import ClosureRequest, FollowUpCheck


def project_panel(request: HttpRequest, project: Project) -> dict | None:
    """The page already checked that the user sees `project`; everything here belongs to it."""
    requests = list(ClosureRequest.objects.filter(project=project).prefetch_related("evidence"))
    checks = list(FollowUpCheck.objects.filter(project=project).select_related("sample").order_by("-sample__drawn_at"))
    can_request = services.can_request(request.user, project)
    if not (requests or checks or can_request):
        return None
    people_for(request).want(*(r.closed_by for r in requests))
    return {
        "project": project,
        "requests": requests,
        "checks": checks,
        "can_request": can_request,
        "failed": [c for c in checks if c.result == "failed"],
    }
