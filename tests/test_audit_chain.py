"""The change log is tamper-evident (issue 8 §5): each entry is sealed into a chain of keyed hashes (HMAC-SM3
by default); `halfbuilt audit verify` names the first entry changed, deleted or inserted; the daily check tells
the audit administrators; a retention purge leaves the rest verifiable."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from halfbuilt.audit import chain, tasks
from halfbuilt.audit.models import ChainHead, ChangeLog, PurgeCheckpoint
from halfbuilt.audit.services import record_change
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project


@pytest.fixture
def logged(users, projects):
    """Five more entries written the way services write them, then sealed."""
    actor = Actor(user=users["office"])
    project = projects["in_scope"]
    for n in range(5):
        record_change(actor=actor, action="project_update", obj=project, before={"name": f"旧名{n}"},
                      after={"name": f"新名{n}", "total": "12.5"}, reason=f"第{n}次", project_id=project.pk)
    chain.seal()
    return list(ChangeLog.objects.order_by("seq"))


def test_an_untouched_log_verifies_and_every_entry_is_sealed_in_order(logged):
    assert chain.verify() is None
    assert [e.seq for e in logged] == list(range(1, len(logged) + 1))
    assert all(len(e.chain) == 64 for e in logged) and len({e.chain for e in logged}) == len(logged)
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "变更日志完整" in out.getvalue()


def test_a_changed_entry_is_named(logged):
    victim = logged[2]
    ChangeLog.objects.filter(pk=victim.pk).update(reason="改过的理由")
    finding = chain.verify()
    assert (finding.kind, finding.entry_id, finding.seq) == ("changed", victim.pk, victim.seq)
    with pytest.raises(CommandError, match=f"第 {victim.seq} 条记录（#{victim.pk}") as failed:
        call_command("audit", "verify")
    assert failed.value.returncode == 1


def test_a_deleted_entry_is_named_by_its_place_and_so_is_the_newest_one(logged):
    ChangeLog.objects.filter(pk=logged[1].pk).delete()
    finding = chain.verify()
    assert (finding.kind, finding.seq, finding.entry_id) == ("deleted", logged[1].seq, logged[2].pk)


def test_deleting_the_newest_entries_shows_at_the_chain_head(logged):
    ChangeLog.objects.filter(pk__in=[e.pk for e in logged[-2:]]).delete()
    finding = chain.verify()
    assert finding.kind == "deleted" and finding.seq == logged[-2].seq


def test_an_entry_slipped_in_with_an_old_date_is_never_sealed_and_is_named(logged, users):
    forged = ChangeLog.objects.create(username="office", action="project_update", object_type="project",
                                      object_id="1", object_repr="伪造", reason="事后补记")
    ChangeLog.objects.filter(pk=forged.pk).update(at=timezone.now() - dt.timedelta(days=3))
    assert chain.seal() == 0
    finding = chain.verify()
    assert (finding.kind, finding.entry_id) == ("inserted", forged.pk)


def test_a_forged_seal_without_the_key_does_not_verify(logged, settings):
    victim = logged[3]
    ChangeLog.objects.filter(pk=victim.pk).update(reason="改过")
    settings.AUDIT_KEY = "the attacker's own key"
    row = ChangeLog.objects.filter(pk=victim.pk).values("seq", *chain.HASHED).get()
    ChangeLog.objects.filter(pk=victim.pk).update(chain=chain.link(logged[2].chain, row["seq"], row))
    settings.AUDIT_KEY = ""
    assert chain.verify().entry_id == victim.pk


def test_classifying_a_project_afterwards_reflags_its_history_without_breaking_the_chain(logged):
    ChangeLog.objects.filter(pk__in=[e.pk for e in logged]).update(classified=True)
    assert chain.verify() is None


def test_sm3_by_default_and_sha256_when_configured(logged, settings):
    assert settings.AUDIT_CHAIN_ALGORITHM == "sm3"
    sm3 = chain.mac("x")
    settings.AUDIT_CHAIN_ALGORITHM = "sha256"
    assert chain.mac("x") != sm3 and len(chain.mac("x")) == 64
    assert chain.verify() is not None  # the chain was sealed with SM3


def test_the_daily_check_tells_the_auditors(logged, users):
    from halfbuilt.notifications.models import Notification

    assert tasks.verify_change_log.call_local() is None
    assert not Notification.objects.filter(event="audit_chain_broken").exists()
    ChangeLog.objects.filter(pk=logged[-1].pk).update(object_repr="改过")
    finding = tasks.verify_change_log.call_local()
    assert finding.kind == "changed"
    told = Notification.objects.filter(event="audit_chain_broken")
    assert set(told.values_list("recipient__username", flat=True)) == {users["auditor"].username}


def test_a_retention_purge_keeps_what_remains_verifiable(logged, settings):
    old = logged[:3]
    ChangeLog.objects.filter(pk__in=[e.pk for e in old]).update(at=timezone.now() - dt.timedelta(days=400))
    # Moving the dates broke those entries' seals, so the purge checkpoints the chain value they were sealed with.
    counts = tasks.purge_expired()
    assert counts["changelog"] == 3 and ChangeLog.objects.count() == len(logged) - 3
    point = PurgeCheckpoint.objects.get()
    assert point.through_seq == old[-1].seq and point.chain == old[-1].chain
    assert chain.verify() is None
    PurgeCheckpoint.objects.update(chain="0" * 64)
    assert chain.verify().kind == "checkpoint"


def test_the_head_row_is_sealed_too(logged):
    ChainHead.objects.update(seq=1)
    assert chain.verify().kind == "head"


def test_new_entries_after_a_verification_are_sealed_by_the_next_one(logged, users):
    assert chain.verify() is None
    Project.objects.filter(pk=logged[0].project_id).update(name="x")  # no entry: not a service write
    record_change(actor=Actor(user=users["office"]), action="project_update", obj=Project.objects.first(),
                  before=None, after={"a": 1})
    assert ChangeLog.objects.filter(seq__isnull=True).count() == 1
    assert chain.verify() is None and not ChangeLog.objects.filter(seq__isnull=True).exists()
