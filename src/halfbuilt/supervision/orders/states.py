"""The states of a 督办 (the kernel's table is workflow.py), apart from the models so the selector can use them."""

from django.db import models


class OrderStatus(models.TextChoices):
    ISSUED = "issued", "待回复"
    REPLIED = "replied", "已回复待审核"
    RETURNED = "returned", "已退回待重新回复"
    CLOSED = "closed", "已办结"


# States in which the addressee owes a reply: past the deadline in one of them, the order is overdue.
AWAITING_REPLY = (OrderStatus.ISSUED, OrderStatus.RETURNED)
