"""The change log made tamper-evident: every entry is sealed into a chain of keyed hashes.

Sealing gives each committed entry the next position (`seq`) and `chain = HMAC(key, previous chain · seq ·
entry)`, with SM3 by default (GB/T 32905; `AUDIT_CHAIN_ALGORITHM = "sha256"` where another algorithm is
required) and a key outside the database (`HALFBUILT_AUDIT_KEY`, else derived from the secret key): whoever can
write to the database but holds no key cannot rebuild the chain after changing it.

Entries are sealed after they commit — by the worker each minute, and before any verification or purge — not
while they are written: a chain head taken inside every business transaction would make all writers queue on
one row. `seal` takes the unsealed entries in id order under the head row's lock. An unsealed entry dated well
before what is already sealed (more than AUDIT_SEAL_LAG) is not sealed: no transaction stays open that long, so
it was put in by hand, and `verify` names it.

What a chain covers: every column but `classified`, which a project's classification changes on its whole history
afterwards (an access flag, derived from the project, not a fact of the entry).

Retention purges the oldest sealed entries only as a prefix of the chain, and leaves a checkpoint (the last
purged position and its chain value, itself sealed) from which verification starts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ChainHead, ChangeLog, PurgeCheckpoint

GENESIS = "0" * 64
BATCH = 2000
HASHED = ("id", "at", "user_id", "username", "ip", "via", "action", "object_type", "object_id", "object_repr",
          "project_id", "before", "after", "reason", "batch")
ALGORITHMS = {"sm3": hashes.SM3, "sha256": hashes.SHA256}


def _key() -> bytes:
    if settings.AUDIT_KEY:
        return settings.AUDIT_KEY.encode()
    return hashlib.sha256(b"halfbuilt-audit-chain:" + settings.SECRET_KEY.encode()).digest()


def mac(*parts: str) -> str:
    algorithm = ALGORITHMS[settings.AUDIT_CHAIN_ALGORITHM]()
    signer = crypto_hmac.HMAC(_key(), algorithm)
    signer.update("\x1f".join(parts).encode())
    return signer.finalize().hex()


def canonical(entry: dict) -> str:
    """The entry's hashed columns as one text, the same on SQLite and PostgreSQL (UTC times, sorted JSON keys)."""
    values = dict(entry)
    values["at"] = values["at"].astimezone(dt.UTC).isoformat()
    return json.dumps([values[name] for name in HASHED], cls=DjangoJSONEncoder, ensure_ascii=False,
                      sort_keys=True, separators=(",", ":"))


def link(previous: str, seq: int, entry: dict) -> str:
    return mac(previous, str(seq), canonical(entry))


def _head_mac(seq: int, chain: str, last_at: dt.datetime | None) -> str:
    return mac("head", str(seq), chain, last_at.astimezone(dt.UTC).isoformat() if last_at else "")


def _locked_head() -> ChainHead:
    ChainHead.objects.get_or_create(pk=1, defaults={"chain": GENESIS, "mac": _head_mac(0, GENESIS, None)})
    return ChainHead.objects.select_for_update().get(pk=1)


def seal() -> int:
    """Seal the committed entries not sealed yet; how many. Safe to run at once from several processes."""
    sealed, lag_floor, first = 0, None, True
    while True:
        with transaction.atomic():
            head = _locked_head()
            if first:  # measured against what was sealed before this call (its own batches are one run)
                lag_floor = head.last_at - settings.AUDIT_SEAL_LAG if head.last_at else None
                first = False
            pending = ChangeLog.objects.filter(seq__isnull=True).order_by("id")
            if lag_floor is not None:
                pending = pending.filter(at__gte=lag_floor)
            batch = list(pending.values(*HASHED)[:BATCH])
            if not batch:
                return sealed
            seq, chain, last_at = head.seq, head.chain, head.last_at
            for entry in batch:
                seq += 1
                chain = link(chain, seq, entry)
                ChangeLog.objects.filter(pk=entry["id"]).update(seq=seq, chain=chain)
                last_at = max(last_at, entry["at"]) if last_at else entry["at"]
            head.seq, head.chain, head.last_at = seq, chain, last_at
            head.mac = _head_mac(seq, chain, last_at)
            head.save()
            sealed += len(batch)


