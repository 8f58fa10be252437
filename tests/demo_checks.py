"""What the demo campaign must show on any day of the year, checked against the database: by test_demo.py on
the full demo built today, and on small demos built with the clock frozen on awkward days."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from halfbuilt.accounts.models import User
from halfbuilt.audit.models import ChangeLog
from halfbuilt.closure.models import ClosureRequest, FollowUpCheck
from halfbuilt.disposal.methods import METHODS
from halfbuilt.disposal.models import Milestone, Plan
from halfbuilt.greenchannel.models import Item
from halfbuilt.ledger.models import Project
from halfbuilt.progress import periods
from halfbuilt.progress import services as progress
from halfbuilt.progress.models import ProgressReport, Rollup
from halfbuilt.progress.orgs import org_projects_q
from halfbuilt.supervision.orders.models import SupervisionOrder

CAMPAIGN_APPS = ("ledger", "disposal", "progress", "closure", "files", "audit", "orders", "greenchannel")
# Dates a plan or a 督办 sets for the future, not facts that happened: they may lie after today.
PLANNED = {(Plan, "deadline"), (Milestone, "due_date"), (SupervisionOrder, "deadline"), (Item, "deadline")}
PLANNED_FACTS = {"committed_completion_date", "demolition_date"}


def check_all(started: dt.datetime) -> None:
    """Every check; `started` is when the build began (everything in the story lies before it)."""
    check_nothing_after(started)
    check_within_retention()
    check_projects_before_plans()
    check_reports_follow_their_month_and_plan()
    check_milestones_met_when_recorded()
    check_rollups_after_their_reports()
    check_late_and_missing()
    check_showcase()


def _confirmed_at(plan: Plan) -> dt.datetime:
    return ChangeLog.objects.get(object_type="plan", object_id=str(plan.pk), action="plan_confirm").at


def check_nothing_after(started: dt.datetime) -> None:
    """No timestamp at or after the build's start (the services stamp "now": one left unmoved is caught), no
    date of something that happened after today, in any model of the campaign's apps."""
    today = timezone.localdate(started)
    for label in CAMPAIGN_APPS:
        for model in apps.get_app_config(label).get_models():
            for f in model._meta.concrete_fields:
                if (model, f.name) in PLANNED or not isinstance(f, models.DateField):
                    continue
                if isinstance(f, models.DateTimeField):
                    late = model.objects.filter(**{f"{f.name}__gte": started})
                else:
                    late = model.objects.filter(**{f"{f.name}__gt": today})
                assert not late.exists(), (model.__name__, f.name, list(late.values_list(f.name, flat=True)[:3]))
    for plan in Plan.objects.all():
        dates = {f.key for f in METHODS[plan.method].fields if f.kind == "date"} - PLANNED_FACTS
        for key in dates | {"resumed_date"}:
            if plan.facts.get(key):
                assert plan.facts[key] <= today.isoformat(), (plan.pk, key, plan.facts[key])
    for rollup in Rollup.objects.filter(status="submitted"):
        assert rollup.figures["computed_at"] == timezone.localtime(rollup.submitted_at).isoformat(timespec="seconds")


def check_within_retention() -> None:
    oldest = timezone.now() - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    assert not ChangeLog.objects.filter(at__lt=oldest).exists()  # the retention task would delete them


def check_projects_before_plans() -> None:
    for plan in Plan.objects.select_related("project"):
        entered = ChangeLog.objects.filter(project_id=plan.project_id, action="confirm").get().at
        assert plan.project.created_at < entered < plan.created_at, plan.project.name
    created = ChangeLog.objects.filter(action="create", object_type="project")
    assert created.count() == Project.objects.count()
    for entry in created:
        assert not ChangeLog.objects.filter(project_id=entry.project_id, at__lt=entry.at).exists()


def check_reports_follow_their_month_and_plan() -> None:
    """Submitted after the month ended and after the plan's confirmation, one month after the other."""
    previous: dict[int, ProgressReport] = {}
    reports = ProgressReport.objects.filter(status="submitted").select_related("project__plan")
    for report in reports.order_by("project_id", "period"):
        assert timezone.localdate(report.submitted_at) > periods.last_day(report.period), report
        assert report.submitted_at > _confirmed_at(report.project.plan), report
        if (before := previous.get(report.project_id)) is not None:
            assert report.submitted_at > before.submitted_at, report
        previous[report.project_id] = report


def check_milestones_met_when_recorded() -> None:
    """Met in the report that records it, with its evidence: not after that report, nor after today, nor
    before the plan was confirmed."""
    met = Milestone.objects.filter(met_date__isnull=False).select_related("plan")
    for milestone in met:
        report = ProgressReport.objects.get(milestones_met=milestone, status="submitted")
        assert milestone.met_date <= timezone.localdate(report.submitted_at), milestone
        assert milestone.met_date <= timezone.localdate(), milestone
        assert milestone.met_date >= timezone.localdate(_confirmed_at(milestone.plan)), milestone
        assert milestone.evidence.exists(), milestone


def check_rollups_after_their_reports() -> None:
    """已报送 only once the month is due and its reports are in: none of its projects reported after it, and
    its frozen counts are the ones of today."""
    for rollup in Rollup.objects.filter(status="submitted").select_related("organization"):
        projects = Project.objects.filter(org_projects_q(rollup.organization))
        reports = ProgressReport.objects.filter(project__in=projects, period=rollup.period, status="submitted")
        assert rollup.submitted_at >= periods.late_after(rollup.period), rollup.pk
        assert not reports.filter(submitted_at__gt=rollup.submitted_at).exists(), rollup.pk
        now = progress.figures_for(projects, rollup.period)
        assert {k: rollup.figures[k] for k in ("submitted", "on_time", "late")} == {
            k: now[k] for k in ("submitted", "on_time", "late")}, rollup.pk


def check_late_and_missing() -> None:
    """Late and missing reports in the months before this one, and the demo unit's report of the overdue
    month missing (the last month once its due day has passed, else the month before)."""
    states = set()
    for period in periods.recent(7)[1:]:
        states |= {row["state"] for row in progress.due_rows(Project.objects.all(), period)}
    assert {"on_time", "late", "missing"} <= states, states
    open_period = periods.open_period()
    overdue = open_period if timezone.now() >= periods.late_after(open_period) else periods.shift(open_period, -1)
    unit = Project.objects.restrict(User.objects.get(username="demo_unit"), "report")
    assert "missing" in {row["state"] for row in progress.due_rows(unit, overdue)}


# The showcase projects' stories, whatever the day: each demo account's queue (README, "Demo accounts").
SHOWCASE_PLANS = {
    "包头市东河区第二中学综合楼": "confirmed", "包头市东河区沙尔沁镇中心学校教学楼": "returned",
    "包头市东河区蒙古族中学学生宿舍楼": "draft", "包头市东河区公安分局业务技术用房": "confirmed",
}
SHOWCASE_CLOSURES = {
    "包头市东河区职业中学实训楼": "returned", "包头市第九中学综合楼": "requested",
    "包头市东河区人民医院住院楼": "approved", "阿拉善左旗敬老院改扩建工程": "closed",
    "赤峰市红山区全民健身中心": "closed",
}


def check_showcase() -> None:
    for name, status in SHOWCASE_PLANS.items():
        assert Plan.objects.get(project__name=name).status == status, name
    for name, status in SHOWCASE_CLOSURES.items():
        assert ClosureRequest.objects.get(project__name=name).status == status, name
    assert FollowUpCheck.objects.filter(result="failed").exists()  # the 回头看 drawn yesterday reopened one
