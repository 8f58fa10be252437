"""Retention of the audit trail: change-log and sign-in entries older than AUDIT_RETENTION_DAYS are purged
daily by the worker (`halfbuilt run_huey`), or by hand with `halfbuilt audit_purge`.

The Cybersecurity Law asks for at least six months, so anything below 190 days is refused here as well as
in the settings. This queryset delete is the only way entries leave the log: `ChangeLog.delete()` on one
entry raises on purpose.
"""

import datetime as dt

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from halfbuilt.accounts.models import SignInEvent

from .models import ChangeLog

MINIMUM_RETENTION_DAYS = 190


def retention_days() -> int:
    return max(MINIMUM_RETENTION_DAYS, int(settings.AUDIT_RETENTION_DAYS))


def cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=retention_days())


def expired(now: dt.datetime | None = None) -> dict:
    """Querysets of the entries past retention, by what they are."""
    before = cutoff(now)
    return {
        "changelog": ChangeLog.objects.filter(at__lt=before),
        "signin": SignInEvent.objects.filter(at__lt=before),
        "axes_log": AccessLog.objects.filter(attempt_time__lt=before),
        "axes_failure": AccessFailureLog.objects.filter(attempt_time__lt=before),
        "axes_attempt": AccessAttempt.objects.filter(attempt_time__lt=before),
    }


@transaction.atomic
def purge_expired(now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Delete entries older than the retention period; returns how many of each kind (would be) deleted."""
    counts = {}
    for name, queryset in expired(now).items():
        counts[name] = queryset.count() if dry_run else queryset.delete()[0]
    return counts


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_audit_trail() -> dict[str, int]:
    return purge_expired()
