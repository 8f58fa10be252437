"""Who a notification reaches: the users holding a scope action on a project, and the users of an organization.

`holders` narrows the candidates in SQL by the organizations whose grant could cover the project, then asks the
scope selector itself (`Project.objects.restrict(user, action)`) of each: the rule stays in accounts/scope.py."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from halfbuilt.accounts import scope
from halfbuilt.accounts.models import Organization, Role, RoleAssignment, User
from halfbuilt.ledger.models import Project
from halfbuilt.regions.models import RegionLevel


def _roles_for(action: str, project: Project) -> set[str]:
    roles = set(scope.ACTIONS.get(action, set()))
    if project.classified and action in scope.CLASSIFIED_SELF_SERVICE:
        roles.add(Role.DEPARTMENT)
    return roles


def _covering(project: Project, *, local: bool) -> Q:
    """Role assignments whose organization's region holds the project (`local`: the project's own region only)."""
    own = Q(organization__region_id=project.region_id)
    if local:
        return own
    return own | Q(organization__region_id=project.prefecture_id) | Q(organization__region__level=RegionLevel.PROVINCE)


def holders(project: Project, action: str, *, local: bool = False) -> list[User]:
    """Users who hold `action` on `project`. `local`: of the governments (盟市/旗县 role), only the project's own
    region's — the one that acts for its units (a plan sent back goes to the county, not to the whole league)."""
    roles = _roles_for(action, project)
    candidates = Q(pk__in=[])
    if Role.OFFICE in roles:
        candidates |= Q(role=Role.OFFICE)
    if Role.DEPARTMENT in roles and project.department_id:
        candidates |= (Q(role=Role.DEPARTMENT, organization__department_id=project.department_id)
                       & _covering(project, local=False))
    if Role.REGION in roles:
        candidates |= Q(role=Role.REGION) & _covering(project, local=local)
    if Role.UNIT in roles and project.responsible_org_id:
        candidates |= Q(role=Role.UNIT, organization_id=project.responsible_org_id)
    user_ids = set(RoleAssignment.objects.filter(candidates).values_list("user_id", flat=True))
    users = User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk")
    return [user for user in users if Project.objects.restrict(user, action).filter(pk=project.pk).exists()]


def users_of(recipients: Iterable[User | Organization]) -> list[User]:
    """Users as given, and for an organization the users holding a role in it; each once, active only."""
    user_ids: list[int] = []
    org_ids: list[int] = []
    for recipient in recipients:
        if isinstance(recipient, Organization):
            org_ids.append(recipient.pk)
        elif isinstance(recipient, User):
            user_ids.append(recipient.pk)
        else:
            raise TypeError(f"a recipient is a User or an Organization, not {type(recipient).__name__}")
    if org_ids:
        user_ids += RoleAssignment.objects.filter(organization_id__in=org_ids).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=set(user_ids), is_active=True).order_by("pk"))
