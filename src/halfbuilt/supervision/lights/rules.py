"""The built-in rules (after 银川's warning rules, docs/lights.md), each one set-based query over all projects.

`plan_deadlines()` is the one place the plan phase's deadlines are read."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DecimalField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy

from halfbuilt.closure.models import ClosureRequest, ClosureStatus
from halfbuilt.disposal.models import Milestone, PlanStatus
from halfbuilt.ledger.models import Stage
from halfbuilt.progress import periods
from halfbuilt.progress.models import ProgressReport, ReportStatus
from halfbuilt.progress.services import REPORTING_STAGES

from .models import Colour, LightSettings
from .reasons import REASON_CODE, Context, Reason, register_rule
from .sql import DayNumber

BEHIND = Reason("behind_schedule", 0, Colour.YELLOW, gettext_lazy("形象进度落后计划进度"),
                gettext_lazy("月度进展报送的形象进度追到与计划进度相差不足黄灯界限"))
FAR_BEHIND = Reason("far_behind_schedule", 1, Colour.RED, gettext_lazy("形象进度严重落后计划进度"),
                    gettext_lazy("月度进展报送的形象进度追到与计划进度相差不超过红灯界限"))
REPORT_MISSING = Reason("report_missing", 2, Colour.YELLOW, gettext_lazy("月度进展缺报"),
                        gettext_lazy("补报缺报月份的月度进展"))
REPORTS_MISSING = Reason("reports_missing", 3, Colour.RED, gettext_lazy("月度进展多月缺报"),
                         gettext_lazy("补报缺报月份的月度进展，使缺报月数低于红灯界限"))
PLAN_NOT_DRAFTED = Reason("plan_not_drafted", 4, Colour.RED, gettext_lazy("未按期制定处置方案"),
                          gettext_lazy("责任单位起草并报送处置方案"))
PLAN_NOT_CONFIRMED = Reason("plan_not_confirmed", 5, Colour.YELLOW, gettext_lazy("处置方案未按期确认"),
                            gettext_lazy("主管部门审核通过、领导小组办公室确认处置方案"))
MILESTONE_OVERDUE = Reason("milestone_overdue", 6, Colour.YELLOW, gettext_lazy("方案节点逾期未完成"),
                           gettext_lazy("完成逾期节点并在月度进展中报送"))
DEADLINE_PASSED = Reason("plan_deadline_passed", 7, Colour.RED, gettext_lazy("超过方案完成时限未销号"),
                         gettext_lazy("完成处置并申请销号，或按程序修订方案的完成时限"))
PLAN_REVIEW_WAITING = Reason("plan_review_waiting", 8, Colour.YELLOW, gettext_lazy("处置方案审核超期"),
                             gettext_lazy("主管部门审核或领导小组办公室确认处置方案"))
CLOSURE_REVIEW_WAITING = Reason("closure_review_waiting", 9, Colour.YELLOW, gettext_lazy("销号申请审核超期"),
                                gettext_lazy("主管部门审核或领导小组办公室办结销号申请"))

HUNDRED = Decimal(100)
PERCENT = DecimalField(max_digits=12, decimal_places=4)


@dataclass(frozen=True)
class PlanDeadlines:
    draft_by: dt.date  # a plan drafted and sent for review
    confirm_by: dt.date  # a plan confirmed by the office


def plan_deadlines(settings: LightSettings) -> PlanDeadlines:
    """The plan phase's deadlines (方案阶段): the current campaign's plan phase (every plan drafted and confirmed by
    its deadline), else, for a deployment without a campaign, the dates of the lights' own settings."""
    campaign_deadline = campaign_plan_deadline()
    if campaign_deadline is not None:
        return PlanDeadlines(campaign_deadline, campaign_deadline)
    return PlanDeadlines(settings.plan_draft_by, settings.plan_confirm_by)


def campaign_plan_deadline() -> dt.date | None:
    from halfbuilt.campaign import selectors  # the campaign app: the phases are its data

    return selectors.deadline("plan")


# --- progress behind the plan's schedule ----------------------------------------------------------------------

def behind_points(projects: QuerySet, today: dt.date) -> QuerySet:
    """Projects in disposal annotated with `behind`: the plan's schedule (the share of the period from the plan's
    drafting to its deadline elapsed today, in %) minus the latest submitted report's physical progress (0 when
    none)."""
    start, end, now = DayNumber(TruncDate("plan__created_at")), DayNumber("plan__deadline"), DayNumber(Value(today))
    schedule = Case(
        When(GreaterThanOrEqual(now, end), then=Value(HUNDRED)),
        When(GreaterThanOrEqual(start, now), then=Value(Decimal(0))),
        default=ExpressionWrapper((now - start) * Value(HUNDRED) / (end - start), output_field=PERCENT),
        output_field=PERCENT,
    )
    latest = ProgressReport.objects.filter(project=OuterRef("pk"), status=ReportStatus.SUBMITTED).order_by("-period")
    actual = Coalesce(Subquery(latest.values("physical_progress")[:1]), Value(Decimal(0)), output_field=PERCENT)
    return projects.filter(stage=Stage.DISPOSING, plan__isnull=False).annotate(
        behind=ExpressionWrapper(schedule - actual, output_field=PERCENT)
    )


