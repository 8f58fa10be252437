"""Bulk writes to the ledger: an import's new and changed projects, all or nothing.

`project_import(actor=…, region=…, batch=…)` opens the one transaction and yields a `ProjectImport`: `create`
takes new projects a chunk at a time (so a caller may write while it still checks later rows), `update` the
changes to existing ones. The writer asks `accounts.scope` itself (where the actor may import, each row's region,
department line and classified flag, each changed project), numbers new projects (台账编号) under an advisory
lock, and has the audit app record one change-log entry per project (`batch` = the import). PostgreSQL gets COPY
for new projects and a temp table + UPDATE … FROM for changes; other databases bulk_create / bulk_update.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts import scope
from halfbuilt.accounts.models import Organization, OrgKind
from halfbuilt.audit.models import ChangeLog
from halfbuilt.audit.services import Change, SelectedChanges, record_changes, reflag_history
from halfbuilt.core import crypto
from halfbuilt.core.errors import ConflictError, NotAllowed, busy_as_message
from halfbuilt.core.ids import new_ids
from halfbuilt.core.request_context import Actor
from halfbuilt.regions.models import Region

from .dictionary import ATTRIBUTE, FIELDS, KEYS, PERSONAL
from .models import Project, Stage, Status
from .rules import CLASSIFIED_BY_OWNER, OTHER_LINE
from .services import EDITABLE_FIELDS, ledger_numbers, lock_ledger_numbers, renumber

_FIELDS = [Project._meta.get_field(name) for name in EDITABLE_FIELDS]  # the fields a form's edit sets, too
ATTRS = [f.attname for f in _FIELDS]  # the model attributes an import sets, in this order
# What a new project holds where its row says nothing: the model's defaults ("" for text, None for numbers).
DEFAULTS = {f.attname: f.get_default() for f in _FIELDS}
BATCH = 1000  # rows per INSERT / UPDATE off PostgreSQL
CHANGED_MEANWHILE = gettext_lazy("导入期间有项目被他人修改，未导入任何数据，请重新导入以核对最新内容")


@dataclass
class ProjectChange:
    """A change to an existing project, read at `version`."""

    id: int
    version: int
    values: dict  # every attribute in ATTRS, after the change
    before: dict  # dictionary key → old value (changed keys only), for the change log
    after: dict  # dictionary key → new value
    name: str = ""
    prefecture_id: str | None = None
    region_changed: bool = False
    unit_changed: bool = False  # the responsible unit (or its region) changed: its organization is looked up again


def check_importer(*, actor: Actor, region: Region) -> None:
    """NotAllowed unless the actor may import into `region` (callers ask before reading a file, too)."""
    if not scope.may_import_in(actor.user, region):
        raise NotAllowed(_("您无权在“{region}”填报项目").format(region=region.full_name))


@contextmanager
def project_import(*, actor: Actor, region: Region, batch: str,
                   regions: dict[str, Region] | None = None) -> Iterator["ProjectImport"]:
    """The one transaction of an import. A clash with another writer becomes a message, with nothing written;
    so does a database that another writer held past the busy timeout (Busy). `transaction.set_rollback(True)`
    inside the block undoes everything. `regions`: code → Region with its parent, where the caller has them
    already.

    Imports are serialised from the transaction's start: on PostgreSQL by the 台账编号 advisory lock (taken by
    ProjectImport before anything is matched), on SQLite by the write lock its BEGIN IMMEDIATE takes."""
    check_importer(actor=actor, region=region)
    try:
        with busy_as_message(), transaction.atomic():
            yield ProjectImport(actor, region, batch, regions)
    except IntegrityError as exc:
        raise ConflictError(
            _("写入时与已有数据冲突（可能有人同时导入或登记了相同项目代码的项目），未导入任何数据，请重新导入")
        ) from exc


def ledger_mark() -> int:
    """Where the change log stands: a plan matched after this still holds while `changed_since(mark)` is False."""
    return ChangeLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def changed_since(mark: int) -> bool:
    """Whether a project was created or changed after `ledger_mark()` gave `mark` (every write to a project is
    logged). Sound where writers commit one at a time (SQLite), so entries commit in the order of their ids."""
    return ChangeLog.objects.filter(pk__gt=mark, object_type=Project._meta.model_name).exists()


def import_projects(*, actor: Actor, region: Region, batch: str, creates: list[dict],
                    updates: list[ProjectChange]) -> None:
    """Create and update at once (what a finished plan says), or nothing at all."""
    with project_import(actor=actor, region=region, batch=batch) as writer:
        writer.create(creates)
        writer.update(updates)


class ProjectImport:
    """The writes of one import, inside `project_import`'s transaction."""

    def __init__(self, actor: Actor, region: Region, batch: str, regions: dict[str, Region] | None = None):
        self.actor, self.region, self.batch, self.now = actor, region, batch, timezone.now()
        self.lines = scope.import_departments(actor.user)
        self.classified_lines = scope.classified_lines(actor.user)
        self.postgres = connection.vendor == "postgresql"
        # region code (checked in scope) → its next 台账编号; (region code, True) → its classified series
        self.numbers: dict[str | tuple[str, bool], Iterator[str]] = {}
        self.regions: dict[str, Region] = dict(regions or {})
        self.created: set[int] = set()  # ids of the projects written so far
        self.units: dict[tuple[str, str], int] = {}  # (unit name, region code) → organization, over all chunks
        lock_ledger_numbers()  # the lock every create takes (services): no 台账编号 is handed out twice
        if self.postgres:
            with connection.cursor() as cur:
                # Foreign keys are checked as each COPY ends rather than all at COMMIT, so when a caller writes
                # chunk by chunk the checks overlap its work on later rows.
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def reserve_numbers(self, codes: Iterable[str]) -> None:
        """Look up where the 台账编号 of these regions go on (one query a region; the advisory lock keeps other
        imports out until this one commits). Refused for a region outside the acting one."""
        for code in codes:
            if code not in self.numbers:
                self._check_region(code)
                self.numbers[code] = ledger_numbers(code)

    def _check_region(self, code: str) -> None:
        if code not in self.regions:
            self.regions[code] = Region.objects.select_related("parent").get(code=code)
        if not scope.region_within(self.regions[code], self.region):
            raise NotAllowed(_("导入的项目超出了您的填报范围"))

    def create(self, rows: list[dict]) -> None:
        """New projects: each row maps attributes of ATTRS (those not given take DEFAULTS) to checked values."""
        if not rows:
            return
        self.reserve_numbers({r["region_id"] for r in rows})
        # The classified series too, now: `_stored` runs inside the COPY, where no other query may be sent.
        for code in {r["region_id"] for r in rows if r.get("classified")}:
            if (code, True) not in self.numbers:
                self.numbers[(code, True)] = ledger_numbers(code, classified=True)
        units = self._units({(r["responsible_unit"], r["region_id"]) for r in rows if r.get("responsible_unit")})
        stored = self._stored(rows, units)  # made one by one as they are written: COPY overlaps the work
        if self.postgres:
            ids = _copy_projects(stored, len(rows), self.now)
            self.created.update(ids)
            # Built by PostgreSQL from the rows just written: the snapshot is exactly what was stored, and no JSON
            # is made here or sent (a third of the work of an import, done this way).
            record_changes(actor=self.actor, action="import_create", batch=self.batch, at=self.now,
                           changes=SelectedChanges(CREATED_ENTRY, CREATED_SOURCE, [ids], project_ids=ids))
        else:
            self._orm_create(list(stored))

    def update(self, changes: list[ProjectChange]) -> None:
        if not changes:
            return
        for change in changes:
            self._check_line(change.values)
            if change.region_changed:
                self._check_region(change.values["region_id"])
        found = self._units({(c.values["responsible_unit"], c.values["region_id"]) for c in changes
                             if c.unit_changed and c.values["responsible_unit"]})
        orgs = {c.id: found.get((c.values["responsible_unit"], c.values["region_id"])) for c in changes
                if c.unit_changed}
        changeable = scope.changeable_in(self.actor.user, self.region)
        if self.postgres:
            _update_postgres(changes, orgs, self.now, changeable)
        else:
            self._orm_update(changes, orgs, changeable)
        record_changes(actor=self.actor, action="import_update", batch=self.batch, at=self.now, changes=(
            Change("project", c.id, c.name, c.before, c.after, project_id=c.id, classified=c.values["classified"])
            for c in changes
        ))
        for flag in (True, False):  # a re-import that (de)classifies projects re-flags their history
            reflag_history(classified=flag, project_ids=[c.id for c in changes
                                                         if "classified" in c.after and c.values["classified"] == flag])
        renumber([c.id for c in changes if "classified" in c.after])  # into the other series

    def _units(self, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """`unit_ids`, asked only for the units no earlier chunk of this import named."""
        if missing := wanted - self.units.keys():
            self.units.update(unit_ids(missing))
        return self.units

    def _check_line(self, row: dict) -> None:
        department = row["department_id"]
        if self.lines is not None and department not in self.lines:
            raise NotAllowed(str(OTHER_LINE))
        if row["classified"] and department not in self.classified_lines:
            raise NotAllowed(str(CLASSIFIED_BY_OWNER))

    def _stored(self, rows: list[dict], units: dict[tuple[str, str], int]) -> Iterator[dict]:
        """Each row as stored: defaults, 台账编号, status, league, responsible organization."""
        lines, check = self.lines, self._check_line
        for values in rows:
            row = DEFAULTS | values
            if lines is not None or row["classified"]:
                check(row)
            code = row["region_id"]
            prefecture = self.regions[code].prefecture
            if row["classified"]:  # their own series (services.ledger_numbers), reserved in `create`
                row["ledger_no"] = next(self.numbers[(code, True)])
            else:
                row["ledger_no"] = next(self.numbers[code])
            row["status"] = Status.CANDIDATE.value
            row["stage"] = Stage.NONE.value
            row["prefecture_id"] = prefecture.code if prefecture else None
            row["responsible_org_id"] = units.get((row["responsible_unit"], code))
            yield row

    def _orm_create(self, rows: list[dict]) -> None:
        projects = [Project(**row, version=1) for row in rows]
        Project.objects.bulk_create(projects, batch_size=BATCH)
        self.created.update(p.pk for p in projects)
        record_changes(actor=self.actor, action="import_create", batch=self.batch, at=self.now, changes=(
            Change.of(p, None, created_entry(row), project_id=p.pk, classified=row["classified"])
            for p, row in zip(projects, rows, strict=True)
        ))

    def _orm_update(self, changes: list[ProjectChange], orgs: dict[int, int | None], changeable: Q) -> None:
        current = {}
        ids = [c.id for c in changes]
        for i in range(0, len(ids), IN_CHUNK):
            current.update((pk, (version, org_id)) for pk, version, org_id in Project.objects.filter(
                changeable, pk__in=ids[i:i + IN_CHUNK]).values_list("pk", "version", "responsible_org_id"))
        objects = []
        for c in changes:
            if c.id not in current:
                raise NotAllowed(_("导入要修改的项目超出了您的修改范围"))
            version, org_id = current[c.id]
            if version != c.version:
                raise ConflictError(CHANGED_MEANWHILE)
            objects.append(Project(
                pk=c.id, **{a: c.values[a] for a in ATTRS}, prefecture_id=c.prefecture_id, version=version + 1,
                updated_at=self.now, responsible_org_id=orgs[c.id] if c.unit_changed else org_id,
            ))
        Project.objects.bulk_update(
            objects, [*ATTRS, "prefecture_id", "responsible_org_id", "version", "updated_at"], batch_size=BATCH
        )


IN_CHUNK = 400  # values per IN (…) off PostgreSQL: SQLite builds may allow only 999 variables a statement


def unit_ids(wanted: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The responsible unit named in each row, as an organization (created once per name and region), so its
    staff can be given accounts (as `services.resolve_unit` does for one project)."""
    if not wanted:
        return {}
    names = sorted({n for n, _ in wanted})
    chunk = 5000 if connection.vendor == "postgresql" else IN_CHUNK

    def existing() -> dict:
        found = {}
        for i in range(0, len(names), chunk):
            for name, region_id, pk in Organization.objects.filter(name__in=names[i:i + chunk]).values_list(
                "name", "region_id", "pk"
            ):
                found[(name, region_id)] = pk
        return found

    found = existing()
    missing = [Organization(name=n, region_id=r, kind=OrgKind.UNIT) for n, r in wanted if (n, r) not in found]
    if missing:
        Organization.objects.bulk_create(missing, batch_size=BATCH, ignore_conflicts=True)
        found = existing()
    return found


# Dictionary key → the stored row's attribute, in the order of `dictionary.snapshot`.
LOG_SOURCES = [(key, ATTRIBUTE.get(key, key)) for key in KEYS]
BOOL_KEYS = [f.key for f in FIELDS if f.type == "bool"]  # logged as JSON booleans, the rest as text


# Decimal attribute → its column's exponent: a value is logged with the places the database keeps ("12.5000").
PLACES = {f.attname: Decimal(1).scaleb(-f.decimal_places) for f in _FIELDS if f.get_internal_type() == "DecimalField"}


def created_entry(row: dict) -> dict:
    """What `dictionary.snapshot` records for a new project, from its stored row (money as exact strings,
    personal values encrypted)."""
    entry = {key: row[attr] for key, attr in LOG_SOURCES}
    for attr, places in PLACES.items():
        if row[attr] is not None:
            entry[attr] = str(Decimal(row[attr]).quantize(places))  # an attribute named as its key
    return crypto.seal(entry, PERSONAL)


# The attributes COPY writes encrypted (what EncryptedCharField.get_prep_value does for the ORM).
SEALED = [i for i, attr in enumerate(ATTRS) if attr in PERSONAL]


def _sealed(values: tuple) -> tuple:
    if not SEALED:
        return values
    values = list(values)
    for i in SEALED:
        values[i] = crypto.encrypt(values[i]) if values[i] else values[i]
    return tuple(values)


# -- PostgreSQL -----------------------------------------------------------------------------------------------

PROJECT_COLUMNS = ["id", "ledger_no", *ATTRS, "prefecture_id", "responsible_org_id", "status", "status_reason",
                   "version", "created_at", "updated_at", "stage"]
ROW_VALUES = itemgetter("ledger_no", *ATTRS, "prefecture_id", "responsible_org_id")  # a stored row's, in order
TABLE = Project._meta.db_table


def _copy_projects(rows: Iterator[dict], count: int, now) -> list[int]:
    connection.ensure_connection()
    with connection.connection.cursor() as cur:  # psycopg's own cursor, inside Django's transaction
        ids = new_ids(count)
        tail = (Status.CANDIDATE.value, "", 1, now, now, Stage.NONE.value)
        with cur.copy(f"COPY {TABLE} ({', '.join(PROJECT_COLUMNS)}) FROM STDIN") as copy:
            end = len(ATTRS) + 1  # ledger_no, the attributes, then the organisations
            for pk, row in zip(ids, rows, strict=True):
                values = ROW_VALUES(row)
                copy.write_row((pk, values[0], *_sealed(values[1:end]), *values[end:], *tail))
    return ids


def _snapshot_sql(alias: str) -> str:
    """The JSON that `created_entry` gives, built by PostgreSQL from a stored project row: every value as text
    (money exactly, as `str(Decimal)` gives it; NULL stays null) except `classified`, a boolean.
    `jsonb_object(keys, values)` takes a fifth less time than `jsonb_build_object` with 60 arguments."""
    texts = [(key, attr) for key, attr in LOG_SOURCES if key not in BOOL_KEYS]
    keys = ", ".join(f"'{key}'" for key, _ in texts)
    values = ", ".join(f"{alias}.{attr}::text" for _, attr in texts)
    booleans = ", ".join(f"'{key}', {alias}.{key}" for key in BOOL_KEYS)
    return f"jsonb_object(ARRAY[{keys}], ARRAY[{values}]) || jsonb_build_object({booleans})"


# The change-log entry of each new project, over the rows stored (ids as the one parameter).
CREATED_ENTRY = {"object_type": "'project'", "object_id": "p.id::text", "object_repr": "left(p.name, 200)",
                 "project_id": "p.id", "classified": "p.classified", "before": "NULL", "after": _snapshot_sql("p"),
                 "reason": "''"}
# In the rows' order (ids are random: core/ids.py), so the log lists an import as its file does.
CREATED_SOURCE = (f"FROM unnest(%s::bigint[]) WITH ORDINALITY AS row_ids(id, n) JOIN {TABLE} AS p ON p.id = row_ids.id "
                  "ORDER BY row_ids.n")


def _update_postgres(changes: list[ProjectChange], orgs: dict[int, int | None], now, changeable: Q) -> None:
    temp = "import_update"
    columns = ["id", "old_version", *ATTRS, "prefecture_id", "responsible_org_id", "unit_changed"]
    connection.ensure_connection()
    with connection.connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {temp}")
        cur.execute(
            f"CREATE TEMP TABLE {temp} ON COMMIT DROP AS SELECT id, version AS old_version, {', '.join(ATTRS)}, "
            f"prefecture_id, responsible_org_id, false AS unit_changed FROM {TABLE} WITH NO DATA"
        )
        with cur.copy(f"COPY {temp} ({', '.join(columns)}) FROM STDIN") as copy:
            for c in changes:
                copy.write_row((c.id, c.version, *_sealed(tuple(c.values[a] for a in ATTRS)), c.prefecture_id,
                                orgs.get(c.id), c.unit_changed))
    # Scope asked again at the write: every project changed must be one this import may change.
    allowed = Project.objects.filter(changeable, pk__in=RawSQL(f"SELECT id FROM {temp}", ())).count()
    if allowed != len(changes):
        raise NotAllowed(_("导入要修改的项目超出了您的修改范围"))
    assignments = ", ".join(f"{a} = t.{a}" for a in ATTRS)
    with connection.connection.cursor() as cur:
        cur.execute(
            f"UPDATE {TABLE} AS p SET {assignments}, prefecture_id = t.prefecture_id, responsible_org_id = "
            f"CASE WHEN t.unit_changed THEN t.responsible_org_id ELSE p.responsible_org_id END, "
            f"version = p.version + 1, updated_at = %s FROM {temp} AS t "
            f"WHERE p.id = t.id AND p.version = t.old_version",
            [now],
        )
        if cur.rowcount != len(changes):
            raise ConflictError(CHANGED_MEANWHILE)
