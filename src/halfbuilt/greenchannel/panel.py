"""The 绿色通道 section of the project page: the project's requests and the items the user sees, each with its
clock, and the 申请绿色通道 button for who may file."""

from django.http import HttpRequest

from halfbuilt.ledger.models import Project

from . import clocks, selectors


def project_panel(request: HttpRequest, project: Project) -> dict | None:
    items = list(selectors.items(request.user).filter(project=project))
    can_file = not project.classified and Project.objects.permits(request.user, "green_file", project)
    if not (items or can_file):
        return None
    return {"project": project, "rows": [(i, clocks.clock_of(i)) for i in items], "can_file": can_file}
