"""Telling the addressee of a 督办: when it is issued, when its reply falls due within a few days, and every day
it is overdue (through the notifications app, which keeps each to once a day)."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from halfbuilt.core.request_context import Actor
from halfbuilt.notifications.events import DUE_SOON_DAYS
from halfbuilt.notifications.reminders import REMINDER_HOUR
from halfbuilt.notifications.services import notify

from .models import SupervisionOrder
from .states import AWAITING_REPLY


def _title(order: SupervisionOrder) -> str:
    return f"{order.doc_no} {order.reason[:40]}"


def _tell(order: SupervisionOrder, event: str, key: str, actor: Actor | None = None):
    return notify(event=event, recipients=[order.addressee], title=_title(order),
                  url=reverse("orders:detail", args=[order.pk]), key=f"order:{order.pk}:{key}", actor=actor,
                  project=order.project_id)


def order_issued(order: SupervisionOrder, actor: Actor) -> None:
    _tell(order, "order_received", "received", actor)


def order_reminders(today: dt.date) -> int:
    """Reply due within DUE_SOON_DAYS, or overdue: one reminder a day to the addressee's users."""
    waiting = SupervisionOrder.objects.filter(status__in=AWAITING_REPLY).select_related("addressee")
    sent = 0
    for order in waiting.filter(Q(deadline__lt=today) | Q(deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS))):
        overdue = order.deadline < today
        result = _tell(order, "order_reply_overdue" if overdue else "order_reply_due",
                       "overdue" if overdue else "reply_due")
        sent += len(result.notifications)
    return sent


@db_periodic_task(crontab(minute="5"))
def daily_order_reminders() -> int | None:
    """At the notifications' reminder hour, local time (huey's crontab runs on UTC, so it wakes every hour)."""
    if timezone.localtime().hour != REMINDER_HOUR:
        return None
    return order_reminders(timezone.localdate())
