"""Which projects a roll-up covers, and who may submit and read roll-ups.

A roll-up belongs to an organization, not to a user: a league or county government covers its region
subtree, a competent department covers its department line within its region subtree, the office covers the
province. Classified projects are cleared by their own departments (work plan §二) and stay out of every
roll-up, so a roll-up and its spreadsheet can go to the office without leaking them.

This sits here rather than in `accounts/scope.py` because only roll-ups need an organization's scope; if a
second app needs it, it belongs there.
"""

from django.db.models import Q

from halfbuilt.accounts import scope
from halfbuilt.accounts.models import Organization, OrgKind, Role

# Roles that submit a roll-up for the organization they hold the role in.
ROLLUP_ROLES = {Role.REGION, Role.DEPARTMENT}


def org_projects_q(organization: Organization) -> Q:
    """The projects an organization's roll-up covers (a Q over Project)."""
    not_classified = Q(classified=False)
    match organization.kind:
        case OrgKind.OFFICE:
            return not_classified
        case OrgKind.GOVERNMENT:
            return scope.region_q(organization.region) & not_classified
        case OrgKind.DEPARTMENT if organization.department_id:
            return Q(department_id=organization.department_id) & scope.region_q(organization.region) & not_classified
    return scope.NOTHING


def rollup_organizations(user) -> list[Organization]:
    """Organizations this user submits a roll-up for: where they hold the region or department role."""
    orgs = {}
    for assignment in scope.assignments(user):
        org = assignment.organization
        if assignment.role in ROLLUP_ROLES and org.kind in (OrgKind.GOVERNMENT, OrgKind.DEPARTMENT):
            orgs[org.pk] = org
    return sorted(orgs.values(), key=lambda o: (o.region_id, o.name))


def is_office(user) -> bool:
    return any(a.role == Role.OFFICE for a in scope.assignments(user))


def rollups_q(user) -> Q:
    """Roll-ups the user may read (a Q over Rollup): the office reads all, others their own organizations'."""
    if is_office(user):
        return Q()
    orgs = [o.pk for o in rollup_organizations(user)]
    return Q(organization_id__in=orgs) if orgs else Q(pk__in=[])
