"""What the change log tells the rest of the product.

`projects_changed` is sent after a transaction that logged changes of projects (or of what belongs to them: a
plan, a monthly report …) commits, with `project_ids`, a frozenset. Whatever is derived from a project's facts
(its warning light, the dashboard's figures) refreshes from it: every business write logs its change in the
same transaction, so nothing escapes. The ids of a transaction that rolled back may come along with the next
commit's: receivers recompute, so a project that did not change comes out the same.
"""

from django.db import transaction
from django.dispatch import Signal

projects_changed = Signal()

_PENDING = "_halfbuilt_changed_projects"


def touch(project_ids) -> None:
    """Remember `project_ids` for the signal sent when the current transaction commits."""
    ids = {pk for pk in project_ids if pk is not None}
    if not ids:
        return
    connection = transaction.get_connection()
    pending = getattr(connection, _PENDING, None)
    if pending is None:
        pending = set()
        setattr(connection, _PENDING, pending)
    pending |= ids
    # One callback a call: a rolled-back transaction drops its callbacks, so a flag "already registered" would
    # lose the next transaction's signal. The first callback after a commit sends everything, the rest find none.
    transaction.on_commit(lambda: _send(connection))


def _send(connection) -> None:
    pending = getattr(connection, _PENDING, None)
    if not pending:
        return
    ids = frozenset(pending)
    pending.clear()
    projects_changed.send(sender=None, project_ids=ids)