def _behind(projects: QuerySet, context: Context) -> QuerySet:
    """Yellow from the yellow threshold up to the red one included, red beyond it: one measure, two bands."""
    s = context.settings
    return behind_points(projects, context.today).filter(behind__gte=s.behind_yellow_points).annotate(**{
        REASON_CODE: Case(When(behind__gt=s.behind_red_points, then=Value(FAR_BEHIND.code)),
                          default=Value(BEHIND.code))})


# --- monthly reports missing ----------------------------------------------------------------------------------

def past_due_periods(now: dt.datetime, count: int) -> list[str]:
    """The last `count` months whose reports are past their due day, newest first."""
    latest = periods.shift(periods.period_of(timezone.localtime(now).date()), -1)
    if now < periods.late_after(latest):
        latest = periods.shift(latest, -1)
    return [periods.shift(latest, -i) for i in range(count)]


def missing_months(projects: QuerySet, now: dt.datetime, window: int) -> QuerySet:
    """Projects that report (docs/progress.md: in disposal, due from the month their plan was drafted in)
    annotated with `missing`: how many of the last `window` past-due months have no submitted report."""
    terms = []
    for period in past_due_periods(now, window):
        due = Q(plan__isnull=True) | Q(plan__created_at__lt=periods.period_end(period))
        submitted = ProgressReport.objects.filter(project=OuterRef("pk"), period=period,
                                                  status=ReportStatus.SUBMITTED)
        terms.append(Case(When(due & ~Exists(submitted), then=Value(1)), default=Value(0)))
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return projects.filter(stage__in=REPORTING_STAGES).annotate(missing=total)


def _reports_missing(projects: QuerySet, context: Context) -> QuerySet:
    """Yellow from the yellow threshold, red from the red one (all months of the window missing)."""
    s = context.settings
    return missing_months(projects, context.now, s.missing_red_months).filter(
        missing__gte=s.missing_yellow_months).annotate(**{
            REASON_CODE: Case(When(missing__gte=s.missing_red_months, then=Value(REPORTS_MISSING.code)),
                              default=Value(REPORT_MISSING.code))})


# --- the plan: drafted and confirmed in time, milestones, deadline, reviews -----------------------------------

def _plan_not_drafted(projects: QuerySet, context: Context) -> QuerySet:
    if context.today <= plan_deadlines(context.settings).draft_by:
        return projects.none()
    return projects.filter(Q(plan__isnull=True) | Q(plan__status=PlanStatus.DRAFT))


NOT_CONFIRMED = (PlanStatus.SUBMITTED, PlanStatus.RETURNED, PlanStatus.APPROVED)


def _plan_not_confirmed(projects: QuerySet, context: Context) -> QuerySet:
    if context.today <= plan_deadlines(context.settings).confirm_by:
        return projects.none()
    return projects.filter(plan__status__in=NOT_CONFIRMED)


def _milestone_overdue(projects: QuerySet, context: Context) -> QuerySet:
    overdue = Milestone.objects.filter(plan__project=OuterRef("pk"), due_date__lt=context.today,
                                       met_date__isnull=True)
    return projects.exclude(stage=Stage.CLOSING).filter(Exists(overdue))


def _deadline_passed(projects: QuerySet, context: Context) -> QuerySet:
    return projects.exclude(stage=Stage.CLOSING).filter(plan__deadline__lt=context.today)


def _waiting_since(context: Context) -> dt.datetime:
    return context.now - dt.timedelta(days=context.settings.review_wait_days)


def _plan_review_waiting(projects: QuerySet, context: Context) -> QuerySet:
    return projects.filter(plan__status__in=(PlanStatus.SUBMITTED, PlanStatus.APPROVED),
                           plan__updated_at__lt=_waiting_since(context))


def _closure_review_waiting(projects: QuerySet, context: Context) -> QuerySet:
    since = _waiting_since(context)
    waiting = ClosureRequest.objects.filter(project=OuterRef("pk")).filter(
        Q(status=ClosureStatus.REQUESTED, requested_at__lt=since)
        | Q(status=ClosureStatus.APPROVED, reviewed_at__lt=since)
    )
    return projects.filter(Exists(waiting))


BUILT_IN = (
    ((BEHIND, FAR_BEHIND), _behind), ((REPORT_MISSING, REPORTS_MISSING), _reports_missing),
    (PLAN_NOT_DRAFTED, _plan_not_drafted),
    (PLAN_NOT_CONFIRMED, _plan_not_confirmed), (MILESTONE_OVERDUE, _milestone_overdue),
    (DEADLINE_PASSED, _deadline_passed), (PLAN_REVIEW_WAITING, _plan_review_waiting),
    (CLOSURE_REVIEW_WAITING, _closure_review_waiting),
)


def register_built_in() -> None:
    for reason, hits in BUILT_IN:
        register_rule(reason, hits)
