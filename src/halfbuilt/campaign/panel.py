"""The criteria section of a candidate's project page: the competent department's criteria in force, shown to
whoever confirms the project into the ledger (纳入台账) — what "半拉子" means in its field."""

from django.http import HttpRequest

from halfbuilt.accounts import scope
from halfbuilt.accounts.models import Role
from halfbuilt.ledger.models import Project, Status

from . import selectors


def criteria_panel(request: HttpRequest, project: Project) -> dict | None:
    if project.status != Status.CANDIDATE or not Project.objects.permits(request.user, "confirm", project):
        return None
    return {"project": project, "criteria": selectors.criteria_in_force(project.department_id)}


def candidates_note(request: HttpRequest) -> dict | None:
    """Above the candidates (the list filtered to 待核实): the criteria in force of the lines the user confirms
    for — a department its own line; the office every line, as a link to them all."""
    user = request.user
    if not scope.holds_action(user, "confirm"):
        return None
    office = any(a.role == Role.OFFICE for a in scope.assignments(user))
    lines = {a.organization.department_id for a in scope.assignments(user)
             if a.role == Role.DEPARTMENT and a.organization.department_id}
    in_force = [v for v in (selectors.criteria_in_force(code) for code in sorted(lines)) if v]
    if not (office or lines):
        return None
    return {"criteria": in_force, "all_lines": office}
