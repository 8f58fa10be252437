"""Maintaining the cube (models.Cell): exact deltas when projects change, a full rebuild with its drift.

`refresh(ids)` is called after every commit that logged project changes (audit.signals.projects_changed). It is
set-based for many ids (an import sends 100,000): the per-project rows are locked in id order, every project's
new cells computed by a few queries per 2,000 ids, and each cell moved once by `n = n + delta` (an upsert), in
key order. Two commits refreshing the same project queue behind its row's lock; two refreshing the same cell add
to it, neither overwrites the other. `rebuild()` recomputes everything from the projects and says how far the
cube had drifted. See docs/dashboard.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from halfbuilt.closure.models import ClosureRequest, ClosureStatus
from halfbuilt.ledger.models import Project, Stage

from . import sources
from .models import Cell, Grain, ProjectCells

CHUNK = 2000
ZERO = Decimal(0)
# The dimensions of a key, in its order; None is written "~".
DIMENSIONS = ("grain", "region_id", "prefecture_id", "department_id", "classified", "status", "kind", "stage",
              "method", "outcome", "light", "month")
MEASURES = ("n", "total", "completed", "needed")


def make_key(**dims) -> str:
    parts = []
    for name in DIMENSIONS:
        value = dims.get(name, "")
        parts.append("~" if value is None else ("1" if value is True else "0" if value is False else str(value)))
    return "|".join(parts)


def dims_of(key: str) -> dict:
    values = key.split("|")
    dims = {name: (None if value == "~" else value) for name, value in zip(DIMENSIONS, values, strict=True)}
    dims["classified"] = dims["classified"] == "1"
    return dims


# A province-level cell is a league-level one with some dimensions emptied (the scope's league and department, or
# all but one of them and the facts a row does not count by); a project's province keys are derived from its
# league keys, never stored (`ProjectCells.keys` holds the others). Whoever reads them sees every unclassified
# project: nothing of their scope is in the emptied columns.
SCOPE_DIMENSIONS = ("region_id", "prefecture_id", "department_id")
PROVINCE = {
    Grain.LEAGUE_ENTERED: ((Grain.PROVINCE_ENTERED, SCOPE_DIMENSIONS),),
    Grain.LEAGUE_CLOSED: ((Grain.PROVINCE_CLOSED, SCOPE_DIMENSIONS),),
    Grain.LEAGUE_MAIN: ((Grain.PROVINCE_MAIN, SCOPE_DIMENSIONS),
                        (Grain.PROVINCE_LEAGUES, ("region_id", "department_id", "kind", "method")),
                        (Grain.PROVINCE_DEPARTMENTS, ("region_id", "prefecture_id", "kind", "method"))),
}
_EMPTIED = {grain: tuple((target, frozenset(DIMENSIONS.index(d) for d in emptied)) for target, emptied in derived)
            for grain, derived in PROVINCE.items()}


def province_keys(keys: Iterable[str]) -> list[str]:
    """The province-level keys of a project's league-level ones: the same key with the grain's emptied dimensions
    left blank (the derivation of migrations 0002 and 0003)."""
    found = []
    for key in keys:
        grain, _sep, _rest = key.partition("|")
        for target, emptied in _EMPTIED.get(grain, ()):
            parts = key.split("|")
            found.append("|".join(target if i == 0 else "" if i in emptied else part for i, part in enumerate(parts)))
    return found


def month_of(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m") if moment else ""


@dataclass
class ProjectState:
    pk: int
    stored: tuple[str, ...]  # one cell per grain (none of the closed grains when the project is not closed)
    sums: tuple[Decimal, Decimal, Decimal]  # total, completed, still needed (万元)

    @property
    def text(self) -> str:
        return "\n".join(self.stored)

    @property
    def keys(self) -> tuple[str, ...]:
        """Every cell the project is counted in: the stored keys and the province-level ones derived from them."""
        return (*self.stored, *province_keys(self.stored))


def keys_of(row: ProjectCells) -> tuple[str, ...]:
    stored = row.keys.split("\n") if row.keys else []
    return (*stored, *province_keys(stored))


def states(queryset) -> Iterator[ProjectState]:
    """The cells of each project of `queryset` (a few queries, whatever their number)."""
    last_closed = ClosureRequest.objects.filter(project=OuterRef("pk"), status=ClosureStatus.CLOSED).order_by(
        "-closed_at", "-id")
    rows = list(queryset.order_by().annotate(
        plan_method=F("plan__method"),
        closure_outcome=Subquery(last_closed.values("outcome")[:1]),
        closure_at=Subquery(last_closed.values("closed_at")[:1]),
    ).values_list("pk", "region_id", "prefecture_id", "department_id", "classified", "status", "kind", "stage",
                  "plan_method", "closure_outcome", "closure_at", "created_at", "total_investment",
                  "completed_investment"))
    lights = sources.lights([row[0] for row in rows])
    for (pk, region, prefecture, department, classified, status, kind, stage, method, outcome, closed_at,
         created_at, total, completed) in rows:
        scope = {"region_id": region, "prefecture_id": prefecture, "department_id": department,
                 "classified": classified, "status": status}
        closed = stage == Stage.CLOSED and closed_at is not None
        facts = {"kind": kind, "stage": stage, "method": method or "", "outcome": outcome if closed else "",
                 "light": lights.get(pk, "")}
        entered, closed_month = month_of(created_at), month_of(closed_at) if closed else ""
        keys = []
        for grains, region_id in (((Grain.MAIN, Grain.ENTERED, Grain.CLOSED), region),
                                  ((Grain.LEAGUE_MAIN, Grain.LEAGUE_ENTERED, Grain.LEAGUE_CLOSED), "")):
            where = {**scope, "region_id": region_id}
            keys.append(make_key(grain=grains[0], **where, **facts))
            keys.append(make_key(grain=grains[1], **where, month=entered))
            if closed:
                keys.append(make_key(grain=grains[2], **where, month=closed_month))
        # Still needed: what the total lacks of the completed (an unknown completed investment counts as none).
        needed = (total - (completed or ZERO)) if total is not None else ZERO
        yield ProjectState(pk, tuple(keys), (total or ZERO, completed or ZERO, needed))


class Deltas:
    """Changes of cells, summed by key before anything is written."""

    def __init__(self) -> None:
        self.by_key: dict[str, list] = {}

    def add(self, keys: Iterable[str], sums: Iterable[Decimal], sign: int) -> None:
        sums = tuple(sums)
        for key in keys:
            if not key:
                continue
            entry = self.by_key.setdefault(key, [0, ZERO, ZERO, ZERO])
            entry[0] += sign
            for i, amount in enumerate(sums, start=1):
                entry[i] += sign * amount

    def apply(self) -> None:
        changed = [(key, entry) for key, entry in sorted(self.by_key.items()) if any(entry)]
        if not changed:
            return
        table = Cell._meta.db_table
        columns = ["key", *DIMENSIONS, *MEASURES]
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        sets = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in MEASURES)
        sql = (f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))}) "
               f"ON CONFLICT ({connection.ops.quote_name('key')}) DO UPDATE SET {sets}")
        params = []
        for key, (n, total, completed, needed) in changed:
            dims = dims_of(key)
            params.append([key, *(dims[d] for d in DIMENSIONS), n, total, completed, needed])
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def refresh(project_ids: Iterable[int]) -> None:
    """Move the projects `project_ids` to the cells their facts give them now."""
    ids = sorted({int(pk) for pk in project_ids})
    if not ids:
        return
    with transaction.atomic():
        old: dict[int, ProjectCells] = {}
        for chunk in _chunks(ids):
            # A row for each new project first, so that every project has a row to lock.
            ProjectCells.objects.bulk_create([ProjectCells(project_id=pk) for pk in chunk], ignore_conflicts=True)
            locked = ProjectCells.objects.select_for_update().filter(project_id__in=chunk).order_by("project_id")
            old.update((row.project_id, row) for row in locked)
        deltas = Deltas()
        rows: list[ProjectCells] = []
        for chunk in _chunks(ids):
            for state in states(Project.objects.filter(pk__in=chunk)):
                before = old.pop(state.pk)
                deltas.add(keys_of(before), (before.total, before.completed, before.needed), -1)
                deltas.add(state.keys, state.sums, +1)
                rows.append(_row(state))
        for before in old.values():  # projects that no longer exist
            deltas.add(keys_of(before), (before.total, before.completed, before.needed), -1)
        deltas.apply()
        ProjectCells.objects.bulk_create(
            rows, batch_size=CHUNK, update_conflicts=True, unique_fields=["project_id"],
            update_fields=["keys", "total", "completed", "needed"])
        ProjectCells.objects.filter(project_id__in=list(old)).delete()


def _row(state: ProjectState) -> ProjectCells:
    total, completed, needed = state.sums
    return ProjectCells(project_id=state.pk, keys=state.text, total=total, completed=completed, needed=needed)


@dataclass
class Drift:
    cells: int = 0  # cells whose figures differed from the projects'
    projects: int = 0  # projects counted in other cells than their facts give
    examples: list[str] = field(default_factory=list)

    @property
    def none(self) -> bool:
        return not self.cells and not self.projects


def _nonzero_cells() -> dict[str, tuple]:
    return {key: tuple(values) for key, *values in Cell.objects.exclude(n=0).values_list("key", *MEASURES)}


def rebuild(*, dry_run: bool = False) -> Drift:
    """Recompute the whole cube from the projects; returns how far the maintained cube had drifted."""
    drift = Drift()
    expected: dict[str, list] = {}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Refreshes wait until the rebuild commits, then apply their deltas to the rebuilt cube.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {ProjectCells._meta.db_table}, {Cell._meta.db_table} "
                               "IN SHARE ROW EXCLUSIVE MODE")
        last = 0
        while True:
            ids = list(Project.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK * 5])
            upper = ids[-1] if ids else None
            span = ProjectCells.objects.filter(project_id__gt=last)
            if upper is not None:
                span = span.filter(project_id__lte=upper)
            kept = dict(span.values_list("project_id", "keys"))
            rows = []
            for state in states(Project.objects.filter(pk__in=ids)) if ids else ():
                if kept.pop(state.pk, None) != state.text:
                    drift.projects += 1
                for key in state.keys:
                    if key:
                        entry = expected.setdefault(key, [0, ZERO, ZERO, ZERO])
                        entry[0] += 1
                        for i, amount in enumerate(state.sums, start=1):
                            entry[i] += amount
                rows.append(_row(state))
            drift.projects += len(kept)  # rows of projects that no longer exist
            if not dry_run:
                span.delete()
                ProjectCells.objects.bulk_create(rows, batch_size=CHUNK)
            if upper is None:
                break
            last = upper
        current = _nonzero_cells()
        for key in sorted(set(current) | set(expected)):
            want = tuple(expected.get(key, (0, ZERO, ZERO, ZERO)))
            have = current.get(key, (0, ZERO, ZERO, ZERO))
            if want[0] != have[0] or any(abs(Decimal(w) - Decimal(h)) > Decimal("0.0001")
                                         for w, h in zip(want[1:], have[1:], strict=True)):
                drift.cells += 1
                if len(drift.examples) < 10:
                    drift.examples.append(key)
        if not dry_run:
            Cell.objects.all().delete()
            # In key order (grain, region, league, department …): the cells a page reads together lie together,
            # a few dozen blocks for the office's thousands of league-level cells instead of one block each.
            Cell.objects.bulk_create([
                Cell(key=key, **dims_of(key), n=n, total=total, completed=completed, needed=needed)
                for key, (n, total, completed, needed) in sorted(expected.items())
            ], batch_size=CHUNK)
    return drift
