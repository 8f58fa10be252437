"""The 督办 section of the project page: the project's orders the user sees, and the 下达督办 button for who may."""

from django.http import HttpRequest

from halfbuilt.ledger.models import Project

from .models import SupervisionOrder


def project_panel(request: HttpRequest, project: Project) -> dict | None:
    orders = list(SupervisionOrder.objects.restrict(request.user).filter(project=project)
                  .select_related("addressee", "issuer_org"))
    can_issue = Project.objects.permits(request.user, "supervise", project)
    if not (orders or can_issue):
        return None
    return {"project": project, "orders": orders, "can_issue": can_issue}
