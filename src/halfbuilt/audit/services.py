"""Writing the change log. Called by every service inside its own transaction: `record_change` for one
entry, `record_changes` for many at once (an import), `record_personal_view` when someone was shown a record's
personal information in full (查看个人信息: a project's contact, a tip-off's reporter)."""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from halfbuilt.core.request_context import Actor

from .models import ChangeLog
from .signals import touch


def changed_fields(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    """Keep only the keys that changed, so the timeline shows what happened."""
    if before is None or after is None:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record_change(
    *,
    actor: Actor,
    action: str,
    obj,
    before: dict | None,
    after: dict | None,
    reason: str = "",
    project_id: int | None = None,
    classified: bool = False,
    batch: str = "",
) -> ChangeLog:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_change must run inside the business write's transaction")
    before, after = changed_fields(before, after)
    touch([project_id], action)
    return ChangeLog.objects.create(
        user=actor.user,
        username=actor.username,
        ip=actor.ip or None,
        via=actor.via,
        action=action,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        project_id=project_id,
        classified=classified,
        before=before,
        after=after,
        reason=reason[:500],
        batch=batch,
    )


# The action of a view of personal information in full (labelled 查看个人信息 by audit/apps.py).
PERSONAL_DATA_VIEW = "personal_data_view"


def record_personal_view(*, actor: Actor, obj, fields: Sequence[str], project_id: int | None = None,
                         classified: bool = False) -> ChangeLog:
    """Log that `actor` was shown `obj`'s personal `fields` in full (those it holds), in the caller's transaction,
    so the auditor can tell who looked at whose phone (core/pii.py masks them everywhere else)."""
    return record_change(actor=actor, action=PERSONAL_DATA_VIEW, obj=obj, before=None, after={"fields": list(fields)},
                         project_id=project_id, classified=classified)


def reflag_history(*, project_ids: Iterable[int], classified: bool) -> int:
    """Projects just classified (or declassified): every entry of their history takes the new flag, in the
    caller's transaction, so the audit search shows it to exactly those who may see the project now. The chain's
    seals do not cover the flag (audit/chain.py). How many entries changed."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reflag_history must run inside the business write's transaction")
    ids = list(project_ids)
    if not ids:
        return 0
    return ChangeLog.objects.filter(project_id__in=ids).exclude(classified=classified).update(classified=classified)


@dataclass(frozen=True)
class Change:
    """One entry of `record_changes`: what `record_change` is told about one object."""

    object_type: str
    object_id: int | str
    object_repr: str
    before: dict | None
    after: dict | None
    project_id: int | None = None
    classified: bool = False
    reason: str = ""

    @classmethod
    def of(cls, obj, before: dict | None, after: dict | None, **kwargs) -> "Change":
        """The entry `record_change(obj=obj, …)` would write."""
        return cls(obj._meta.model_name, obj.pk, str(obj), before, after, **kwargs)


# The columns that `record_change` fills: who and what for every entry, then each entry's own (ENTRY_COLUMNS).
WHO_COLUMNS = ["at", "user_id", "username", "ip", "via", "action", "batch"]
ENTRY_COLUMNS = ["object_type", "object_id", "object_repr", "project_id", "classified", "before", "after", "reason"]


@dataclass(frozen=True)
class SelectedChanges:
    """Entries that the caller's query yields, one a row, written without the rows leaving the database.

    `columns` gives an SQL expression for each of ENTRY_COLUMNS (no placeholders; `before`/`after` as JSON,
    already reduced to the keys that changed), over `source`: "FROM … WHERE …", whose placeholders take `params`.
    """

    columns: dict[str, str]
    source: str
    params: Sequence = ()
    project_ids: Iterable[int] = ()  # the projects the entries are about (for `signals.projects_changed`)


def record_changes(
    *, actor: Actor, action: str, changes: Iterable[Change] | SelectedChanges, batch: str = "",
    at: datetime | None = None,
) -> int:
    """What one `record_change` call per entry would write, in one statement: COPY on PostgreSQL, bulk_create
    elsewhere, or INSERT … SELECT for SelectedChanges. All entries get one time, `at` (now by default).
    Returns the number of entries written."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("record_changes must run inside the business write's transaction")
    who = (at or timezone.now(), actor.user.pk if actor.user else None, actor.username, actor.ip or None,
           actor.via, action, batch)
    if isinstance(changes, SelectedChanges):
        touch(changes.project_ids, action)
        return _insert_selected(connection, who, changes)
    changes = _touching(changes, action)
    if connection.vendor == "postgresql":
        return _copy(connection, who, changes)
    entries = [ChangeLog(**dict(zip(WHO_COLUMNS, who, strict=True)), **dict(zip(ENTRY_COLUMNS, _entry(c), strict=True)))
               for c in changes]
    ChangeLog.objects.bulk_create(entries, batch_size=BULK_BATCH)
    return len(entries)


BULK_BATCH = 1000  # rows per INSERT at most (Django lowers it to what SQLite's variable limit allows)


def _touching(changes: Iterable[Change], action: str) -> Iterable[Change]:
    """The changes as given, their projects remembered for the signal as they pass."""
    projects = set()
    for change in changes:
        projects.add(change.project_id)
        yield change
    touch(projects, action)


def _entry(change: Change) -> tuple:
    before, after = changed_fields(change.before, change.after)
    return (change.object_type, str(change.object_id), change.object_repr[:200], change.project_id,
            change.classified, before, after, change.reason[:500])


def _copy(connection, who: tuple, changes: Iterable[Change]) -> int:
    connection.ensure_connection()
    written = 0
    columns = ", ".join([*WHO_COLUMNS, *ENTRY_COLUMNS])
    # psycopg's own cursor, inside Django's transaction
    with connection.connection.cursor() as cur, cur.copy(
        f"COPY {ChangeLog._meta.db_table} ({columns}) FROM STDIN"
    ) as copy:
        for change in changes:
            *entry, before, after, reason = _entry(change)
            copy.write_row((*who, *entry, _json(before), _json(after), reason))
            written += 1
    return written


def _json(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


def _insert_selected(connection, who: tuple, changes: SelectedChanges) -> int:
    if set(changes.columns) != set(ENTRY_COLUMNS):
        raise ValueError(f"SelectedChanges must give exactly {ENTRY_COLUMNS}")
    expressions = ", ".join(changes.columns[c] for c in ENTRY_COLUMNS)
    sql = (f"INSERT INTO {ChangeLog._meta.db_table} ({', '.join([*WHO_COLUMNS, *ENTRY_COLUMNS])}) "
           f"SELECT {', '.join(['%s'] * len(WHO_COLUMNS))}, {expressions} {changes.source}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*who, *changes.params])
        return cursor.rowcount
