"""The ledger list's filters and sorting, shared by the page, the web export and the API.

Input is a query-string mapping; bad values are reported in Chinese and ignored, never a 500.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from halfbuilt.accounts.scope import region_q
from halfbuilt.regions.models import Region, RegionLevel

from . import coverage
from .models import Kind, Stage, Status
from .rules import MONEY_MAX

SORTS = {
    "ledger_no": "ledger_no", "-ledger_no": "-ledger_no",
    "name": "name", "-name": "-name",
    "total": "total_investment", "-total": "-total_investment",
    "approval": "approval_date", "-approval": "-approval_date",
    "updated": "updated_at", "-updated": "-updated_at",
    "new": "-created_at",
}
DEFAULT_SORT = "new"
FILTER_KEYS = ("region", "category", "kind", "status", "stage", "method", "department", "year_from", "year_to",
               "total_min", "total_max", "scope", "q", "sort")
OUTSIDE = "outside"  # scope=outside: the projects outside the campaign's scope (超出起底范围)
# The dashboard's links (supervision/dashboard): 已盘活, the month registered / closed, projects of no league,
# projects of a league/city's own level (盟市本级: located in the league itself, not in one of its counties).
FILTER_KEYS += ("outcome", "entered_month", "closed_month", "league", "league_level")
# The value that selects "none": no disposal stage yet (the stage's own value is empty), no plan yet.
NONE = "none"


@dataclass(frozen=True)
class ExtraFilter:
    """A filter another app adds to the list, the export, the count and the API (e.g. the warning lights'):
    `condition(value)` gives the Q on projects, or None for a value it does not know (reported with `invalid`,
    a message with {value})."""

    key: str
    label: str
    choices: Callable[[], list[tuple[str, str]]]
    condition: Callable[[str], Q | None]
    invalid: str
    # The list's newest-first order (-created_at, -id) written through the filter's own rows, where they keep a copy
    # and an index for it: used when the filter applies and the list is sorted newest first, so the database walks
    # that index instead of probing every newer project (the lights' colour filter).
    newest: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExtraColumn:
    """A column another app adds to the list: its header, the template of a cell (given `p`, the project), and
    the relation the cells read, fetched with the page's query (select_related) with its `fields`."""

    header: str
    template: str
    related: str
    fields: tuple[str, ...]


EXTRA_FILTERS: dict[str, ExtraFilter] = {}
EXTRA_COLUMNS: list[ExtraColumn] = []


def register_filter(extra: ExtraFilter) -> None:
    EXTRA_FILTERS[extra.key] = extra


def register_column(column: ExtraColumn) -> None:
    if column not in EXTRA_COLUMNS:
        EXTRA_COLUMNS.append(column)


@dataclass
class LedgerFilter:
    values: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # what is wrong with a parameter, which the list then ignores
    sort_error: str = ""  # what is wrong with the sort, which the list replaces by its default

    @property
    def notices(self) -> list[str]:
        """The problems as the page tells them, each with what the list did about it."""
        ignored = [_("{problem}，已忽略").format(problem=problem) for problem in self.errors]
        if self.sort_error:
            ignored.append(_("{problem}，已按默认排序").format(problem=self.sort_error))
        return ignored

    @property
    def problems(self) -> list[str]:
        """The problems alone, as the API refuses the request with them."""
        return [*self.errors, *([self.sort_error] if self.sort_error else [])]

    def querystring(self, **override: str) -> str:
        from urllib.parse import urlencode

        merged = {**self.values, **override}
        return urlencode({k: v for k, v in merged.items() if v})


def _decimal(text: str, label: str, errors: list[str]) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors.append(_("{label}“{text}”不是数字").format(label=label, text=text))
        return None
    # NaN, infinities and 1e999999 parse as Decimals but overflow the database's numeric column.
    if not value.is_finite() or abs(value) > MONEY_MAX:
        errors.append(_("{label}“{text}”超出范围").format(label=label, text=text))
        return None
    return value


def _year(text: str, label: str, errors: list[str]) -> str | None:
    if text.isdigit() and len(text) == 4:
        return text
    errors.append(_("{label}“{text}”应为四位年份").format(label=label, text=text))
    return None


def method_choices() -> list[tuple[str, str]]:
    """The plan's disposal methods (处置方式); read from the disposal app's model, which depends on the ledger."""
    return list(apps.get_model("disposal", "Plan")._meta.get_field("method").choices)


def stage_choices() -> list[tuple[str, str]]:
    return [(value or NONE, label) for value, label in Stage.choices]


def apply_filters(queryset: QuerySet, params: Mapping[str, str]) -> tuple[QuerySet, LedgerFilter]:
    """Filter an already-restricted queryset by the list's parameters."""
    keys = (*FILTER_KEYS, *EXTRA_FILTERS)
    state = LedgerFilter(values={k: (params.get(k) or "").strip() for k in keys if params.get(k)})
    v, errors = state.values, state.errors
    conditions = Q()
    if code := v.get("region"):
        region = Region.objects.filter(code=code).first()
        if region is None:
            errors.append(_("地区代码“{code}”不存在").format(code=code))
        else:
            conditions &= region_q(region)
    if code := v.get("category"):
        conditions &= Q(category_id=code)
    if kind := v.get("kind"):
        if kind in Kind.values:
            conditions &= Q(kind=kind)
        else:
            errors.append(_("类型“{kind}”无效").format(kind=kind))
    if status := v.get("status"):
        if status in Status.values:
            conditions &= Q(status=status)
        else:
            errors.append(_("状态“{status}”无效").format(status=status))
    if stage := v.get("stage"):
        if stage == NONE:
            conditions &= Q(stage=Stage.NONE)
        elif stage in Stage.values:
            conditions &= Q(stage=stage)
        else:
            errors.append(_("处置阶段“{stage}”无效").format(stage=stage))
    if method := v.get("method"):
        if method == NONE:
            conditions &= Q(plan__isnull=True)
        elif method in dict(method_choices()):
            conditions &= Q(plan__method=method)
        else:
            errors.append(_("处置方式“{method}”无效").format(method=method))
    if department := v.get("department"):
        conditions &= Q(department__isnull=True) if department == "unassigned" else Q(department_id=department)
    if (text := v.get("year_from")) and (year := _year(text, _("审批年份起"), errors)):
        conditions &= Q(approval_date__gte=year)
    if (text := v.get("year_to")) and (year := _year(text, _("审批年份止"), errors)):
        conditions &= Q(approval_date__gt="", approval_date__lt=str(int(year) + 1))  # unknown dates are not "before"
    if (text := v.get("total_min")) and (amount := _decimal(text, _("总投资下限"), errors)) is not None:
        conditions &= Q(total_investment__gte=amount)
    if (text := v.get("total_max")) and (amount := _decimal(text, _("总投资上限"), errors)) is not None:
        conditions &= Q(total_investment__lte=amount)
    if scope := v.get("scope"):
        if scope == OUTSIDE:
            conditions &= coverage.outside_q()
        else:
            errors.append(_("起底范围筛选“{scope}”无效").format(scope=scope))
    newest: tuple[str, ...] = ()
    for key, extra in EXTRA_FILTERS.items():
        if value := v.get(key):
            condition = extra.condition(value)
            if condition is None:
                errors.append(str(extra.invalid).format(value=value[:40]))
            else:
                conditions &= condition
                newest = newest or extra.newest
    if keyword := v.get("q"):
        conditions &= Q(name__contains=keyword) | Q(project_code=keyword.upper()) | Q(ledger_no=keyword)
    conditions &= dashboard_conditions(v, errors)
    sort = v.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        state.sort_error = _("排序“{sort}”无效").format(sort=sort)
        sort = DEFAULT_SORT
    order = [SORTS[sort], "-id"]  # the id breaks ties (ids are random: core/ids.py)
    if sort == DEFAULT_SORT and newest:
        order = list(newest)  # the same order, read from a filter's own index
    return queryset.filter(conditions).order_by(*order), state


# --- the dashboard's filters (supervision/dashboard links every figure to the list of exactly its projects) ---

# 已盘活 (revitalised): closed (已销号), and the closure that closed it put the works to use or handed them over.
REVITALISED = "revitalised"
REVITALISED_OUTCOMES = ("in_use", "transferred")


def _closing_requests():
    """The closure request that closed each project: its last closed one (a failed 回头看 may have reopened an
    earlier one)."""
    from django.db.models import Exists, OuterRef

    requests = apps.get_model("closure", "ClosureRequest").objects.filter(status="closed")
    later = requests.filter(project_id=OuterRef("project_id")).filter(
        Q(closed_at__gt=OuterRef("closed_at")) | Q(closed_at=OuterRef("closed_at"), id__gt=OuterRef("id")))
    return requests.exclude(Exists(later))


def month_bounds(text: str):
    """The local moments where month "YYYY-MM" starts and the next one starts, or None when it is no month."""
    import datetime as dt

    from django.utils import timezone

    try:
        start = dt.datetime.strptime(text, "%Y-%m")
    except ValueError:
        return None
    following = dt.datetime(start.year + start.month // 12, start.month % 12 + 1, 1)
    return timezone.make_aware(start), timezone.make_aware(following)


def dashboard_conditions(v: dict[str, str], errors: list[str]) -> Q:
    conditions = Q()
    if outcome := v.get("outcome"):
        if outcome == REVITALISED:
            closing = _closing_requests().filter(outcome__in=REVITALISED_OUTCOMES)
            conditions &= Q(stage=Stage.CLOSED, pk__in=closing.values("project_id"))
        else:
            errors.append(_("处置结果“{outcome}”无效").format(outcome=outcome))
    if month := v.get("entered_month"):
        if bounds := month_bounds(month):
            conditions &= Q(created_at__gte=bounds[0], created_at__lt=bounds[1])
        else:
            errors.append(_("登记月份“{month}”应为“年-月”，如 2023-06").format(month=month))
    if month := v.get("closed_month"):
        if bounds := month_bounds(month):
            closing = _closing_requests().filter(closed_at__gte=bounds[0], closed_at__lt=bounds[1])
            conditions &= Q(stage=Stage.CLOSED, pk__in=closing.values("project_id"))
        else:
            errors.append(_("销号月份“{month}”应为“年-月”，如 2023-06").format(month=month))
    if league := v.get("league"):
        if league == NONE:
            conditions &= Q(prefecture__isnull=True)
        else:
            errors.append(_("所属盟市“{league}”无效").format(league=league))
    if code := v.get("league_level"):
        if code.isdigit() and Region.objects.filter(code=code, level=RegionLevel.PREFECTURE).exists():
            conditions &= Q(region_id=code)
        else:
            errors.append(_("盟市本级“{code}”不是盟市的代码").format(code=code))
    return conditions
