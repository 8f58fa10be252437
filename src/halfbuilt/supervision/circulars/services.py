"""通报 services: create a draft (its text prefilled from the figures), edit it, publish it. Keyword-only, the actor
explicit; each writes its change-log entry in its own transaction. Editing and publishing go through the kernel
(`CIRCULAR_FLOW`): the circular's row is locked and its version checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts.models import Organization, OrgKind
from halfbuilt.audit.services import record_change
from halfbuilt.core import inputs
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.regions.models import RegionLevel

from . import figures, texts
from .models import Circular, PeriodKind
from .scope import office_orgs
from .workflow import CIRCULAR_FLOW, snapshot

NOT_FOUND = gettext_lazy("通报不存在，或您无权查看")
NOT_THE_OFFICE = gettext_lazy("只有领导小组办公室起草和发布通报")
TITLE_MAX, TEXT_MAX = 200, 10000
TOP_N_MAX = 20
PERIOD_MAX_DAYS = 731


def addressee_choices() -> QuerySet[Organization]:
    """Who a circular may be addressed to: league/city and county governments and competent departments."""
    return (Organization.objects.filter(kind__in=(OrgKind.GOVERNMENT, OrgKind.DEPARTMENT))
            .exclude(kind=OrgKind.GOVERNMENT, region__level=RegionLevel.PROVINCE)
            .select_related("region").order_by("-kind", "region_id", "name"))


def default_addressees() -> QuerySet[Organization]:
    """主送 by default: every league/city government and every competent department of the autonomous region."""
    return addressee_choices().filter(
        Q(kind=OrgKind.GOVERNMENT, region__level=RegionLevel.PREFECTURE)
        | Q(kind=OrgKind.DEPARTMENT, region__level=RegionLevel.PROVINCE))


def period_bounds(kind: str, *, month: str = "", quarter: str = "", start=None, end=None) -> tuple[dt.date, dt.date]:
    """(first, last day) of a month "2026-05", a quarter "2026-Q2" or a custom range; none of it in the future."""
    today = timezone.localdate()
    if kind == PeriodKind.MONTH:
        text = str(month or "").strip()
        try:
            first = dt.date(int(text[:4]), int(text[5:7]), 1)
            assert len(text) == 7 and text[4] == "-"
        except (ValueError, AssertionError):
            raise ServiceError(_("月份“{text}”格式不正确，应为 YYYY-MM，如 2026-05").format(text=text[:20]),
                               field="month") from None
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        field = "month"
    elif kind == PeriodKind.QUARTER:
        text = str(quarter or "").strip().upper()
        try:
            year, q = int(text[:4]), int(text[6:])
            assert len(text) == 7 and text[4:6] == "-Q" and 1 <= q <= 4
        except (ValueError, AssertionError):
            raise ServiceError(_("季度“{text}”格式不正确，应为 YYYY-Qn，如 2026-Q3").format(text=text[:20]),
                               field="quarter") from None
        first = dt.date(year, 3 * q - 2, 1)
        last = (dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)) - dt.timedelta(days=1)
        field = "quarter"
    elif kind == PeriodKind.CUSTOM:
        first = inputs.date(start, field="start", label=_("起始日期"), not_after_today=True)
        last = inputs.date(end, field="end", label=_("截止日期"))
        if last < first:
            raise ServiceError(_("截止日期不能早于起始日期"), field="end")
        if (last - first).days > PERIOD_MAX_DAYS:
            raise ServiceError(_("通报期间不能超过两年"), field="end")
        field = "end"
    else:
        raise ServiceError(_("请选择通报期间：月度、季度或自定义期间"), field="period_kind")
    if first > today:
        raise ServiceError(_("通报期间尚未开始，不能通报未来的期间"), field=field)
    return first, min(last, today)


def _options(top_n, ranking) -> tuple[int, str]:
    try:
        n = int(str(top_n).strip())
    except (TypeError, ValueError):
        message = _("红黑榜名额应为整数，现为“{value}”").format(value=str(top_n)[:20])
        raise ServiceError(message, field="top_n") from None
    if not 1 <= n <= TOP_N_MAX:
        raise ServiceError(_("红黑榜名额应在 1 到 {max} 之间").format(max=TOP_N_MAX), field="top_n")
    if ranking not in figures.METRICS:
        raise ServiceError(_("请选择红黑榜的排名指标"), field="ranking")
    return n, ranking


def _issuer(actor: Actor) -> Organization:
    offices = office_orgs(actor.user)
    if not offices:
        raise NotAllowed(NOT_THE_OFFICE)
    return Organization.objects.get(pk=min(offices))


def summary(circular: Circular) -> dict:
    return {
        **snapshot(circular), "title": circular.title, "period": texts.period_label(circular),
        "opening": circular.opening, "findings": circular.findings, "requirements": circular.requirements,
        "addressees": "、".join(o.name for o in circular.addressees.order_by("-kind", "region_id", "name")),
        "top_n": circular.top_n, "ranking": str(figures.METRICS[circular.ranking][0]),
        "public": _("是") if circular.public else _("否"),
    }


@transaction.atomic
def create_circular(*, actor: Actor, period_kind: str, month: str = "", quarter: str = "", start=None, end=None,
                    top_n=3, ranking: str = "rate", public: bool = False) -> Circular:
    """起草通报 for a period: its text prefilled from the figures, addressed to every league/city government and
    competent department (editable before publishing)."""
    issuer = _issuer(actor)
    first, last = period_bounds(period_kind, month=month, quarter=quarter, start=start, end=end)
    n, ranking = _options(top_n, ranking)
    circular = Circular(issuer_org=issuer, created_by=actor.user, period_kind=period_kind, start=first, end=last,
                        top_n=n, ranking=ranking, public=bool(public))
    data = figures.compute(actor.user, start=first, end=last, top_n=n, metric=ranking)
    circular.title = texts.title(circular)
    circular.opening, circular.findings, circular.requirements = texts.prefill(circular, data)
    circular.save()
    circular.addressees.set(default_addressees())
    record_change(actor=actor, action="circular_create", obj=circular, before=None, after=summary(circular))
    return circular


@transaction.atomic
def edit_circular(*, actor: Actor, circular: Circular | int, title: str, opening: str, findings: str,
                  requirements: str, addressees: Iterable[Organization | int], top_n=3, ranking: str = "rate",
                  public: bool = False, version: int | None = None) -> Circular:
    """修改通报 (a draft only): its text, 主送, the 红黑榜's options and 公开."""
    step = CIRCULAR_FLOW.begin(actor=actor, obj=circular, action="edit", version=version)
    locked: Circular = step.obj
    before = summary(locked)
    locked.title = inputs.text(title, field="title", label=_("标题"), limit=TITLE_MAX, required=True)
    locked.opening = inputs.text(opening, field="opening", label=_("开头"), limit=TEXT_MAX, required=True)
    locked.findings = inputs.text(findings, field="findings", label=_("主要情况"), limit=TEXT_MAX, required=True)
    locked.requirements = inputs.text(requirements, field="requirements", label=_("工作要求"), limit=TEXT_MAX,
                                      required=True)
    locked.top_n, locked.ranking = _options(top_n, ranking)
    locked.public = bool(public)
    wanted = {getattr(a, "pk", a) for a in addressees}
    chosen = list(addressee_choices().filter(pk__in=[pk for pk in wanted if str(pk).isdigit()]))
    if len(chosen) != len(wanted) or not chosen:
        raise ServiceError(_("请选择主送单位（盟市、旗县人民政府或行业主管部门），至少一个"), field="addressees")
    CIRCULAR_FLOW.save(locked, ["title", "opening", "findings", "requirements", "top_n", "ranking", "public"])
    locked.addressees.set(chosen)
    record_change(actor=actor, action="circular_edit", obj=locked, before=before, after=summary(locked))
    return locked


def publish_circular(*, actor: Actor, circular: Circular | int, version: int | None = None) -> Circular:
    """发布通报: numbered, its figures frozen, sent to every addressee (the kernel's transition and its hooks)."""
    return CIRCULAR_FLOW.perform(actor=actor, obj=circular, action="publish", version=version)


def figures_of(circular: Circular, user) -> dict:
    """A published circular's frozen figures; a draft's computed now in `user`'s scope."""
    if not circular.is_draft:
        return circular.figures
    return figures.compute(user, start=circular.start, end=circular.end, top_n=circular.top_n,
                           metric=circular.ranking)
