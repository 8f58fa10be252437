"""Who sees and does what on the campaign's own objects (not tied to a project): the selectors of
`PlanFiling` and `CriteriaVersion`, with the `restrict` / `permitted_actions` pair the workflow kernel asks of an
aggregate with its own scope (`docs/workflow.md`). Default deny."""

from django.db.models import Q, QuerySet

from halfbuilt.accounts import scope
from halfbuilt.accounts.models import Role
from halfbuilt.regions.models import RegionLevel

FILER_ROLES = {Role.DEPARTMENT, Role.REGION}


def _is_office(user) -> bool:
    return any(a.role == Role.OFFICE for a in scope.assignments(user))


def filer_org_ids(user) -> set[int]:
    """The organizations the user files for (a competent department's or a government's role)."""
    return {a.organization_id for a in scope.assignments(user) if a.role in FILER_ROLES}


def criteria_lines(user) -> set[str]:
    """Department lines whose criteria the user records: the line's own department at the top level."""
    return {a.organization.department_id for a in scope.assignments(user)
            if a.role == Role.DEPARTMENT and a.organization.department_id
            and a.organization.region.level == RegionLevel.PROVINCE}


class PlanFilingQuerySet(QuerySet):
    def restrict(self, user, action: str = "view") -> "PlanFilingQuerySet":
        """The office sees every filing; a filer its own organization's."""
        if _is_office(user):
            return self.all()
        return self.filter(organization_id__in=filer_org_ids(user))

    def permitted_actions(self, user, obj, scopes: set[str]) -> set[str]:
        held = set()
        if "campaign_review" in scopes and _is_office(user):
            held.add("campaign_review")
        if "campaign_file" in scopes and obj.organization_id in filer_org_ids(user):
            held.add("campaign_file")
        return held


class CriteriaQuerySet(QuerySet):
    def restrict(self, user, action: str = "view") -> "CriteriaQuerySet":
        """Criteria are the campaign's published rules: whoever works on projects reads them; a department line
        records (`record`) its own."""
        if action == "record":
            return self.filter(department_id__in=criteria_lines(user))
        if any(a.role in scope.ACTIONS["view"] for a in scope.assignments(user)):
            return self.all()
        return self.filter(Q(pk__in=[]))
