"""The recompute as a whole: it equals an independent recomputation in plain Python, keeps history only when a
colour changes, follows the change log at once, runs rules other apps register, and the office's edit."""

import datetime as dt
import random
from decimal import Decimal

import pytest
import time_machine

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.errors import ConflictError, NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.disposal.models import Plan
from halfbuilt.ledger.models import Project
from halfbuilt.progress import services as progress
from halfbuilt.progress.models import ProgressReport
from halfbuilt.supervision.lights import services
from halfbuilt.supervision.lights.models import Colour, Light, LightChange, LightReason, LightSettings
from halfbuilt.supervision.lights.reasons import Reason, by_code, registered
from halfbuilt.supervision.lights.recompute import recompute
from halfbuilt.supervision.lights.tasks import recompute_lights_daily
from tests.lights_helpers import NOW, TODAY, at, closure, codes, colour, in_disposal, milestone, plan, report

DAY = dt.timedelta(days=1)
SEVERITY = {"yellow": Colour.YELLOW, "red": Colour.RED}


# --- an independent recomputation: per project, in Python, from the models --------------------------------------

def _due_day(period: str) -> dt.date:
    year, month = int(period[:4]), int(period[5:])
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dt.date(year, month, 5)  # PROGRESS_DUE_DAY


def _months_back(today: dt.date, count: int) -> list[str]:
    months, year, month = [], today.year, today.month
    while len(months) < count:
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        period = f"{year:04d}-{month:02d}"
        if today > _due_day(period):
            months.append(period)
    return months


def expected_codes(project: Project, s: LightSettings, now: dt.datetime) -> set[str]:
    today = now.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    found: set[str] = set()
    plan_ = Plan.objects.filter(project=project).first()
    submitted = {r.period: r for r in ProgressReport.objects.filter(project=project, status="submitted")}
    if project.stage == "disposing" and plan_:
        start = plan_.created_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
        if today >= plan_.deadline:
            schedule = Decimal(100)
        elif start >= today:
            schedule = Decimal(0)
        else:
            schedule = Decimal((today - start).days * 100) / Decimal((plan_.deadline - start).days)
        actual = submitted[max(submitted)].physical_progress if submitted else Decimal(0)
        behind = schedule - actual
        if behind > s.behind_red_points:
            found.add("far_behind_schedule")
        elif behind >= s.behind_yellow_points:
            found.add("behind_schedule")
    if project.stage in ("disposing", "closing"):
        missing = 0
        for period in _months_back(today, s.missing_red_months):
            month_end = dt.date(int(period[:4]) + (period[5:] == "12"), int(period[5:]) % 12 + 1, 1)
            drafted_before = plan_ is None or plan_.created_at < at(month_end, 0)
            missing += drafted_before and period not in submitted
        if missing >= s.missing_red_months:
            found.add("reports_missing")
        elif missing >= s.missing_yellow_months:
            found.add("report_missing")
    if today > s.plan_draft_by and (plan_ is None or plan_.status == "draft"):
        found.add("plan_not_drafted")
    if today > s.plan_confirm_by and plan_ and plan_.status in ("submitted", "returned", "approved"):
        found.add("plan_not_confirmed")
    if plan_ and project.stage != "closing":
        if any(m.due_date < today and m.met_date is None for m in plan_.milestones.all()):
            found.add("milestone_overdue")
        if plan_.deadline < today:
            found.add("plan_deadline_passed")
    since = now - dt.timedelta(days=s.review_wait_days)
    if plan_ and plan_.status in ("submitted", "approved") and plan_.updated_at < since:
        found.add("plan_review_waiting")
    for request in project.closure_requests.all():
        if (request.status == "requested" and request.requested_at < since) or (
                request.status == "approved" and request.reviewed_at < since):
            found.add("closure_review_waiting")
    return found


