"""Retention of the audit trail: change-log and sign-in entries older than AUDIT_RETENTION_DAYS are purged
daily by the worker (`halfbuilt run_huey`), or by hand with `halfbuilt audit_purge`. The worker also seals new
change-log entries into the tamper-evident chain each minute and verifies yesterday's every morning, telling the
audit administrators when it fails (audit/chain.py).

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

from . import chain
from .models import ChangeLog

MINIMUM_RETENTION_DAYS = 190


def retention_days() -> int:
    return max(MINIMUM_RETENTION_DAYS, int(settings.AUDIT_RETENTION_DAYS))


def cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=retention_days())


def expired(now: dt.datetime | None = None) -> dict:
    """Querysets of the entries past retention, by what they are. Change-log entries leave as a prefix of the
    sealed chain (seal first)."""
    before = cutoff(now)
    return {
        "changelog": ChangeLog.objects.filter(seq__lte=chain.purgeable_through(before)),
        "signin": SignInEvent.objects.filter(at__lt=before),
        "axes_log": AccessLog.objects.filter(attempt_time__lt=before),
        "axes_failure": AccessFailureLog.objects.filter(attempt_time__lt=before),
        "axes_attempt": AccessAttempt.objects.filter(attempt_time__lt=before),
    }


@transaction.atomic
def purge_expired(now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Delete entries older than the retention period; returns how many of each kind (would be) deleted."""
    chain.seal()
    counts = {}
    through = chain.purgeable_through(cutoff(now))
    for name, queryset in expired(now).items():
        if name == "changelog" and not dry_run and (n := queryset.count()):
            chain.checkpoint(through, n)  # where verification starts once these are gone
        counts[name] = queryset.count() if dry_run else queryset.delete()[0]
    return counts


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_audit_trail() -> dict[str, int]:
    return purge_expired()


@db_periodic_task(crontab(minute="*"))
def seal_change_log() -> int:
    return chain.seal()


@db_periodic_task(crontab(hour="6", minute="5"))
def verify_change_log(today: dt.date | None = None) -> chain.Finding | None:
    """Yesterday's entries (and everything after them) checked against the chain; the audit administrators are
    told at once when it fails."""
    today = today or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=1), dt.time.min))
    finding = chain.verify(since=start)
    if finding is not None:
        alert_auditors(finding)
    return finding


def alert_auditors(finding: chain.Finding) -> None:
    from django.urls import reverse

    from halfbuilt.accounts.models import Role, User
    from halfbuilt.notifications.services import notify

    auditors = User.objects.filter(is_active=True, role_assignments__role=Role.AUDITOR).distinct()
    notify(event="audit_chain_broken", recipients=list(auditors), title=finding.message,
           url=reverse("audit:changelog_search"), key=f"audit-chain:{finding.kind}:{finding.seq or finding.entry_id}")
