"""The dashboard's figures for one user, read from the cube (never from the projects), each with the ledger
list's query that selects exactly its projects.

Scope: the cube's columns are named as the project's, so `accounts.scope.project_filter(user, "dashboard")`
applies to it as it stands: the office sees every project but classified ones, a league or county government
its subtree, a department its line within its region (its own classified projects included).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, cached_property, lru_cache
from urllib.parse import urlencode

from django.db.models import QuerySet, Sum, Value
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts.scope import project_filter
from halfbuilt.disposal.models import Method
from halfbuilt.ledger.filters import NONE, REVITALISED, REVITALISED_OUTCOMES
from halfbuilt.ledger.models import Kind, Stage, Status
from halfbuilt.regions.models import Department, Region

from . import sources
from .models import Cell, Grain

ZERO = Decimal(0)
YI = Decimal(10000)  # 万元 in one 亿元
UNASSIGNED = "unassigned"  # the ledger filter's value for 待指定 (no competent department yet)
# Stages of a project whose plan is confirmed (已制定方案) and of one still being disposed of (处置中).
PLANNED_STAGES = (Stage.DISPOSING, Stage.CLOSING, Stage.CLOSED)
DISPOSING_STAGES = (Stage.DISPOSING, Stage.CLOSING)

LABELS = {
    "in_ledger": gettext_lazy("台账项目"),
    "revitalised": gettext_lazy("已盘活"),
    "closed": gettext_lazy("已销号"),
    "rate": gettext_lazy("销号率"),
    "plan_rate": gettext_lazy("方案制定率"),
    "planned": gettext_lazy("已制定方案"),
    "disposing": gettext_lazy("处置中"),
    "red": gettext_lazy("红灯"),
    "yellow": gettext_lazy("黄灯"),
    "green": gettext_lazy("绿灯"),
    "total": gettext_lazy("总投资"),
    "completed": gettext_lazy("已完成投资"),
    "needed": gettext_lazy("尚需投资"),
    "no_plan": gettext_lazy("尚无方案"),
    "entered": gettext_lazy("登记入账"),
    "no_league": gettext_lazy("自治区本级"),
    "unassigned": gettext_lazy("待指定"),
}


@cache
def _list_path() -> str:
    return reverse("ledger:project_list")


def ledger_url(**params: str) -> str:
    """The ledger list of the projects in the ledger selected by `params` (the list's own filters)."""
    return _ledger_url(tuple(params.items()))


@lru_cache(maxsize=4096)
def _ledger_url(params: tuple[tuple[str, str], ...]) -> str:
    # A page draws a few hundred of these links, the same ones on every request.
    return f"{_list_path()}?{urlencode({'status': Status.IN_LEDGER, **dict(params)})}"


@dataclass
class Count:
    label: str
    n: int
    url: str
    key: str = ""  # what it counts, for the page's styling (a light's colour)


def rate(closed: int, total: int) -> Decimal | None:
    """销号率: closed / in the ledger, a share rounded to 0.1 %; None when nothing is in the ledger."""
    if not total:
        return None
    return (Decimal(closed) / Decimal(total)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


@dataclass
class Row:
    """One league or department: its counts, its rate and its rank."""

    key: str
    name: str
    params: dict
    n: int = 0
    planned: int = 0
    disposing: int = 0
    closed: int = 0
    revitalised: int = 0
    red: int = 0
    yellow: int = 0
    total: Decimal = ZERO
    rank: int = 0

    @property
    def rate(self) -> Decimal | None:
        return rate(self.closed, self.n)

    @property
    def plan_rate(self) -> Decimal | None:
        """方案制定率: projects whose plan is confirmed (已制定方案) / in the ledger."""
        return rate(self.planned, self.n)

    def url(self, **more: str) -> str:
        return ledger_url(**self.params, **more)

    @cached_property
    def links(self) -> dict[str, str]:
        return {
            "n": self.url(), "closed": self.url(stage=Stage.CLOSED),
            "revitalised": self.url(outcome=REVITALISED),
        }


@dataclass
class Month:
    month: str
    entered: int = 0
    closed: int = 0

    @cached_property
    def entered_url(self) -> str:
        return ledger_url(entered_month=self.month)

    @cached_property
    def closed_url(self) -> str:
        return ledger_url(closed_month=self.month)


@dataclass
class Dashboard:
    total: Count
    closed: Count
    revitalised: Count
    rate: Decimal | None
    target: Decimal | None
    investment: dict[str, Decimal]
    by_kind: list[Count]
    by_stage: list[Count]
    by_method: list[Count]
    leagues: list[Row]
    departments: list[Row]
    months: list[Month] = field(default_factory=list)
    lights: list[Count] = field(default_factory=list)
    targets: list = field(default_factory=list)  # the campaign's (campaign.models.Target), for its timeline

    @property
    def investment_yi(self) -> dict[str, Decimal]:
        return {k: (v / YI).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for k, v in self.investment.items()}

    def counts(self) -> list[Count]:
        """Every count of the page, for the test that follows each link (the tables' rows included)."""
        found = [self.total, self.closed, self.revitalised, *self.lights, *self.by_kind, *self.by_stage,
                 *self.by_method]
        for row in (*self.leagues, *self.departments):
            found += [Count(row.name, row.n, row.links["n"]), Count(row.name, row.closed, row.links["closed"]),
                      Count(row.name, row.revitalised, row.links["revitalised"])]
        for month in self.months:
            found += [Count(month.month, month.entered, month.entered_url),
                      Count(month.month, month.closed, month.closed_url)]
        return found


def cells(user) -> QuerySet:
    """The cube as far as `user` may see it (nothing without a dashboard role)."""
    return Cell.objects.filter(project_filter(user, "dashboard"))


def grains(user, *, by_region: bool = False) -> tuple[str, str, str]:
    """The grains (main, entered, closed) `user`'s scope is read from: the league-level ones, unless a role of
    theirs stops at a county, whose scope needs the county-level region; the months of whoever sees every
    unclassified project (the office) come from the province level (nothing of the scope but classified), unless
    they are wanted `by_region` (a circular's closures in its months, by league and department)."""
    from halfbuilt.accounts.scope import ACTIONS, assignments, sees_every_unclassified
    from halfbuilt.regions.models import RegionLevel

    if not by_region and sees_every_unclassified(user, "dashboard"):
        return Grain.LEAGUE_MAIN, Grain.PROVINCE_ENTERED, Grain.PROVINCE_CLOSED
    county = any(a.role in ACTIONS["dashboard"] and a.organization.region.level == RegionLevel.COUNTY
                 for a in assignments(user))
    if county:
        return Grain.MAIN, Grain.ENTERED, Grain.CLOSED
    return Grain.LEAGUE_MAIN, Grain.LEAGUE_ENTERED, Grain.LEAGUE_CLOSED


def main_cells(user) -> QuerySet:
    return cells(user).filter(grain=grains(user)[0], status=Status.IN_LEDGER)


# The columns of the cube's cells from which every figure but the trend is summed here (a few thousand rows at
# most): one scan of the cube instead of one per table.
GROUPS = ("prefecture_id", "department_id", "kind", "stage", "method", "outcome", "light")
PREFECTURE, DEPARTMENT, KIND, STAGE, METHOD, OUTCOME, LIGHT, N, TOTAL, COMPLETED, NEEDED = range(11)
VALUES = (*GROUPS, "n", "total", "completed", "needed")


def groups(main: QuerySet) -> list[tuple]:
    """The cells of `main` as (GROUPS…, n, total, completed, needed); a combination may come more than once (a
    department's classified and unclassified cells), the sums below add them up. Not grouped in SQL: the cells are
    already nearly the groups."""
    return list(main.exclude(n=0).values_list(*VALUES).order_by())


@dataclass
class Found:
    """The cells a dashboard is summed from: for its composition (totals, kinds, stages, methods, lights), for its
    league rows and for its department rows."""

    composition: list[tuple]
    leagues: list[tuple]
    departments: list[tuple]


PROVINCE_GRAINS = (Grain.PROVINCE_MAIN, Grain.PROVINCE_LEAGUES, Grain.PROVINCE_DEPARTMENTS)


def province_found(scoped: QuerySet) -> Found:
    """The three from the province-level grains (a few hundred cells in one query), for a scope of every
    unclassified project or a part of it by classified and status only: the office's, the portal's."""
    by_grain: dict[str, list[tuple]] = {grain: [] for grain in PROVINCE_GRAINS}
    for row in (scoped.filter(grain__in=PROVINCE_GRAINS, status=Status.IN_LEDGER).exclude(n=0)
                .values_list("grain", *VALUES).order_by()):
        by_grain[row[0]].append(row[1:])
    return Found(*(by_grain[grain] for grain in PROVINCE_GRAINS))


def found_for(user) -> Found:
    from halfbuilt.accounts.scope import sees_every_unclassified

    if sees_every_unclassified(user, "dashboard"):
        return province_found(cells(user))
    found = groups(main_cells(user))
    return Found(found, found, found)


def rows_by(found: list[tuple], column: int) -> dict:
    """Counts of the projects in the ledger per value of `column` (PREFECTURE or DEPARTMENT)."""
    by: dict = {}
    planned, disposing, revitalised = frozenset(PLANNED_STAGES), frozenset(DISPOSING_STAGES), frozenset(
        REVITALISED_OUTCOMES)
    for g in found:
        n = g[N]
        if not n:
            continue
        d = by.get(g[column])
        if d is None:
            d = by[g[column]] = {"count": 0, "planned": 0, "disposing": 0, "closed": 0, "revitalised": 0,
                                 "red": 0, "yellow": 0, "invested": ZERO}
        d["count"] += n
        d["invested"] += g[TOTAL] or ZERO
        stage, light = g[STAGE], g[LIGHT]
        if stage in planned:
            d["planned"] += n
        if stage in disposing:
            d["disposing"] += n
        if stage == Stage.CLOSED:
            d["closed"] += n
            if g[OUTCOME] in revitalised:
                d["revitalised"] += n
        if light == "red":
            d["red"] += n
        elif light == "yellow":
            d["yellow"] += n
    return by


def ranked(rows: list[Row]) -> list[Row]:
    """Best 销号率 first, then the larger ledger; equal figures share a rank (1, 1, 3) and go by name."""
    rows.sort(key=lambda r: (-(r.rate if r.rate is not None else Decimal(-1)), -r.n, r.name))
    for i, row in enumerate(rows):
        same = i and (row.rate, row.n) == (rows[i - 1].rate, rows[i - 1].n)
        row.rank = rows[i - 1].rank if same else i + 1
    return rows


def rank_by(rows: list, value, *, high_is_best: bool = True) -> list[tuple[int, object]]:
    """(rank, row) by `value(row)`: the best first, rows without a value (None) last; equal values share a rank
    (1, 1, 3) and go by name, then key (code point order, the same on every database)."""
    def order(row) -> tuple:
        v = value(row)
        return (v is None, 0 if v is None else (-v if high_is_best else v), row.name, row.key)

    placed: list[tuple[int, object]] = []
    for i, row in enumerate(sorted(rows, key=order)):
        same = i and value(row) == value(placed[-1][1])
        placed.append((placed[-1][0] if same else i + 1, row))
    return placed


def _fill(row: Row, data: dict) -> Row:
    row.n, row.planned, row.disposing = data["count"] or 0, data["planned"] or 0, data["disposing"] or 0
    row.closed, row.revitalised = data["closed"] or 0, data["revitalised"] or 0
    row.red, row.yellow, row.total = data["red"] or 0, data["yellow"] or 0, data["invested"] or ZERO
    return row


def names_of(leagues: Iterable[str | None], departments: Iterable[str | None]) -> tuple[dict, dict]:
    """The names of leagues and of departments by code, in one query."""
    regions = Region.objects.filter(code__in=[c for c in leagues if c]).annotate(table=Value("r"))
    lines = Department.objects.filter(code__in=[c for c in departments if c]).annotate(table=Value("d"))
    found: dict[str, dict] = {"r": {}, "d": {}}
    for table, code, name in regions.values_list("table", "code", "name").order_by().union(
            lines.values_list("table", "code", "name").order_by(), all=True):
        found[table][code] = name
    return found["r"], found["d"]


def league_rows(found: list[tuple], names: dict | None = None) -> list[Row]:
    """`names`: the leagues' names by code, where the caller has them (`names_of`)."""
    data = rows_by(found, PREFECTURE)
    if names is None:
        names = names_of(data, ())[0]
    rows = []
    for code, d in data.items():
        if code is None:
            rows.append(_fill(Row("", str(LABELS["no_league"]), {"league": NONE}), d))
        else:
            rows.append(_fill(Row(code, names.get(code, code), {"region": code}), d))
    return rows


def department_rows(found: list[tuple], names: dict | None = None) -> list[Row]:
    data = rows_by(found, DEPARTMENT)
    if names is None:
        names = names_of((), data)[1]
    rows = []
    for code, d in data.items():
        key, name = (code, names.get(code, code)) if code else (UNASSIGNED, str(LABELS["unassigned"]))
        rows.append(_fill(Row(key, name, {"department": key}), d))
    return rows


def months(user) -> list[Month]:
    _, entered_grain, closed_grain = grains(user)
    found = {(g, m): n for g, m, n in cells(user).filter(grain__in=(entered_grain, closed_grain),
                                                         status=Status.IN_LEDGER)
             .values_list("grain", "month").annotate(count=Sum("n")).order_by()}
    every = sorted({m for (_, m), n in found.items() if n})
    return [Month(m, found.get((entered_grain, m)) or 0, found.get((closed_grain, m)) or 0) for m in every]


def composition(found: list[tuple]) -> tuple[dict, dict, dict, dict]:
    """Totals and the counts by kind, stage and method."""
    totals = {"count": 0, "closed": 0, "revitalised": 0, "total": ZERO, "completed": ZERO, "needed": ZERO}
    kinds: dict[str, int] = {}
    stages: dict[str, int] = {}
    methods: dict[str, int] = {}
    for _p, _d, kind, stage, method, outcome, _light, n, total, completed, needed in found:
        totals["count"] += n
        totals["total"] += total or ZERO
        totals["completed"] += completed or ZERO
        totals["needed"] += needed or ZERO
        if stage == Stage.CLOSED:
            totals["closed"] += n
            if outcome in REVITALISED_OUTCOMES:
                totals["revitalised"] += n
        kinds[kind] = kinds.get(kind, 0) + n
        stages[stage] = stages.get(stage, 0) + n
        methods[method] = methods.get(method, 0) + n
    return totals, kinds, stages, methods


# The lights on the page, most severe first (the cube's light dimension, the ledger list's ?light=).
LIGHT_COLOURS = ("red", "yellow", "green")


def lights(found: list[tuple]) -> list[Count]:
    """Projects in the ledger by the colour of their light (closed ones and those not yet lit have none)."""
    by: dict[str, int] = {}
    for g in found:
        by[g[LIGHT]] = by.get(g[LIGHT], 0) + g[N]
    return [Count(str(LABELS[colour]), by.get(colour, 0), ledger_url(light=colour), colour) for colour in LIGHT_COLOURS]


def dashboard(user) -> Dashboard:
    found = found_for(user)
    totals, kinds, stages, methods = composition(found.composition)
    n, closed = totals["count"], totals["closed"]
    targets = sources.targets()
    league_names, department_names = names_of({g[PREFECTURE] for g in found.leagues},
                                              {g[DEPARTMENT] for g in found.departments})
    return Dashboard(
        total=Count(str(LABELS["in_ledger"]), n, ledger_url()),
        closed=Count(str(LABELS["closed"]), closed, ledger_url(stage=Stage.CLOSED)),
        revitalised=Count(str(LABELS["revitalised"]), totals["revitalised"] or 0, ledger_url(outcome=REVITALISED)),
        rate=rate(closed, n),
        target=sources.target_rate(targets),
        investment={k: totals[k] or ZERO for k in ("total", "completed", "needed")},
        by_kind=[Count(str(label), kinds.get(value) or 0, ledger_url(kind=value)) for value, label in Kind.choices],
        by_stage=[Count(str(label), stages.get(value) or 0, ledger_url(stage=value or NONE))
                  for value, label in Stage.choices],
        by_method=[Count(str(label), methods.get(value) or 0, ledger_url(method=value))
                   for value, label in Method.choices]
        + [Count(str(LABELS["no_plan"]), methods.get("") or 0, ledger_url(method=NONE))],
        leagues=ranked(league_rows(found.leagues, league_names)),
        departments=ranked(department_rows(found.departments, department_names)),
        months=months(user),
        lights=lights(found.composition),
        targets=targets,
    )


def schedule_rows(user) -> tuple[list[Row], Row]:
    """The 调度表: one row per league (in code order) and the sum, from the cube, in `user`'s scope."""
    rows = sorted(league_rows(found_for(user).leagues), key=lambda r: (r.key == "", r.key))
    total = Row("", _("合计"), {})
    for row in rows:
        for name in ("n", "planned", "disposing", "closed", "revitalised", "red", "yellow", "total"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return rows, total


def signer(user) -> str:
    """Who signs the 调度表: the organization where the user holds a dashboard role (the office first)."""
    from halfbuilt.accounts.models import Role
    from halfbuilt.accounts.scope import ACTIONS, assignments

    held = [a for a in assignments(user) if a.role in ACTIONS["dashboard"]]
    held.sort(key=lambda a: a.role != Role.OFFICE)
    return held[0].organization.name if held else ""


# --- figures of a period (the 通报's; the dashboard itself shows the ledger as it stands) -------------------------

def league_key(code: str | None) -> str:
    """The key of a project's league row (league_rows' `Row.key`): its code, "" for 自治区本级."""
    return code or ""


def department_key(code: str | None) -> str:
    """The key of a project's department row (department_rows' `Row.key`)."""
    return code or UNASSIGNED


def closed_between(user, first_month: str, last_month: str) -> tuple[dict[str, int], dict[str, int]]:
    """Projects closed (销号) in the months first_month..last_month (YYYY-MM), by league key and by department
    key, from the cube's closed grain in `user`'s scope: the dashboard's monthly trend counts the same cells."""
    closed_grain = grains(user, by_region=True)[2]
    found = (cells(user).filter(grain=closed_grain, status=Status.IN_LEDGER, month__gte=first_month,
                                month__lte=last_month)
             .values_list("prefecture_id", "department_id").annotate(count=Sum("n")).order_by())
    leagues: dict[str, int] = {}
    departments: dict[str, int] = {}
    for prefecture, department, n in found:
        leagues[league_key(prefecture)] = leagues.get(league_key(prefecture), 0) + (n or 0)
        departments[department_key(department)] = departments.get(department_key(department), 0) + (n or 0)
    return leagues, departments


def reports_between(user, months: list[str]) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """Monthly reports due for `months` and those submitted by their due day: (due, on time) by league key and by
    department key, over the projects of `user`'s dashboard scope (progress.services decides due and late)."""
    from halfbuilt.ledger.models import Project
    from halfbuilt.progress.services import on_time_by

    projects = Project.objects.restrict(user, "dashboard")
    leagues: dict[str, tuple[int, int]] = {}
    departments: dict[str, tuple[int, int]] = {}
    for month in months:
        for column, keyed, into in (("prefecture_id", league_key, leagues),
                                    ("department_id", department_key, departments)):
            for code, (due, on_time) in on_time_by(projects, month, column).items():
                was = into.get(keyed(code), (0, 0))
                into[keyed(code)] = (was[0] + due, was[1] + on_time)
    return leagues, departments


def overdue_by(user, today=None) -> tuple[dict[str, int], dict[str, int]]:
    """Overdue 督办 by league key (addressed to the league's or its counties' governments) and by department key
    (addressed to a department of the line), from the orders' own ranking in `user`'s scope."""
    from halfbuilt.accounts.models import OrgKind
    from halfbuilt.regions.models import RegionLevel
    from halfbuilt.supervision.orders.selectors import overdue_ranking

    leagues: dict[str, int] = {}
    departments: dict[str, int] = {}
    for row in overdue_ranking(user, today):
        org = row.organization
        if org.kind == OrgKind.GOVERNMENT and org.region.level != RegionLevel.PROVINCE:
            key = org.region.parent_id if org.region.level == RegionLevel.COUNTY else org.region_id
            leagues[key] = leagues.get(key, 0) + row.overdue
        elif org.kind == OrgKind.DEPARTMENT and org.department_id:
            departments[org.department_id] = departments.get(org.department_id, 0) + row.overdue
    return leagues, departments
