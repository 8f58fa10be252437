"""What a 督办 may be issued on, by whom, and to whom (主送).

- On a project: whoever holds `supervise` on it (the office: any project it sees; a department: its field
  within its region, its classified projects included). The addressee is the project's responsible unit, its
  county or league government, or its competent department (the region's or the league's); for a classified
  project only a department of its line.
- On an organisation, for its projects: the office addresses any league/county government or department; a
  department the governments within its region and the departments of its line there.
"""

from __future__ import annotations

from django.db.models import Q

from halfbuilt.accounts.models import Organization, OrgKind, Role
from halfbuilt.accounts.scope import NOTHING, assignments, region_within
from halfbuilt.ledger.models import Project
from halfbuilt.regions.models import RegionLevel

SUBJECT_KINDS = (OrgKind.GOVERNMENT, OrgKind.DEPARTMENT)


def _issuing(user) -> list:
    """The user's office and department assignments, the office first."""
    found = [a for a in assignments(user) if a.role in (Role.OFFICE, Role.DEPARTMENT)]
    return sorted(found, key=lambda a: a.role != Role.OFFICE)


def may_issue(user) -> bool:
    return bool(_issuing(user))


def issuer_for_project(user, project: Project) -> Organization | None:
    """The organisation on whose behalf `user` issues on `project` (None: the user may not)."""
    for a in _issuing(user):
        org = a.organization
        if a.role == Role.OFFICE and not project.classified:
            return org
        if (a.role == Role.DEPARTMENT and org.department_id and org.department_id == project.department_id
                and region_within(project.region, org.region)):
            return org
    return None


def addressees_for_project(project: Project) -> list[Organization]:
    """The organisations a 督办 on `project` may be addressed to, most direct first."""
    department_orgs = Q(kind=OrgKind.DEPARTMENT, department_id=project.department_id) & (
        Q(region_id=project.prefecture_id) | Q(region__level=RegionLevel.PROVINCE)
    ) if project.department_id else NOTHING
    if project.classified:
        return list(Organization.objects.filter(department_orgs).order_by("-region_id", "name"))
    governments = Q(kind=OrgKind.GOVERNMENT, region_id__in={project.region_id, project.prefecture_id} - {None})
    unit = Q(pk=project.responsible_org_id) if project.responsible_org_id else NOTHING
    found = {o.pk: o for o in Organization.objects.filter(unit | governments | department_orgs)}
    rank = {OrgKind.UNIT: 0, OrgKind.GOVERNMENT: 1, OrgKind.DEPARTMENT: 2}
    return sorted(found.values(), key=lambda o: (rank.get(o.kind, 3), -len(o.region_id or ""), o.region_id, o.name))


def subjects_for(user) -> tuple[Organization | None, Q]:
    """(issuer, the organisations it may issue on); (None, nothing) for who may not issue on organisations."""
    for a in _issuing(user):
        org = a.organization
        if a.role == Role.OFFICE:
            return org, Q(kind__in=SUBJECT_KINDS)
        if a.role == Role.DEPARTMENT and org.department_id:
            return org, (Q(kind=OrgKind.GOVERNMENT) | Q(kind=OrgKind.DEPARTMENT, department_id=org.department_id)) \
                & _org_within(org) & ~Q(pk=org.pk)
    return None, NOTHING


def _org_within(org: Organization) -> Q:
    """Organisations located in `org`'s region subtree."""
    region = org.region
    if region.level == RegionLevel.PROVINCE:
        return Q(pk__isnull=False)
    if region.level == RegionLevel.PREFECTURE:
        return Q(region_id=region.code) | Q(region__parent_id=region.code)
    return Q(region_id=region.code)


def subject_choices(user):
    """The organisations `user` may issue a 督办 on, by region and name."""
    issuer, allowed = subjects_for(user)
    if issuer is None:
        return Organization.objects.none()
    return Organization.objects.filter(allowed).select_related("region").order_by("region_id", "kind", "name")