def _random_campaign(projects_factory, rng: random.Random, count: int) -> list[Project]:
    made = []
    for _ in range(count):
        stage = rng.choice(["", "planning", "disposing", "disposing", "closing", "closed"])
        status = rng.choice(["in_ledger"] * 5 + ["candidate", "voided"])
        project = projects_factory(status=status, stage=stage)
        if stage or rng.random() < 0.3:
            drafted = TODAY - rng.randint(1, 400) * DAY
            made_plan = plan(project, drafted=drafted, deadline=drafted + rng.randint(30, 700) * DAY,
                             status=rng.choice(["draft", "submitted", "returned", "approved", "confirmed"]),
                             updated=NOW - rng.randint(0, 40) * DAY)
            for _m in range(rng.randint(0, 2)):
                due = TODAY + rng.randint(-60, 60) * DAY
                milestone(made_plan, due, due if rng.random() < 0.4 else None)
            for period in ("2026-05", "2026-04", "2026-03", "2026-02"):
                if rng.random() < 0.6:
                    report(project, period, str(rng.randint(0, 100)))
        if stage == "closing":
            closure(project, status=rng.choice(["requested", "approved"]), since=NOW - rng.randint(0, 30) * DAY)
        made.append(project)
    return made


def test_the_recompute_equals_an_independent_recomputation(make_project):
    LightSettings.objects.update_or_create(pk=1, defaults={"plan_draft_by": TODAY - 30 * DAY,
                                                           "plan_confirm_by": TODAY - 10 * DAY})
    made = _random_campaign(make_project, random.Random(20260615), 60)
    recompute_lights_daily.call_local()  # the worker's task, as scheduled
    recompute(now=NOW)
    settings = LightSettings.current()
    for project in made:
        project.refresh_from_db()
        lit = project.status == "in_ledger" and project.stage != "closed"
        want = expected_codes(project, settings, NOW) if lit else None
        got = codes(project) if Light.objects.filter(project=project).exists() else None
        assert got == want, project.pk
        if lit:
            severity = max((by_code(code).colour for code in want), default=Colour.GREEN)
            assert colour(project) == severity
    assert len({tuple(sorted(codes(p))) for p in made}) > 8  # the mix covers many combinations


# --- history ------------------------------------------------------------------------------------------------

def test_history_is_written_only_when_the_colour_changes(projects):
    project = in_disposal(projects["in_scope"])
    made = plan(project, drafted=dt.date(2026, 5, 20), deadline=dt.date(2030, 12, 31))
    report(project, "2026-05", "10")
    LightSettings.objects.update_or_create(pk=1, defaults={"plan_draft_by": TODAY, "plan_confirm_by": TODAY})
    recompute(now=NOW)
    recompute(now=NOW + DAY)  # nothing changed: nothing written
    assert list(LightChange.objects.filter(project=project).values_list("from_colour", "to_colour")) == [
        (None, Colour.GREEN)]
    milestone(made, TODAY - DAY)
    recompute(now=NOW + 2 * DAY)  # yellow
    milestone(made, TODAY - 2 * DAY)  # another yellow reason: the colour stays
    Plan.objects.filter(pk=made.pk).update(deadline=TODAY)  # and red
    recompute(now=NOW + 3 * DAY)
    recompute(now=NOW + 4 * DAY)
    history = list(LightChange.objects.filter(project=project).order_by("at").values_list(
        "from_colour", "to_colour"))
    assert history == [(None, Colour.GREEN), (Colour.GREEN, Colour.YELLOW), (Colour.YELLOW, Colour.RED)]
    light = Light.objects.get(project=project)
    assert light.since == NOW + 3 * DAY
    entries = ChangeLog.objects.filter(project_id=project.pk, action="light_change").order_by("at")
    assert [(e.before, e.after) for e in entries] == [
        ({"light": "绿灯"}, {"light": "黄灯"}), ({"light": "黄灯"}, {"light": "红灯"})]
    assert "超过方案完成时限未销号" in entries.last().reason


def test_reasons_change_without_a_colour_change_update_the_light_only(projects):
    project = in_disposal(projects["in_scope"])
    made = plan(project, drafted=dt.date(2026, 5, 20), deadline=dt.date(2030, 12, 31))
    report(project, "2026-05", "10")
    milestone(made, TODAY - DAY)
    LightSettings.objects.update_or_create(pk=1, defaults={"plan_draft_by": TODAY + 30 * DAY,
                                                           "plan_confirm_by": TODAY + 30 * DAY})
    recompute(now=NOW)
    Plan.objects.filter(pk=made.pk).update(status="submitted", updated_at=NOW - 30 * DAY)
    recompute(now=NOW + DAY)
    assert codes(project) == {"milestone_overdue", "plan_review_waiting"}
    assert LightChange.objects.filter(project=project).count() == 1
    assert Light.objects.get(project=project).since == NOW


