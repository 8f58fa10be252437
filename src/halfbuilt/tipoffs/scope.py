"""Who moderates a tip-off (the kernel's own-scope contract: `restrict` and `permitted_actions`): the office,
and the government of the region of the reported place (a league's sees its counties'). Nobody else sees one;
the reporter follows it by its code on the portal, which shows only the status and the public answer."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from halfbuilt.accounts.models import Role
from halfbuilt.accounts.scope import NOTHING, assignments, region_q

MODERATOR_ROLES = {Role.OFFICE, Role.REGION}
ACTIONS = ("view", "moderate")


def tipoff_filter(user, action: str = "view") -> Q:
    if action not in ACTIONS:
        return NOTHING
    result = NOTHING
    for assignment in assignments(user):
        if assignment.role == Role.OFFICE:
            return Q(pk__isnull=False)  # an empty Q would vanish from an OR
        if assignment.role == Role.REGION:
            result |= region_q(assignment.organization.region) or Q(pk__isnull=False)
    return result


def moderates(user) -> bool:
    return any(a.role in MODERATOR_ROLES for a in assignments(user))


class TipOffQuerySet(QuerySet):
    def restrict(self, user, action: str = "view") -> TipOffQuerySet:
        """The one selector for tip-offs; default deny."""
        return self.filter(tipoff_filter(user, action))

    def permitted_actions(self, user, obj, scopes: set[str]) -> set[str]:
        """Whoever sees a tip-off (the kernel locked it through `restrict`) moderates it."""
        return {s for s in scopes if s in ACTIONS} if moderates(user) else set()

    def overdue(self, days: int | None = None) -> TipOffQuerySet:
        """Tip-offs still waiting after TIPOFF_OVERDUE_DAYS days."""
        import datetime as dt

        from django.conf import settings
        from django.utils import timezone

        days = settings.TIPOFF_OVERDUE_DAYS if days is None else days
        return self.filter(status="received", created_at__lt=timezone.now() - dt.timedelta(days=days))