@dataclass(frozen=True)
class Finding:
    """The first place where the log is not what was sealed."""

    kind: str  # changed / deleted / inserted / head
    message: str
    entry_id: int | None = None
    seq: int | None = None


def _start() -> tuple[int, str]:
    """Where the chain begins: after the newest purge checkpoint, or at its genesis."""
    checkpoint = PurgeCheckpoint.objects.order_by("-through_seq").first()
    if checkpoint is None:
        return 0, GENESIS
    return checkpoint.through_seq, checkpoint.chain


def _sealed(after_seq: int) -> Iterator[dict]:
    last = after_seq
    while True:
        rows = list(ChangeLog.objects.filter(seq__gt=last).order_by("seq").values("seq", "chain", *HASHED)[:BATCH])
        if not rows:
            return
        yield from rows
        last = rows[-1]["seq"]


def verify(since: dt.datetime | None = None) -> Finding | None:
    """Walk the chain (from the entry before `since`, or from its start) and name the first entry changed,
    deleted or inserted; None when it is intact. Seals what is pending first."""
    seal()
    checkpoints = list(PurgeCheckpoint.objects.order_by("through_seq"))
    for checkpoint in checkpoints:
        expected = mac("checkpoint", str(checkpoint.through_seq), checkpoint.chain, str(checkpoint.entries))
        if checkpoint.mac != expected:
            return Finding("checkpoint", _("清理检查点（截至第 {seq} 条）被改动").format(seq=checkpoint.through_seq))
    seq, chain = _start()
    if since is not None:
        before = ChangeLog.objects.filter(seq__isnull=False, at__lt=since).order_by("-seq").values("seq", "chain")
        if (anchor := before.first()) and anchor["seq"] > seq:
            seq, chain = anchor["seq"], anchor["chain"]
    for row in _sealed(seq):
        if row["seq"] != seq + 1:
            return Finding("deleted", _("第 {first} 至 {last} 条记录已被删除（其后一条：#{entry}）").format(
                first=seq + 1, last=row["seq"] - 1, entry=row["id"]), entry_id=row["id"], seq=seq + 1)
        expected = link(chain, row["seq"], row)
        if not hmac.compare_digest(expected, row["chain"]):
            return Finding("changed", _("第 {seq} 条记录（#{entry}，{at}）已被改动").format(
                seq=row["seq"], entry=row["id"], at=timezone.localtime(row["at"]).strftime("%Y-%m-%d %H:%M:%S")),
                entry_id=row["id"], seq=row["seq"])
        seq, chain = row["seq"], row["chain"]
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None:
        if head.mac != _head_mac(head.seq, head.chain, head.last_at):
            return Finding("head", _("链头记录被改动"))
        if head.seq != seq or head.chain != chain:
            return Finding("deleted", _("最后的第 {first} 至 {last} 条记录已被删除").format(
                first=seq + 1, last=head.seq), seq=seq + 1)
    stray = ChangeLog.objects.filter(seq__isnull=True).order_by("id").first()
    if stray is not None:
        return Finding("inserted", _("#{entry}（标为 {at}）是事后插入的记录：其时间早于已封存的记录").format(
            entry=stray.pk, at=timezone.localtime(stray.at).strftime("%Y-%m-%d %H:%M:%S")), entry_id=stray.pk)
    return None


def purgeable_through(cutoff: dt.datetime) -> int:
    """The last position that may be purged before `cutoff`: the chain is cut only as a prefix, so an entry of the
    cut-off day that committed late keeps everything after it."""
    first_kept = ChangeLog.objects.filter(seq__isnull=False, at__gte=cutoff).aggregate(Min("seq"))["seq__min"]
    if first_kept is not None:
        return first_kept - 1
    return ChangeLog.objects.aggregate(Max("seq"))["seq__max"] or 0


def checkpoint(through_seq: int, entries: int) -> None:
    """Record, before a purge deletes the positions up to `through_seq`, where the chain then starts."""
    chain = ChangeLog.objects.filter(seq=through_seq).values_list("chain", flat=True).first()
    if chain is None:
        return
    PurgeCheckpoint.objects.create(
        through_seq=through_seq, chain=chain, entries=entries,
        mac=mac("checkpoint", str(through_seq), chain, str(entries)))