def test_a_closed_project_loses_its_light_and_the_history_says_so(projects):
    project = in_disposal(projects["in_scope"])
    plan(project, drafted=dt.date(2026, 1, 20), deadline=TODAY - DAY)
    recompute(now=NOW)
    assert colour(project) == Colour.RED
    Project.objects.filter(pk=project.pk).update(stage="closed")
    recompute(now=NOW + DAY)
    assert colour(project) is None and codes(project) == set()
    assert LightChange.objects.filter(project=project).latest("at").to_colour is None


# --- the change-log hook ------------------------------------------------------------------------------------

@time_machine.travel(NOW, tick=False)
def test_a_report_submitted_clears_report_missing_at_once(projects, users, django_capture_on_commit_callbacks):
    project = in_disposal(projects["in_scope"])
    plan(project, drafted=dt.date(2026, 1, 10), deadline=dt.date(2030, 12, 31))
    for period in ("2026-04", "2026-03"):
        report(project, period, "40")
    LightSettings.objects.update_or_create(pk=1, defaults={"plan_draft_by": TODAY, "plan_confirm_by": TODAY})
    recompute()
    assert codes(project) == {"report_missing"} and colour(project) == Colour.YELLOW
    with django_capture_on_commit_callbacks(execute=True):
        progress.report_submit(actor=Actor(users["unit"]), project=project, period="2026-05",
                               data={"progress": "主体施工", "physical_progress": "45"})
    assert codes(project) == set() and colour(project) == Colour.GREEN
    assert LightChange.objects.filter(project=project).latest("at").from_colour == Colour.YELLOW


def test_one_recompute_per_transaction_whatever_the_number_of_entries(projects, users, monkeypatch,
                                                                      django_capture_on_commit_callbacks):
    from django.db import transaction

    from halfbuilt.audit.services import record_change
    from halfbuilt.supervision.lights import hooks

    seen = []
    monkeypatch.setattr(hooks, "recompute", lambda ids, **options: seen.append(set(ids)))
    a, b = projects["in_scope"], projects["elsewhere"]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for project in (a, b, a):
            record_change(actor=Actor(users["office"]), action="update", obj=project, before={"x": 1},
                          after={"x": 2}, project_id=project.pk)
    assert seen == [{a.pk, b.pk}]


def test_a_rolled_back_write_recomputes_nothing(projects, users, monkeypatch, django_capture_on_commit_callbacks):
    from django.db import transaction

    from halfbuilt.audit.services import record_change
    from halfbuilt.supervision.lights import hooks

    seen = []
    monkeypatch.setattr(hooks, "recompute", lambda ids, **options: seen.append(set(ids)))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        record_change(actor=Actor(users["office"]), action="update", obj=projects["in_scope"], before={"x": 1},
                      after={"x": 2}, project_id=projects["in_scope"].pk)
        raise RuntimeError
    assert seen == []


# --- a rule registered by another app -----------------------------------------------------------------------

OVERDUE_REPLY = Reason("test_reply_overdue", 40, Colour.RED, "督办回复逾期（测试）", "按督办要求回复")


def test_another_app_registers_a_rule_without_touching_the_core(projects):
    flagged = in_disposal(projects["in_scope"], stage="")
    other = in_disposal(projects["elsewhere"], stage="")
    LightSettings.objects.update_or_create(pk=1, defaults={"plan_draft_by": TODAY + 30 * DAY,
                                                           "plan_confirm_by": TODAY + 30 * DAY})

    def overdue_replies(candidates, context):
        return candidates.filter(pk__in=[flagged.pk])  # stands for "projects with an overdue 督办 reply"

    with registered(OVERDUE_REPLY, overdue_replies):
        recompute(now=NOW)
        assert codes(flagged) == {"test_reply_overdue"} and colour(flagged) == Colour.RED
        assert colour(other) == Colour.GREEN
    recompute(now=NOW + DAY)  # unregistered: its reason goes
    assert codes(flagged) == set() and colour(flagged) == Colour.GREEN


def test_a_code_or_bit_cannot_be_registered_twice():
    from halfbuilt.supervision.lights.reasons import register_rule

    with pytest.raises(ValueError):
        register_rule(Reason("report_missing", 41, Colour.RED, "x", "y"), lambda c, x: c)
    with pytest.raises(ValueError):
        register_rule(Reason("new_code", 2, Colour.RED, "x", "y"), lambda c, x: c)


# --- the office's edit of the rules -------------------------------------------------------------------------

