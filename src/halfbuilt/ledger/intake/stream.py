"""Check and write a file in one pass (the CLI, and a web import once confirmed).

On PostgreSQL a thread validates the rows while this one hands the rows already validated to the ledger's
bulk service (`ledger.bulk`), a chunk at a time, so the database's work (index inserts, foreign-key checks,
the change log) runs alongside the Python work instead of after it. All or nothing still holds: it is one
transaction, and as soon as any row has an error nothing more is written and the transaction is rolled back,
with every error of the file reported as `build_plan` would. On SQLite it is `build_plan`, then the writes in one
transaction (the plan matched again inside it if a project was written meanwhile).
The preview and `--dry-run` use `build_plan` and write nothing.
"""

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.db import connection, connections, transaction

from halfbuilt.ledger import bulk
from halfbuilt.ledger.codes import announce_clashes

from . import normalize as nz
from .apply import check_submitter
from .plan import ImportContext, ImportPlan, Matcher, build_plan, finish_plan, validated_chunks
from .reader import Sheet

T = TypeVar("T")


def import_sheets(sheets: list[Sheet], ctx: ImportContext, *, batch: str,
                  progress: Callable[[float], None] | None = None) -> ImportPlan:
    """Validate and write; returns the plan, whose errors (if any) mean nothing was written.

    Raises ServiceError (e.g. NotAllowed, ConflictError) when the write itself is refused, and
    ReadError when a row of the file cannot be read. `progress` gets the share of rows checked.
    """
    check_submitter(ctx)
    lk = nz.Lookups.load()
    if connection.vendor != "postgresql":
        return _check_then_write(sheets, ctx, lk, batch=batch, progress=progress)
    plan = ImportPlan()
    enclosed = connection.in_atomic_block
    with bulk.project_import(actor=ctx.actor, region=ctx.region, batch=batch, regions=lk.regions) as writer:
        matcher = Matcher(plan, ctx, lk, written=writer.created)
        # The thread also matches rows to the ledger, on a connection of its own, so those lookups run beside
        # the COPYs rather than between them. Not inside a caller's transaction (the test suite's): there
        # the lookups must see its uncommitted rows, so they stay on this connection.
        match_aside = not enclosed
        # These round trips now, before the thread competes for the interpreter.
        writer.reserve_numbers(code for code, region in lk.regions.items() if ctx.covers(region))
        chunks = validated_chunks(sheets, ctx, plan, lk, beside_writer=True)
        if match_aside:
            chunks = ((matcher.match(rows), done) for rows, done in chunks)
        # Progress goes out from the thread when it has a connection of its own (a page polling the job sees
        # it while this transaction is open); otherwise from here.
        with in_background(chunks, progress=progress if match_aside else None) as ready:
            for rows, done in ready:
                creates = rows if match_aside else matcher.match(rows)
                if not plan.errors:  # after the first error nothing more is written; all is rolled back
                    writer.create([c.values for c in creates])
                if progress and not match_aside:
                    progress(done)
        finish_plan(plan, sheets)
        if plan.errors:
            transaction.set_rollback(True)
            return plan
        writer.update(plan.updates)
        announce_clashes(actor=ctx.actor, codes=_codes_written(plan))
    return plan


def _codes_written(plan: ImportPlan) -> list[str]:
    """The 项目代码 the import gave projects: a code may now be shared with a project the importer cannot see."""
    return ([c.values.get("project_code") or "" for c in plan.creates]
            + [u.values.get("project_code") or "" for u in plan.updates if "project_code" in u.after])


def _check_then_write(sheets: list[Sheet], ctx: ImportContext, lk: nz.Lookups, *, batch: str,
                      progress: Callable[[float], None] | None) -> ImportPlan:
    """SQLite: one writer at a time and no second core to gain, so check everything first, outside any
    transaction (its progress is visible to a page polling the job), then write. The write transaction holds the
    database's one write lock from its start (BEGIN IMMEDIATE), so imports are serialised there; a plan matched
    before it began is checked again inside it when a project was written meanwhile (another import of the
    same file, a form), else two imports at once would both create every row."""
    mark = bulk.ledger_mark()
    plan = build_plan(sheets, ctx, progress, lookups=lk)
    if not plan.ok:
        return plan
    with bulk.project_import(actor=ctx.actor, region=ctx.region, batch=batch, regions=lk.regions) as writer:
        if bulk.changed_since(mark):
            plan = build_plan(sheets, ctx, lookups=lk)  # matched again, now that no other writer can run
            if not plan.ok:
                transaction.set_rollback(True)
                return plan
        writer.create([c.values for c in plan.creates])
        writer.update(plan.updates)
        announce_clashes(actor=ctx.actor, codes=_codes_written(plan))
    return plan


class _Failed:
    def __init__(self, error: BaseException):
        self.error = error


_END = object()


@contextmanager
def in_background(items: Iterator[tuple[T, float]], *, progress: Callable[[float], None] | None = None,
                  depth: int = 2):
    """Run `items` in a thread, handing them over through a queue of `depth` items: the thread validates (and
    may look up, on its own connection) while this one writes. An error in the thread is raised here; leaving
    the block early stops the thread."""
    handoff: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
                if progress:
                    progress(item[1])
            put(_END)
        except BaseException as exc:  # handed to the consumer, which raises it
            put(_Failed(exc))
        finally:
            connections.close_all()  # this thread's own connections (lookups and `progress`)

    def consume() -> Iterator[tuple[T, float]]:
        while (item := handoff.get()) is not _END:
            if isinstance(item, _Failed):
                raise item.error
            yield item

    thread = threading.Thread(target=produce, name="import-validate", daemon=True)
    thread.start()
    try:
        yield consume()
    finally:
        stop.set()
        thread.join()
