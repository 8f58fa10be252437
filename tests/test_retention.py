"""Audit retention: entries older than AUDIT_RETENTION_DAYS (never less than 190) are purged; nothing newer."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from halfbuilt.accounts.models import SignInEvent
from halfbuilt.audit.models import ChangeLog
from halfbuilt.audit.tasks import purge_audit_trail, purge_expired


def aged(days: int) -> tuple[ChangeLog, SignInEvent]:
    at = timezone.now() - dt.timedelta(days=days)
    log = ChangeLog.objects.create(
        username="office", action="update", object_type="project", object_id=days, object_repr=f"项目{days}"
    )
    ChangeLog.objects.filter(pk=log.pk).update(at=at)  # the retention path is the queryset; so is ageing
    event = SignInEvent.objects.create(username="office", succeeded=True)
    SignInEvent.objects.filter(pk=event.pk).update(at=at)
    return log, event


def remaining() -> set[int]:
    return {int(i) for i in ChangeLog.objects.values_list("object_id", flat=True)}


@pytest.fixture
def entries(db):
    # Oldest first, as a log is written: the change log leaves as a prefix of its sealed chain (audit/chain.py).
    for days in (400, 191, 189, 100, 0):
        aged(days)


def test_purge_deletes_only_entries_past_retention(entries, settings):
    settings.AUDIT_RETENTION_DAYS = 190
    counts = purge_expired()
    assert counts["changelog"] == 2 and counts["signin"] == 2
    assert remaining() == {0, 100, 189}
    assert SignInEvent.objects.count() == 3


def test_retention_below_190_days_is_refused(entries, settings):
    settings.AUDIT_RETENTION_DAYS = 30  # a misconfiguration must not shorten the legal minimum
    purge_expired()
    assert remaining() == {0, 100, 189}


def test_longer_retention_is_honoured(entries, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    purge_expired()
    assert remaining() == {0, 100, 189, 191}


def test_single_entries_still_cannot_be_deleted(entries):
    with pytest.raises(RuntimeError):
        ChangeLog.objects.first().delete()


def test_worker_runs_the_purge_daily(entries):
    from huey.contrib.djhuey import HUEY

    due = {task.name for task in HUEY.read_periodic(dt.datetime(2026, 3, 1, 3, 17))}
    assert any(name.endswith("purge_audit_trail") for name in due)
    purge_audit_trail.call_local()
    assert remaining() == {0, 100, 189}


def test_audit_purge_command(entries):
    out = io.StringIO()
    call_command("audit_purge", "--dry-run", stdout=out)
    assert "将删除" in out.getvalue() and "变更日志 2 条" in out.getvalue()
    assert len(remaining()) == 5
    call_command("audit_purge", stdout=out)
    assert "已删除" in out.getvalue()
    assert remaining() == {0, 100, 189}