def test_the_office_edits_the_rules_with_a_change_log_entry_and_every_light_follows(
        projects, users, django_capture_on_commit_callbacks):
    project = in_disposal(projects["in_scope"], stage="")
    recompute()
    assert colour(project) == Colour.RED  # no plan, and the plan phase ended on 2022-10-31
    values = {name: getattr(LightSettings.current(), name) for name in services.FIELDS}
    values["plan_draft_by"] = values["plan_confirm_by"] = dt.date(2099, 1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_settings(actor=Actor(users["office"]), values=values, version=1)
    assert colour(project) == Colour.GREEN
    entry = ChangeLog.objects.get(action="lights_settings")
    assert entry.before == {"plan_draft_by": "2022-10-31", "plan_confirm_by": "2022-10-31"}
    assert LightSettings.current().version == 2


@pytest.mark.parametrize(("change", "field"), [
    ({"behind_yellow_points": Decimal(40)}, "behind_yellow_points"),
    ({"missing_yellow_months": 3}, "missing_yellow_months"),
    ({"plan_draft_by": dt.date(2023, 1, 1)}, "plan_draft_by"),
])
def test_inconsistent_rules_are_refused_naming_the_field(users, change, field):
    values = {**{name: getattr(LightSettings.current(), name) for name in services.FIELDS}, **change}
    with pytest.raises(ServiceError) as refused:
        services.update_settings(actor=Actor(users["office"]), values=values, version=1)
    assert refused.value.field == field
    assert str(services.LABELS[field]) in refused.value.message
    assert not ChangeLog.objects.filter(action="lights_settings").exists()


def test_only_the_office_edits_the_rules_and_a_stale_form_is_refused(users):
    values = {name: getattr(LightSettings.current(), name) for name in services.FIELDS}
    for role in ("department", "region", "unit", "sysadmin"):
        with pytest.raises(NotAllowed):
            services.update_settings(actor=Actor(users[role]), values=values, version=1)
    with pytest.raises(ConflictError):
        services.update_settings(actor=Actor(users["office"]), values=values, version=7)
    assert not LightReason.objects.exists() and LightSettings.current().version == 1


def test_a_partial_recompute_touches_only_the_projects_named(projects):
    a, b = in_disposal(projects["in_scope"], stage=""), in_disposal(projects["elsewhere"], stage="")
    LightSettings.objects.update_or_create(pk=1, defaults={"plan_draft_by": TODAY + 30 * DAY,
                                                           "plan_confirm_by": TODAY + 30 * DAY})
    recompute(now=NOW)
    LightSettings.objects.filter(pk=1).update(plan_draft_by=TODAY - DAY)  # both now lack a plan in time
    recompute([a.pk], now=NOW)
    assert (colour(a), colour(b)) == (Colour.RED, Colour.GREEN)
    Project.objects.filter(pk=a.pk).update(stage="closed")
    recompute([a.pk], now=NOW)
    assert (colour(a), colour(b)) == (None, Colour.GREEN)
    recompute(range(1, 10_000), now=NOW)  # beyond PARTIAL_MAX: everything
    assert colour(b) == Colour.RED


def test_a_write_during_the_daily_run_leaves_its_lights_to_the_worker(projects, monkeypatch):
    from halfbuilt.supervision.lights import hooks
    from halfbuilt.supervision.lights.recompute import Busy

    def busy(ids, **options):
        assert options == {"wait": False}  # a page never waits for the daily run
        raise Busy

    queued = []
    monkeypatch.setattr(hooks, "recompute", busy)
    monkeypatch.setattr(hooks, "recompute_lights_of", queued.append)
    hooks.on_projects_changed(None, project_ids=frozenset({3, 1}))
    assert queued == [[1, 3]]


def test_a_commit_of_only_the_lights_own_changes_recomputes_nothing(monkeypatch):
    from halfbuilt.supervision.lights import hooks
    from halfbuilt.supervision.lights.recompute import LIGHT_ACTION

    calls = []
    monkeypatch.setattr(hooks, "recompute", lambda ids, **options: calls.append(ids))
    monkeypatch.setattr(hooks, "telling_red", lambda ids, run: run())
    hooks.on_projects_changed(None, project_ids=frozenset({1}), actions=frozenset({LIGHT_ACTION}))
    assert calls == []
    hooks.on_projects_changed(None, project_ids=frozenset({1}), actions=frozenset({LIGHT_ACTION, "report_submit"}))
    assert calls == [frozenset({1})]
