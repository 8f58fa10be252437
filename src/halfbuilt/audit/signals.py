"""What the change log tells the rest of the product.

`projects_changed` is sent after a transaction that logged changes of projects (or of what belongs to them: a
plan, a monthly report …) commits, with `project_ids`, a frozenset. Whatever is derived from a project's facts
(its warning light, the dashboard's figures) refreshes from it: every business write logs its change in the
same transaction, so nothing escapes; a transaction that rolls back sends nothing (a savepoint rolled back inside
a committed transaction still sends its projects: receivers recompute, and what did not change comes out the same).
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
    if pending is None or not _registered(connection):
        # No callback of ours waits for this transaction: whatever is left came from one that rolled back (which
        # dropped its callbacks) and is not this transaction's to tell.
        pending = set()
        setattr(connection, _PENDING, pending)
        transaction.on_commit(lambda: _send(connection, pending))
    pending |= ids


def _registered(connection) -> bool:
    # Django keeps a transaction's callbacks in `run_on_commit` and empties it on commit and rollback.
    return any(getattr(func, "__qualname__", "").startswith("touch.") for _sids, func, *_ in connection.run_on_commit)


def _send(connection, pending: set) -> None:
    if getattr(connection, _PENDING, None) is pending:
        setattr(connection, _PENDING, None)
    projects_changed.send(sender=None, project_ids=frozenset(pending))
