"""The criteria section of a candidate's project page: the competent department's criteria in force, shown to
whoever confirms the project into the ledger (纳入台账) — what "半拉子" means in its field."""

from django.http import HttpRequest

from halfbuilt.ledger.models import Project, Status

from . import selectors


def criteria_panel(request: HttpRequest, project: Project) -> dict | None:
    if project.status != Status.CANDIDATE or not Project.objects.permits(request.user, "confirm", project):
        return None
    return {"project": project, "criteria": selectors.criteria_in_force(project.department_id)}
