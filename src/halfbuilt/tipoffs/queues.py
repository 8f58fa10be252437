"""Tip-off queues for the moderators' home page: waiting, and overdue among them (TIPOFF_OVERDUE_DAYS); the
overdue one is also the dashboard's figure (supervision/dashboard/views.py), linking to the list filtered alike."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from halfbuilt.core.queues import QueueCount

from . import selectors
from .scope import moderates

OVERDUE = _("线索已逾期")


def _waiting(user):
    return selectors.queue(user).filter(status="received")


def overdue(user) -> QueueCount | None:
    """The tip-offs waiting past their days in the user's moderation scope (None: the user moderates none); its
    link is the moderation list's ?overdue=1, which lists exactly these."""
    return _overdue(user) if moderates(user) else None


def _overdue(user) -> QueueCount:
    return QueueCount("tipoffs_overdue", OVERDUE, _waiting(user).overdue().count(),
                      f"{reverse('tipoffs:queue')}?overdue=1", _("超过处理期限仍未答复"), standing=False, urgent=True)


def queue_counts(user) -> list[QueueCount]:
    if not moderates(user):
        return []
    return [
        QueueCount("tipoffs_waiting", _("线索待处理"), _waiting(user).count(), reverse("tipoffs:queue"),
                   _("受理为新项目、关联已有项目或不予受理")),
        _overdue(user),
    ]
