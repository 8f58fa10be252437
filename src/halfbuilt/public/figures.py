"""The portal's figures and map: the dashboard's own functions over the cube, restricted to what is public.

The cube's cells carry the project's status and classified flag, so the public scope (in the ledger, not classified:
the same rule as `selectors.public_projects`) is a filter on them; the office's dashboard, which sees every
unclassified project, shows the same numbers. Each number links to the public list of exactly its projects.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import QuerySet
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from halfbuilt.disposal.models import Method
from halfbuilt.ledger.models import Kind, Stage, Status
from halfbuilt.regions.models import Region, RegionLevel
from halfbuilt.supervision.dashboard import assets
from halfbuilt.supervision.dashboard import figures as board
from halfbuilt.supervision.dashboard.models import Cell

# What the map can be coloured by (no warning lights: they are the office's tool, not public facts).
MAP_FIGURES = ("n", "rate", "planned", "disposing", "closed", "revitalised", "total")


def list_url(**params: str) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return reverse("public:project_list") + (f"?{query}" if query else "")


def public_cells() -> QuerySet[Cell]:
    """The cube's cells of every public project (all grains: the dashboard's figures pick theirs)."""
    return Cell.objects.filter(status=Status.IN_LEDGER, classified=False)


@dataclass
class Figure:
    label: str
    n: int
    url: str


@dataclass
class Figures:
    total: Figure
    closed: Figure
    disposing: Figure
    revitalised: Figure
    rate: Decimal | None
    investment_yi: dict[str, Decimal]
    by_kind: list[Figure]
    by_stage: list[Figure]
    by_method: list[Figure]
    leagues: list[board.Row]


def figures() -> Figures:
    found = board.province_found(public_cells())
    totals, kinds, stages, methods = board.composition(found.composition)
    leagues = board.league_rows(found.leagues)
    disposing = sum(stages.get(s, 0) for s in board.DISPOSING_STAGES)
    investment = {k: totals[k] or board.ZERO for k in ("total", "completed", "needed")}
    yi = {k: (v / board.YI).quantize(Decimal("0.01")) for k, v in investment.items()}
    labels = board.LABELS
    return Figures(
        total=Figure(str(labels["in_ledger"]), totals["count"], list_url()),
        closed=Figure(str(labels["closed"]), totals["closed"], list_url(stage=Stage.CLOSED)),
        disposing=Figure(str(labels["disposing"]), disposing, list_url(stage=Stage.DISPOSING)),
        revitalised=Figure(str(labels["revitalised"]), totals["revitalised"], list_url(stage=Stage.CLOSED)),
        rate=board.rate(totals["closed"], totals["count"]),
        investment_yi=yi,
        by_kind=[Figure(str(label), kinds.get(v) or 0, list_url(kind=v)) for v, label in Kind.choices],
        by_stage=[Figure(str(label), stages.get(v) or 0, list_url(stage=v or "none")) for v, label in Stage.choices],
        by_method=[Figure(str(label), methods.get(v) or 0, list_url(method=v)) for v, label in Method.choices],
        leagues=sorted(leagues, key=lambda r: r.key or "999999"),
    )


def map_data(found: Figures) -> dict:
    """What map.js draws (the dashboard's script, in the same shape): the province's leagues, each linking to the
    public list of its projects; no drill-down and no warning lights."""
    province = settings.CAMPAIGN_PROVINCE_CODE
    by_key = {r.key: r for r in found.leagues}
    leagues = Region.objects.filter(parent_id=province, level=RegionLevel.PREFECTURE).values_list("code", "name")
    rows = [by_key.get(code) or board.Row(code, name, {"region": code}) for code, name in leagues]
    asset = assets.map_asset(province)
    names = {k: str(v) for k, v in board.LABELS.items()}
    figure_labels = {"n": names["in_ledger"], "rate": names["rate"], "planned": names["planned"],
                     "disposing": names["disposing"], "closed": names["closed"], "revitalised": names["revitalised"],
                     "total": _("总投资（万元）")}
    return {
        "code": province, "title": _("各盟市"), "asset": static(asset) if asset else None,
        "figures": [{"key": k, "label": figure_labels[k]} for k in MAP_FIGURES],
        "view": _("查看项目"), "down": "", "line": _("{figure}：{value}"),
        "areas": [{"code": r.key, "name": r.name, "url": list_url(region=r.key), "drill": "", "values": {
            "n": r.n, "rate": None if r.rate is None else float(r.rate * 100), "planned": r.planned,
            "disposing": r.disposing, "closed": r.closed, "revitalised": r.revitalised, "total": float(r.total),
        }} for r in rows],
    }
