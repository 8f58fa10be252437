"""What the change log tells the rest of the product.

`projects_changed` is sent after a transaction that logged changes of projects (or of what belongs to them: a
plan, a monthly report …) commits, with `project_ids` and `actions` (the change log's actions), frozensets: a
receiver skips a commit that holds only its own writes. Whatever is derived from a project's facts
(its warning light, the dashboard's figures) refreshes from it: every business write logs its change in the
same transaction, so nothing escapes; a transaction that rolls back sends nothing (a savepoint rolled back inside
a committed transaction still sends its projects: receivers recompute, and what did not change comes out the same).
"""

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

projects_changed = Signal()


class _ChangedProjects:
    """The on-commit callback of one transaction, gathering the project ids of all its entries."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.actions: set[str] = set()

    def __call__(self) -> None:
        projects_changed.send(sender=None, project_ids=frozenset(self.ids), actions=frozenset(self.actions))


def touch(project_ids: Iterable[int | None], action: str) -> None:
    """Remember `project_ids`, changed by `action`, for the signal sent when the current transaction commits."""
    ids = {pk for pk in project_ids if pk is not None}
    if not ids:
        return
    connection = transaction.get_connection()
    # One callback per transaction: the one registered already, if any. Django keeps a transaction's callbacks in
    # `run_on_commit` and drops them on rollback (those of a rolled-back savepoint too), so nothing is left over.
    pending = next((f for _sids, f, _robust in connection.run_on_commit if isinstance(f, _ChangedProjects)), None)
    if pending is None:
        pending = _ChangedProjects()
        transaction.on_commit(pending, robust=True)  # a receiver's failure never undoes the committed write
    pending.ids |= ids
    pending.actions.add(action)
