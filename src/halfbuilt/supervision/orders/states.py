"""The states of a 督办 (the kernel's table is workflow.py), apart from the models so the selector can use them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    ISSUED = "issued", _("待回复")
    REPLIED = "replied", _("已回复待审核")
    RETURNED = "returned", _("已退回待重新回复")
    CLOSED = "closed", _("已办结")


# States in which the addressee owes a reply: past the deadline in one of them, the order is overdue.
AWAITING_REPLY = (OrderStatus.ISSUED, OrderStatus.RETURNED)
# Not yet closed (未办结, 挂牌 not yet taken down): the lists' filter value "open".
OPEN = (*AWAITING_REPLY, OrderStatus.REPLIED)
OPEN_FILTER = "open"
