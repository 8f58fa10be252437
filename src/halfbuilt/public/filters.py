"""The public list's filters, over `public_projects()` only: region (a league or a county), category, kind, stage,
method (of the confirmed plan) and a search in the name, address and numbers. A bad value is named and ignored."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from halfbuilt.disposal.models import Method, PlanStatus
from halfbuilt.ledger.models import Kind, Stage
from halfbuilt.regions.models import Category, Region, RegionLevel

from .selectors import public_projects

NONE = "none"  # stage=none: not yet in disposal (the stage's own value is empty)
Q_MAX = 50
PAGE_SIZE = 20
PAGE_MAX = 500  # deeper than this a visitor narrows the filters (or takes the open data)


@dataclass
class PublicFilter:
    values: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    page: int = 1

    def apply(self, projects: QuerySet) -> QuerySet:
        v = self.values
        if "region" in v:
            level = Region.objects.filter(code=v["region"]).values_list("level", flat=True).first()
            projects = projects.filter(prefecture_id=v["region"]) if level == RegionLevel.PREFECTURE else \
                projects.filter(region_id=v["region"])
        if "category" in v:
            projects = projects.filter(category_id=v["category"])
        if "kind" in v:
            projects = projects.filter(kind=v["kind"])
        if "stage" in v:
            projects = projects.filter(stage="" if v["stage"] == NONE else v["stage"])
        if "method" in v:
            projects = projects.filter(plan__method=v["method"], plan__status=PlanStatus.CONFIRMED)
        if "q" in v:
            text = v["q"]
            projects = projects.filter(Q(name__icontains=text) | Q(address__icontains=text)
                                       | Q(ledger_no=text) | Q(project_code=text))
        return projects


def parse(params: Mapping[str, str]) -> PublicFilter:
    found = PublicFilter()

    def take(key: str, allowed, label: str) -> None:
        value = (params.get(key) or "").strip()
        if not value:
            return
        if value in allowed:
            found.values[key] = value
        else:
            found.errors.append(_("{label}“{value}”无法识别，已忽略").format(label=label, value=value[:20]))

    regions = set(Region.objects.filter(level__in=(RegionLevel.PREFECTURE, RegionLevel.COUNTY))
                  .values_list("code", flat=True))
    take("region", regions, _("地区"))
    take("category", set(Category.objects.values_list("code", flat=True)), _("项目类别"))
    take("kind", set(Kind.values), _("类型"))
    take("stage", {v for v in Stage.values if v} | {NONE}, _("处置阶段"))
    take("method", set(Method.values), _("处置方式"))
    text = (params.get("q") or "").strip()
    if len(text) > Q_MAX:
        found.errors.append(_("搜索词不能超过{n}个字，已截断").format(n=Q_MAX))
        text = text[:Q_MAX]
    if text:
        found.values["q"] = text
    page = (params.get("page") or "1").strip()
    if page.isdigit() and 1 <= int(page) <= PAGE_MAX:
        found.page = int(page)
    elif page:
        found.errors.append(_("页码“{page}”无效，显示第1页").format(page=page[:10]))
    return found


def filtered(params: Mapping[str, str]) -> tuple[PublicFilter, QuerySet]:
    chosen = parse(params)
    return chosen, chosen.apply(public_projects())


def choices() -> dict[str, list[tuple[str, str]]]:
    """The filters' options: leagues and their counties, categories, kinds, stages, methods."""
    province_children = Region.objects.filter(level=RegionLevel.PREFECTURE).values_list("code", "name")
    return {
        "region": list(province_children),
        "category": list(Category.objects.values_list("code", "name")),
        "kind": [(v, str(label)) for v, label in Kind.choices],
        "stage": [(v or NONE, str(label)) for v, label in Stage.choices],
        "method": [(v, str(label)) for v, label in Method.choices],
    }
