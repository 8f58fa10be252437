"""Who sees a 通报 and who acts on it (the kernel's own-scope contract: `restrict` and `permitted_actions`).

Sees it: the office sees every circular, drafts included; the people of an addressee (主送) see the published
ones addressed to their organisation, and nobody else does. Acts on it: the issuing office's people edit and
publish a draft (`edit`, `publish`).
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q, QuerySet

from halfbuilt.accounts.models import Role
from halfbuilt.accounts.scope import NOTHING, assignments

CIRCULAR_ACTIONS = ("view", "edit", "publish")
PUBLISHED = "published"


def office_orgs(user) -> set[int]:
    return {a.organization_id for a in assignments(user) if a.role == Role.OFFICE}


def member_orgs(user) -> set[int]:
    return {a.organization_id for a in assignments(user)
            if a.role in (Role.OFFICE, Role.DEPARTMENT, Role.REGION, Role.UNIT)}


def circular_filter(user, action: str = "view") -> Q:
    if action not in CIRCULAR_ACTIONS:
        return NOTHING
    offices = office_orgs(user)
    if action != "view":
        return Q(issuer_org__in=offices) if offices else NOTHING
    if offices:
        return Q(pk__isnull=False)  # every circular (an empty Q would be dropped from an OR: say so)
    mine = member_orgs(user)
    if not mine:
        return NOTHING
    # A subquery, not a join: the kernel locks the row FOR UPDATE, which a join's DISTINCT would forbid.
    through = apps.get_model("circulars", "Circular").addressees.through
    addressed = through.objects.filter(organization_id__in=mine).values("circular_id")
    return Q(status=PUBLISHED, pk__in=addressed)


def sees_any(user) -> bool:
    """Whether the menu shows 通报: the office, or someone a published circular is addressed to."""
    if not getattr(user, "is_authenticated", False):
        return False
    if office_orgs(user):
        return True
    return apps.get_model("circulars", "Circular").objects.restrict(user).exists()


class CircularQuerySet(QuerySet):
    def restrict(self, user, action: str = "view") -> CircularQuerySet:
        """The one selector for 通报: what `user` may `action` (view, edit, publish); default deny."""
        return self.filter(circular_filter(user, action))

    def permitted_actions(self, user, obj, scopes: set[str]) -> set[str]:
        """Which of `scopes` the user holds on `obj`: the issuing office's people edit and publish."""
        if obj.issuer_org_id in office_orgs(user):
            return {s for s in scopes if s in ("edit", "publish")}
        return set()
