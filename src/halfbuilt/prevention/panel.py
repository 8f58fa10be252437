"""The project page's section on merges: the project this one was merged into, or those merged into it."""

from django.db.models import Q
from django.http import HttpRequest

from halfbuilt.ledger.models import Project

from .models import MergeProposal, MergeStatus


def project_panel(request: HttpRequest, project: Project) -> dict | None:
    # The project's page already passed its scope; the other side is shown only when the user sees it too.
    visible = Project.objects.restrict(request.user).values("pk")
    merges = list(MergeProposal.objects.filter(Q(kept=project) | Q(merged=project), status=MergeStatus.MERGED)
                  .filter(kept__in=visible, merged__in=visible).select_related("kept", "merged"))
    return {"project": project, "merges": merges} if merges else None
