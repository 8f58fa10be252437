"""Tip-off queues for the moderators' home page: waiting, and overdue among them (TIPOFF_OVERDUE_DAYS)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from halfbuilt.core.queues import QueueCount

from . import selectors
from .scope import moderates


def queue_counts(user) -> list[QueueCount]:
    if not moderates(user):
        return []
    url = reverse("tipoffs:queue")
    waiting = selectors.queue(user).filter(status="received")
    return [
        QueueCount("tipoffs_waiting", _("线索待处理"), waiting.count(), url,
                   _("受理为新项目、关联已有项目或不予受理")),
        QueueCount("tipoffs_overdue", _("线索已逾期"), waiting.overdue().count(), f"{url}?overdue=1",
                   _("超过处理期限仍未答复"), standing=False, urgent=True),
    ]
