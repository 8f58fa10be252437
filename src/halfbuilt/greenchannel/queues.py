"""Green-channel work queues for the home page: an authority's items to handle (and overdue among them), the
unit's items waiting for its 补正."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.scope import holds_action
from halfbuilt.core.queues import QueueCount

from . import selectors
from .models import Item
from .scope import is_authority
from .states import RUNNING, ItemStatus


def queue_counts(user) -> list[QueueCount]:
    index = reverse("greenchannel:index")
    items = []
    if is_authority(user):
        mine = selectors.addressed(user)
        items += [
            QueueCount("green_to_handle", _("绿色通道待办事项"), mine.filter(status__in=RUNNING).count(), index,
                       _("受理、办结或要求补正，在办理时限内办理")),
            QueueCount("green_overdue", _("绿色通道超期事项"), mine.filter(selectors.overdue_q()).count(),
                       f"{index}?overdue=1", _("已超过办理时限，请尽快办理"), standing=False, urgent=True),
        ]
    if holds_action(user, "green_file"):
        owed = Item.objects.restrict(user, "supply").filter(status=ItemStatus.SUPPLEMENT).count()
        items.append(QueueCount("green_supplement", _("绿色通道待补正"), owed, f"{index}?status=supplement",
                                _("按审批部门的要求补正材料，补正后恢复计时"), standing=False))
    return items
