"""The map's areas: the dashboard's figures per league/city, or per county (旗县区) of one league read from the cube's
county-level grain, each with the ledger list of exactly its projects; and which map a user's dashboard opens on.

Every figure is read through `figures.cells(user)`, so the scope (and the office's classified exclusion) is the
dashboard's. The public portal can call `county_rows` / `league_rows` with its own user-less scope later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Sum
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts.scope import ACTIONS, assignments
from halfbuilt.ledger.models import Status
from halfbuilt.regions.models import Region, RegionLevel

from . import assets, figures
from .figures import LABELS, Dashboard, Row
from .models import Grain

AREA_CODE = re.compile(r"\d{6}")  # a GB/T 2260 code; anything else is named without a lookup
# The figures an area can be coloured by (the map's select), in the order offered; the first is the default.
FIGURES = {
    "n": LABELS["in_ledger"], "rate": LABELS["rate"], "planned": LABELS["planned"],
    "disposing": LABELS["disposing"], "closed": LABELS["closed"], "revitalised": LABELS["revitalised"],
    "red": LABELS["red"], "yellow": LABELS["yellow"], "total": gettext_lazy("总投资（万元）"),
}
# The figures whose number links to a list of exactly its projects (the others are ratios, sums or sets of stages).
LINKED = {"n": {}, "closed": {"stage": "closed"}, "revitalised": {"outcome": "revitalised"},
          "red": {"light": "red"}, "yellow": {"light": "yellow"}}


@dataclass
class Area:
    """One league or county on the map (`drawn`: it has a feature there) or beside it (no league, 本级, 功能区)."""

    row: Row
    drawn: bool
    drill: str = ""  # the dashboard showing this league's counties ("" for a county)

    def values(self) -> dict:
        rate = self.row.rate
        return {
            "n": self.row.n, "rate": None if rate is None else float(rate * 100), "planned": self.row.planned,
            "disposing": self.row.disposing, "closed": self.row.closed, "revitalised": self.row.revitalised,
            "red": self.row.red, "yellow": self.row.yellow, "total": float(self.row.total),
        }

    def links(self) -> dict[str, str]:
        return {key: self.row.url(**params) for key, params in LINKED.items()}


@dataclass
class MapView:
    code: str  # the region whose areas are drawn (the province, or one league)
    title: str
    areas: list[Area]
    up: str = ""  # back to the province's map
    errors: list[str] = field(default_factory=list)

    @property
    def drawn(self) -> list[Area]:
        return [a for a in self.areas if a.drawn]

    @property
    def beside(self) -> list[Area]:
        return [a for a in self.areas if not a.drawn]

    def data(self) -> dict:
        """What map.js draws (json_script): the areas by code, their figures and links; the geometry's address."""
        asset = assets.map_asset(self.code)
        return {
            "code": self.code, "title": self.title, "asset": static(asset) if asset else None,
            "figures": [{"key": k, "label": str(v)} for k, v in FIGURES.items()],
            "view": str(_("查看项目")), "down": str(_("查看旗县区")), "line": str(_("{figure}：{value}")),
            "areas": [{"code": a.row.key, "name": a.row.name, "url": a.row.url(), "drill": a.drill,
                       "values": a.values()} for a in self.drawn],
        }


def _zero(code: str, name: str, params: dict) -> Row:
    return Row(code, name, params)


