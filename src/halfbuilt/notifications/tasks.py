"""The worker's part: deliveries after commit (and their retries), and (the daily reminders are in reminders.py).

A delivery is claimed by a conditional update (pending/failed → sending), so a retry sweep and a first attempt
never send the same message twice; a failure is recorded with the next attempt's time, backing off, and given up
after MAX_ATTEMPTS."""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .channels import SENDERS
from .models import Delivery, DeliveryStatus

log = logging.getLogger(__name__)
S = DeliveryStatus
MAX_ATTEMPTS = 5
FIRST_RETRY = dt.timedelta(minutes=5)  # doubled after each failure
STALE = dt.timedelta(minutes=30)  # a delivery left "sending" this long (a worker died) is tried again


def attempt(pk: int) -> str | None:
    """Try one delivery once; its new status, or None when someone else holds it or it is done."""
    claim = {"status": S.SENDING, "next_attempt_at": timezone.now() + STALE}
    if not Delivery.objects.filter(pk=pk, status__in=[S.PENDING, S.FAILED]).update(**claim):
        return None
    delivery = Delivery.objects.select_related("notification").get(pk=pk)
    attempts = delivery.attempts + 1
    try:
        SENDERS[delivery.channel](delivery)
    except Exception as exc:  # any failure of the far side is recorded, never raised to a user
        status = S.GAVE_UP if attempts >= MAX_ATTEMPTS else S.FAILED
        log.warning("notification delivery %s (%s) failed, attempt %s: %s", pk, delivery.channel, attempts, exc)
        Delivery.objects.filter(pk=pk).update(
            status=status, attempts=attempts, last_error=str(exc)[:500],
            next_attempt_at=timezone.now() + FIRST_RETRY * 2 ** (attempts - 1),
        )
        return status
    Delivery.objects.filter(pk=pk).update(status=S.SENT, attempts=attempts, sent_at=timezone.now(), last_error="",
                                        next_attempt_at=None)
    return S.SENT


@db_task()
def deliver(ids: list[int]) -> None:
    for pk in ids:
        attempt(pk)


def due_for_retry(now: dt.datetime | None = None):
    now = now or timezone.now()
    return Delivery.objects.filter(
        Q(status__in=[S.FAILED, S.SENDING], next_attempt_at__lte=now)
        | Q(status=S.PENDING, created_at__lte=now - FIRST_RETRY)  # its first attempt was lost (worker down)
    )


def retry_failed(now: dt.datetime | None = None) -> int:
    """Try again what failed and is due; returns how many were tried."""
    stale = due_for_retry(now).filter(status=S.SENDING)
    stale.update(status=S.FAILED)
    ids = list(due_for_retry(now).values_list("pk", flat=True))
    for pk in ids:
        attempt(pk)
    return len(ids)


@db_periodic_task(crontab(minute="*/5"))
def retry_deliveries() -> int:
    return retry_failed()
