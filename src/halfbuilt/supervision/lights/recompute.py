"""Recomputing the lights, set-based: every rule is one INSERT … SELECT into a temporary table of wanted reasons,
the colours come from one GROUP BY over it, and only lights whose colour or reasons changed are written. A change
of colour is kept twice: in the light's history (LightChange) and, when it turns to or from yellow or red, in the
project's change log (its timeline). The same statements serve all projects (the daily task) and a few (the
change-log hook). See docs/lights.md."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import OperationalError, connection, transaction
from django.db.models import F, Value
from django.utils import timezone

from halfbuilt.audit.services import SelectedChanges, record_changes
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project, Stage, Status

from .models import Colour, Light, LightChange, LightReason, LightSettings
from .reasons import REASON_CODE, Context, Reason, Rule, rules

# Above this many projects a partial recompute runs over all of them: one pass beats a huge IN list.
PARTIAL_MAX = 500
WANT, NEW = "lights_want", "lights_new"
SYSTEM = Actor(user=None, via="lights")
LIGHT_ACTION = "light_change"


@dataclass(frozen=True)
class Outcome:
    lit: int  # projects with a light after the recompute (within the recomputed ones)
    changed: int  # lights whose colour changed (new and put out included)


def lit_projects():
    """The projects that carry a light: in the ledger and not closed (docs/lights.md)."""
    return Project.objects.filter(status=Status.IN_LEDGER).exclude(stage=Stage.CLOSED).order_by()


class Busy(Exception):
    """Another recompute holds the lock (asked not to wait)."""


def recompute(project_ids: Iterable[int] | None = None, *, now: dt.datetime | None = None,
              wait: bool = True) -> Outcome:
    """Recompute the lights of `project_ids` (None: of every project). With `wait=False`, raise Busy rather
    than wait for a recompute under way (a page's write must not wait for the daily run)."""
    ids = None if project_ids is None else sorted(set(project_ids))
    if ids is not None and len(ids) > PARTIAL_MAX:
        ids = None
    if ids == []:
        return Outcome(0, 0)
    now = now or timezone.now()
    LightSettings.current()  # the row exists before it is locked
    with transaction.atomic():
        # One recompute at a time: the settings row is the lock (the hook's and the daily one may meet).
        nowait = not wait and connection.features.has_select_for_update_nowait
        try:
            settings = LightSettings.objects.select_for_update(nowait=nowait).get(pk=1)
        except OperationalError as exc:
            raise Busy from exc
        context = Context(settings=settings, now=now, today=timezone.localtime(now).date())
        base = lit_projects() if ids is None else lit_projects().filter(pk__in=ids)
        with connection.cursor() as cursor:
            return _Run(cursor, context, base, ids).run()


class _Run:
    def __init__(self, cursor, context: Context, base, ids: list[int] | None) -> None:
        self.cursor, self.context, self.base, self.ids = cursor, context, base, ids
        self.rules: list[Rule] = rules()
        self.reasons: list[Reason] = sorted((r for rule in self.rules for r in rule.reasons), key=lambda r: r.bit)
        self.light, self.reason = Light._meta.db_table, LightReason._meta.db_table
        self.change = LightChange._meta.db_table
        self.postgres = connection.vendor == "postgresql"

    def execute(self, sql: str, params=()) -> int:
        self.cursor.execute(sql, list(params))
        return self.cursor.rowcount

    def scope(self, column: str) -> tuple[str, list]:
        """`AND column IN (ids)` for a partial recompute, nothing for a whole one."""
        if self.ids is None:
            return "", []
        return f" AND {column} IN ({', '.join(['%s'] * len(self.ids))})", list(self.ids)

    def run(self) -> Outcome:
        self.execute(f"DROP TABLE IF EXISTS {WANT}")
        self.execute(f"DROP TABLE IF EXISTS {NEW}")
        self.execute(f"CREATE TEMPORARY TABLE {WANT} (project_id bigint NOT NULL, code varchar(40) NOT NULL)")
        self.execute(f"CREATE TEMPORARY TABLE {NEW} (project_id bigint PRIMARY KEY, colour smallint NOT NULL, "
                     "reasons bigint NOT NULL)")
        self.want()
        self.colours()
        changed = self.write_lights()
        self.write_reasons()
        lit = self._count(NEW)
        self.execute(f"DROP TABLE {WANT}")
        self.execute(f"DROP TABLE {NEW}")
        if self.postgres and self.ids is None:
            # The recompute is these tables' only writer: fresh statistics keep the list's filters on their
            # indexes (a first fill left unanalysed made PostgreSQL expect 300 red lights, not 20,000).
            self.execute(f"ANALYZE {self.light}, {self.reason}")
        return Outcome(lit, changed)

    def _count(self, table: str) -> int:
        self.cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return self.cursor.fetchone()[0]

    def want(self) -> None:
        for rule in self.rules:
            code = F(REASON_CODE) if len(rule.reasons) > 1 else Value(rule.reasons[0].code)
            hits = rule.hits(self.base, self.context).order_by().annotate(
                hit_id=F("pk"), hit_code=code).values_list("hit_id", "hit_code")
            try:
                sql, params = hits.query.sql_with_params()
            except EmptyResultSet:  # the rule hits nothing today (e.g. before the plan phase's deadline)
                continue
            self.execute(f"INSERT INTO {WANT} (project_id, code) SELECT DISTINCT * FROM ({sql}) hits "
                         "WHERE hits.hit_code IS NOT NULL", params)
        self.execute(f"CREATE INDEX {WANT}_project ON {WANT} (project_id, code)")
        if self.postgres:
            self.execute(f"ANALYZE {WANT}")

    def colours(self) -> None:
        colour = " ".join(f"WHEN %s THEN {int(r.colour)}" for r in self.reasons)
        bit = " ".join(f"WHEN %s THEN {1 << r.bit}" for r in self.reasons)
        codes = [r.code for r in self.reasons]
        sql, params = self.base.annotate(lit_id=F("pk")).values_list("lit_id").query.sql_with_params()
        if not self.reasons:
            colour_sql, bits_sql, codes = str(int(Colour.GREEN)), "0", []
        else:
            colour_sql = f"COALESCE(MAX(CASE w.code {colour} END), {int(Colour.GREEN)})"
            bits_sql = f"COALESCE(SUM(CASE w.code {bit} END), 0)"
        self.execute(
            f"INSERT INTO {NEW} (project_id, colour, reasons) SELECT e.lit_id, {colour_sql}, {bits_sql} "
            f"FROM ({sql}) e LEFT JOIN {WANT} w ON w.project_id = e.lit_id GROUP BY e.lit_id",
            [*codes, *codes, *params],
        )
        if self.postgres:
            self.execute(f"ANALYZE {NEW}")

    def write_lights(self) -> int:
        now, light, change = self.context.now, self.light, self.change
        where, ids = self.scope("l.project_id")
        gone = f"FROM {light} l WHERE NOT EXISTS (SELECT 1 FROM {NEW} n WHERE n.project_id = l.project_id){where}"
        self.log_changes(where, ids)
        changed = self.execute(
            f"INSERT INTO {change} (project_id, from_colour, to_colour, reasons, at) "
            f"SELECT n.project_id, l.colour, n.colour, n.reasons, %s FROM {NEW} n "
            f"LEFT JOIN {light} l ON l.project_id = n.project_id WHERE l.project_id IS NULL OR l.colour <> n.colour",
            [now],
        )
        changed += self.execute(
            f"INSERT INTO {change} (project_id, from_colour, to_colour, reasons, at) "
            f"SELECT l.project_id, l.colour, NULL, 0, %s {gone}", [now, *ids]
        )
        self.execute(f"DELETE FROM {light} WHERE project_id IN (SELECT l.project_id {gone})", ids)
        self.execute(
            f"UPDATE {light} SET colour = n.colour, reasons = n.reasons, "
            f"since = CASE WHEN {light}.colour <> n.colour THEN %s ELSE {light}.since END FROM {NEW} n "
            f"WHERE n.project_id = {light}.project_id AND ({light}.colour <> n.colour OR {light}.reasons <> n.reasons)",
            [now],
        )
        # ON CONFLICT, not NOT EXISTS: planned on an empty table (the first run), the anti-join scanned the rows
        # the statement itself had inserted for every new one (quadratic: hours at 1,000,000 projects).
        self.execute(
            f"INSERT INTO {light} (project_id, colour, reasons, since, project_created_at) "
            f"SELECT n.project_id, n.colour, n.reasons, %s, p.created_at FROM {NEW} n "
            f"JOIN ledger_project p ON p.id = n.project_id "
            f"WHERE true ON CONFLICT (project_id) DO NOTHING", [now]  # WHERE: SQLite parses ON as a join's
        )
        if self.ids is None:  # the daily run mends a copy of created_at that a hand-made change left behind
            self.execute(
                f"UPDATE {light} SET project_created_at = p.created_at FROM ledger_project p "
                f"WHERE p.id = {light}.project_id AND ({light}.project_created_at IS NULL "
                f"OR {light}.project_created_at <> p.created_at)"
            )
        return changed

    def write_reasons(self) -> None:
        reason = self.reason
        where, ids = self.scope(f"{reason}.project_id")
        self.execute(
            f"DELETE FROM {reason} WHERE NOT EXISTS (SELECT 1 FROM {WANT} w WHERE w.project_id = {reason}.project_id "
            f"AND w.code = {reason}.code){where}", ids
        )
        self.execute(  # ON CONFLICT on the (project, code) constraint: see write_lights
            f"INSERT INTO {reason} (project_id, code) SELECT w.project_id, w.code FROM {WANT} w "
            f"WHERE true ON CONFLICT (project_id, code) DO NOTHING"
        )

    def log_changes(self, where: str, ids: list) -> None:
        """The timeline's entries: a light turned to or from yellow or red (green's first light and green put
        out at closure are in the history only)."""
        light, green = self.light, int(Colour.GREEN)
        project = Project._meta.db_table
        columns = {
            "object_type": "'light'", "object_id": self._text("x.project_id"), "object_repr": "p.name",
            "project_id": "x.project_id", "classified": "p.classified",
            "before": self._json("x.old"), "after": self._json("x.new"), "reason": self._reason_text("x.reasons"),
        }
        turned = (f"SELECT n.project_id, l.colour AS old, n.colour AS new, n.reasons FROM {NEW} n "
                  f"LEFT JOIN {light} l ON l.project_id = n.project_id "
                  f"WHERE (l.project_id IS NULL AND n.colour <> {green}) OR l.colour <> n.colour")
        out = (f"SELECT l.project_id, l.colour AS old, NULL AS new, 0 AS reasons FROM {light} l "
               f"WHERE l.colour <> {green} AND NOT EXISTS (SELECT 1 FROM {NEW} n WHERE n.project_id = l.project_id)"
               f"{where}")
        source = f"FROM ({turned} UNION ALL {out}) x JOIN {project} p ON p.id = x.project_id"
        record_changes(actor=SYSTEM, action=LIGHT_ACTION, at=self.context.now,
                       changes=SelectedChanges(columns, source, ids))

    def _text(self, column: str) -> str:
        return f"CAST({column} AS {'text' if self.postgres else 'TEXT'})"

    def _json(self, column: str) -> str:
        cases = " ".join(f"WHEN {int(c)} THEN {_literal(_dumps(c.label))}" for c in Colour)
        text = f"CASE {column} {cases} ELSE NULL END"
        return f"CAST({text} AS jsonb)" if self.postgres else text

    def _reason_text(self, column: str) -> str:
        parts = [f"CASE WHEN ({column} & {1 << r.bit}) <> 0 THEN {_literal(str(r.label) + '；')} "
                 "ELSE '' END" for r in sorted(self.reasons, key=lambda r: (-r.colour, r.bit))]
        return " || ".join(parts) if parts else "''"


def _dumps(label: str) -> str:
    return json.dumps({"light": str(label)}, ensure_ascii=False)


def _literal(text: str) -> str:
    """An SQL string literal of our own constant text (labels), quotes doubled."""
    return "'" + text.replace("'", "''") + "'"