def county_rows(user, league: Region, regions: list[Region] | None = None) -> list[Row]:
    """The figures per county-level region of `league` in `user`'s scope, from the cube's county-level grain; the
    projects of the league's own level (盟市本级) are a row of their own, keyed by the league's code. `regions`: the
    league's counties, where the caller has them."""
    main = figures.cells(user).filter(grain=Grain.MAIN, status=Status.IN_LEDGER, prefecture_id=league.code)
    # Grouped by what a row counts by (stage, outcome, light): tens of groups instead of the county-level cells'
    # thousands; laid out as figures.VALUES with the county in the league's place, so rows_by sums them alike.
    found = [(region, None, None, stage, None, outcome, light, n, total, None, None)
             for region, stage, outcome, light, n, total in main.exclude(n=0).values_list(
                 "region_id", "stage", "outcome", "light").annotate(count=Sum("n"), sum_total=Sum("total"))
             .order_by()]
    data = figures.rows_by(found, figures.PREFECTURE)
    if regions is None:
        regions = list(Region.objects.filter(parent_id=league.code))
    rows = []
    for region in regions:
        code = region.code
        rows.append(figures._fill(Row(code, region.name, {"region": code}), data[code]) if code in data
                    else _zero(code, region.name, {"region": code}))
    own = Row(league.code, _("{league}本级").format(league=league.name), {"league_level": league.code})
    rows.append(figures._fill(own, data[league.code]) if league.code in data else own)
    return rows


def league_rows(board: Dashboard, province: str) -> list[Row]:
    """The dashboard's rows per league, with the leagues of no project in the scope at zero."""
    by_key = {r.key: r for r in board.leagues}
    rows = [by_key.get(r.code) or _zero(r.code, r.name, {"region": r.code})
            for r in Region.objects.filter(parent_id=province, level=RegionLevel.PREFECTURE)]
    if "" in by_key:  # 自治区本级: projects of no league
        rows.append(by_key[""])
    return rows


def map_root(user) -> Region | None:
    """The region whose map a user's dashboard opens on: the province for whoever holds a dashboard role above the
    leagues (or in several), the league for a league/city's roles, none for a county (one area is no map)."""
    held = [a.organization.region for a in assignments(user) if a.role in ACTIONS["dashboard"]]
    held = [r for r in held if r is not None]
    if not held:
        return None
    if any(r.level == RegionLevel.PROVINCE for r in held):
        return next(r for r in held if r.level == RegionLevel.PROVINCE)
    leagues = {r.code: r for r in held if r.level == RegionLevel.PREFECTURE}
    if len(leagues) == 1:
        return next(iter(leagues.values()))
    if leagues:
        return Region.objects.get(code=next(iter(leagues.values())).parent_id)
    return None


def map_view(user, board: Dashboard, area: str = "") -> MapView | None:
    """The map of `user`'s dashboard: the province's leagues, or the counties of one league (`area`, a league of
    the province; asked by the drill-down). An `area` that is no league of the user's map is named and ignored."""
    root_region = map_root(user)
    if root_region is None:
        return None
    root = root_region.code
    errors: list[str] = []
    if area and area != root:
        league = (Region.objects.filter(code=area, parent_id=root, level=RegionLevel.PREFECTURE).first()
                  if root_region.level == RegionLevel.PROVINCE and AREA_CODE.fullmatch(area) else None)
        if league is not None:
            return _league_view(user, league, up=reverse("dashboard:page") + "#map")
        shown = area[:12].replace("\x00", "")
        errors.append(_("地区“{area}”不是您地图上的盟市，显示的是您的地图。").format(area=shown))
    if root_region.level == RegionLevel.PREFECTURE:
        view = _league_view(user, root_region)
    else:
        rows = league_rows(board, root)
        page = reverse("dashboard:page")
        view = MapView(root, _("{region}各盟市").format(region=root_region.name), [
            Area(r, drawn=bool(r.key), drill=f"{page}?area={r.key}#map" if r.key else "") for r in rows])
    view.errors = errors
    return view


def _league_view(user, league: Region, up: str = "") -> MapView:
    regions = list(Region.objects.filter(parent_id=league.code))
    zones = {r.code for r in regions if r.is_functional_zone}
    rows = county_rows(user, league, regions)
    areas = [Area(r, drawn=r.key != league.code and r.key not in zones) for r in rows]
    return MapView(league.code, _("{league}各旗县区").format(league=league.name), areas, up=up)
