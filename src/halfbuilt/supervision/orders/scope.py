"""Who sees a 督办 and who acts on it (the kernel's own-scope contract: `restrict` and `permitted_actions`).

Sees it: the office, the issuing organisation, the addressee, and — read only — whoever may see its project.
A classified project's orders exist only for those who see the project (its owning department line): the office
does not, and neither does an addressee or issuer outside that line (the services never make one).
Acts on it: the addressee's people reply (`reply`); the issuer's office or department people accept or return
(`review`).
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from halfbuilt.accounts.models import Role
from halfbuilt.accounts.scope import NOTHING, assignments

from .states import AWAITING_REPLY

PROJECT_ROLES = {Role.OFFICE, Role.DEPARTMENT, Role.REGION, Role.UNIT}
ISSUER_ROLES = {Role.OFFICE, Role.DEPARTMENT}
ORDER_ACTIONS = ("view", "reply", "review")


def member_orgs(user, roles: set[str] = PROJECT_ROLES) -> set[int]:
    """The organisations where the user holds one of `roles`."""
    return {a.organization_id for a in assignments(user) if a.role in roles}


def is_office(user) -> bool:
    return any(a.role == Role.OFFICE for a in assignments(user))


def order_filter(user, action: str = "view") -> Q:
    if action not in ORDER_ACTIONS:
        return NOTHING
    mine = member_orgs(user)
    if not mine:
        return NOTHING
    projects = apps.get_model("ledger", "Project").objects.restrict(user, "view").values("pk")
    sees_project = Q(project__in=projects)
    open_orders = Q(project__isnull=True) | Q(project__classified=False)
    # The office sees every order not on a classified project (an empty Q would be dropped from an OR: say so).
    parties = Q(pk__isnull=False) if is_office(user) else Q(issuer_org__in=mine) | Q(addressee__in=mine)
    seen = sees_project | (open_orders & parties)
    if action == "reply":
        return seen & Q(addressee__in=mine)
    if action == "review":
        return seen & Q(issuer_org__in=member_orgs(user, ISSUER_ROLES))
    return seen


def overdue_q(today: dt.date | None = None) -> Q:
    """Orders whose reply is owed and whose deadline passed before `today` (default: today): on the deadline day
    itself an order is not overdue yet."""
    return Q(status__in=AWAITING_REPLY, deadline__lt=today or timezone.localdate())


class OrderQuerySet(QuerySet):
    def restrict(self, user, action: str = "view") -> OrderQuerySet:
        """The one selector for 督办: what `user` may `action` (view, reply, review); default deny."""
        return self.filter(order_filter(user, action))

    def permitted_actions(self, user, obj, scopes: set[str]) -> set[str]:
        """Which of `scopes` the user holds on `obj` (visible to the user: the kernel locked it through
        `restrict`). Decided from the order's two organisations, no query."""
        held = set()
        if "reply" in scopes and obj.addressee_id in member_orgs(user):
            held.add("reply")
        if "review" in scopes and obj.issuer_org_id in member_orgs(user, ISSUER_ROLES):
            held.add("review")
        return held

    def overdue(self, today: dt.date | None = None) -> OrderQuerySet:
        return self.filter(overdue_q(today))
