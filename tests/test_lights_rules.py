"""Each light rule at its thresholds (just below / at / above), the colours they give, and which projects have a
light at all."""

import datetime as dt
from decimal import Decimal

import pytest

from halfbuilt.ledger.models import Project
from halfbuilt.supervision.lights.models import Colour, LightSettings
from halfbuilt.supervision.lights.recompute import recompute
from tests.lights_helpers import NOW, TODAY, at, closure, codes, colour, in_disposal, milestone, plan, report

DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _plan_phase_not_over(db):
    """The plan phase ends after today unless a test says otherwise, so that only the rule under test speaks."""
    LightSettings.objects.update_or_create(pk=1, defaults={"plan_draft_by": TODAY + 365 * DAY,
                                                           "plan_confirm_by": TODAY + 365 * DAY})


@pytest.fixture
def school(projects):
    return in_disposal(projects["in_scope"])


@pytest.fixture
def half_way(school):
    """A confirmed plan drafted 100 days ago with its deadline 100 days ahead: the schedule stands at 50 %. Every
    past month is reported, so only the progress rule can speak."""
    made = plan(school, drafted=TODAY - 100 * DAY, deadline=TODAY + 100 * DAY)
    for period in ("2026-03", "2026-04"):
        report(school, period, "5")
    return made


@pytest.mark.parametrize(("progress", "expected"), [
    ("40.1", set()),  # 9.9 points behind
    ("40", {"behind_schedule"}),  # 10
    ("20", {"behind_schedule"}),  # 30
    ("19.9", {"far_behind_schedule"}),  # 30.1
])
def test_progress_behind_the_schedule(school, half_way, progress, expected):
    report(school, "2026-05", progress)
    recompute(now=NOW)
    assert codes(school) == expected
    assert colour(school) == {"behind_schedule": Colour.YELLOW, "far_behind_schedule": Colour.RED}.get(
        next(iter(expected), ""), Colour.GREEN)


def test_progress_is_read_from_the_latest_submitted_report_only(school, half_way):
    report(school, "2026-05", "45")
    Project.objects.filter(pk=school.pk)  # a later draft does not count
    report(school, "2026-06", "0", status="draft")
    recompute(now=NOW)
    assert codes(school) == set()


def test_without_any_report_progress_counts_as_zero(school):
    plan(school, drafted=TODAY - 10 * DAY, deadline=TODAY + 10 * DAY)  # 50 % of the schedule gone, nothing reported
    recompute(now=NOW)
    assert "far_behind_schedule" in codes(school)


@pytest.mark.parametrize(("reported", "expected"), [
    (("2026-05", "2026-04", "2026-03"), set()),  # 0 months missing
    (("2026-04", "2026-03"), {"report_missing"}),  # 1
    (("2026-03",), {"report_missing"}),  # 2
    ((), {"reports_missing"}),  # 3
])
def test_monthly_reports_missing(school, reported, expected):
    plan(school, drafted=dt.date(2026, 1, 10), deadline=dt.date(2030, 12, 31))
    for period in reported:
        report(school, period, "90")
    recompute(now=NOW)
    assert codes(school) == expected


def test_a_month_is_missing_only_after_its_due_day(school):
    plan(school, drafted=dt.date(2026, 1, 10), deadline=dt.date(2030, 12, 31))
    for period in ("2026-04", "2026-03", "2026-02"):
        report(school, period, "90")
    recompute(now=at(dt.date(2026, 6, 5), 23))  # May's report is due on the 5th: not late yet
    assert codes(school) == set()
    recompute(now=at(dt.date(2026, 6, 6), 1))
    assert codes(school) == {"report_missing"}


def test_months_before_the_plan_was_drafted_are_not_due(school):
    plan(school, drafted=dt.date(2026, 5, 20), deadline=dt.date(2027, 12, 31))
    report(school, "2026-05", "90")
    recompute(now=NOW)
    assert codes(school) == set()


def test_missing_thresholds_are_the_offices(school):
    LightSettings.objects.update_or_create(pk=1, defaults={"missing_yellow_months": 2, "missing_red_months": 4})
    plan(school, drafted=dt.date(2026, 1, 10), deadline=dt.date(2030, 12, 31))
    for period in ("2026-04", "2026-03", "2026-02"):
        report(school, period, "90")
    recompute(now=NOW)
    assert codes(school) == set()  # 1 month missing, below the office's 2


def _deadlines(draft_by: dt.date, confirm_by: dt.date) -> None:
    LightSettings.objects.update_or_create(pk=1, defaults={"plan_draft_by": draft_by, "plan_confirm_by": confirm_by})


@pytest.mark.parametrize(("draft_by", "expected"), [(TODAY, set()), (TODAY - DAY, {"plan_not_drafted"})])
def test_plan_not_drafted_by_the_phase_deadline(projects, draft_by, expected):
    project = in_disposal(projects["in_scope"], stage="")
    _deadlines(draft_by, draft_by)
    recompute(now=NOW)
    assert codes(project) == expected
    assert colour(project) == (Colour.RED if expected else Colour.GREEN)


def test_a_draft_plan_is_not_drafted_yet_and_a_submitted_one_is_not_confirmed(projects):
    drafting, submitted = in_disposal(projects["in_scope"], "planning"), in_disposal(projects["elsewhere"], "planning")
    plan(drafting, drafted=TODAY - DAY, deadline=TODAY + 300 * DAY, status="draft")
    plan(submitted, drafted=TODAY - DAY, deadline=TODAY + 300 * DAY, status="submitted", updated=NOW)
    _deadlines(TODAY - DAY, TODAY - DAY)
    recompute(now=NOW)
    assert codes(drafting) == {"plan_not_drafted"}
    assert codes(submitted) == {"plan_not_confirmed"}
    assert colour(submitted) == Colour.YELLOW
    _deadlines(TODAY - DAY, TODAY)
    recompute(now=NOW)
    assert codes(submitted) == set()


@pytest.mark.parametrize(("due", "met", "expected"), [
    (TODAY, None, set()),
    (TODAY - DAY, None, {"milestone_overdue"}),
    (TODAY - 10 * DAY, TODAY - DAY, set()),  # met, even late
])
def test_milestone_passed_without_being_met(school, due, met, expected):
    made = plan(school, drafted=dt.date(2026, 5, 20), deadline=dt.date(2027, 12, 31))
    report(school, "2026-05", "90")
    milestone(made, due, met)
    recompute(now=NOW)
    assert codes(school) == expected


@pytest.mark.parametrize(("deadline", "expected"), [(TODAY, set()), (TODAY - DAY, {"plan_deadline_passed"})])
def test_plan_deadline_passed(school, deadline, expected):
    plan(school, drafted=dt.date(2026, 5, 20), deadline=deadline)
    report(school, "2026-05", "100")
    recompute(now=NOW)
    assert codes(school) == expected
    assert colour(school) == (Colour.RED if expected else Colour.GREEN)


@pytest.mark.parametrize(("waited", "expected"), [
    (dt.timedelta(days=15) - dt.timedelta(minutes=1), set()),
    (dt.timedelta(days=15, minutes=1), {"plan_review_waiting"}),
])
@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_plan_review_waiting_longer_than_n_days(projects, status, waited, expected):
    project = in_disposal(projects["in_scope"], "planning")
    plan(project, drafted=TODAY - 20 * DAY, deadline=TODAY + 300 * DAY, status=status, updated=NOW - waited)
    recompute(now=NOW)
    assert codes(project) == expected


@pytest.mark.parametrize(("waited", "expected"), [
    (dt.timedelta(days=15) - dt.timedelta(minutes=1), set()),
    (dt.timedelta(days=15, minutes=1), {"closure_review_waiting"}),
])
@pytest.mark.parametrize("status", ["requested", "approved"])
def test_closure_review_waiting_longer_than_n_days(projects, status, waited, expected):
    project = in_disposal(projects["in_scope"], "closing")
    plan(project, drafted=dt.date(2026, 5, 20), deadline=TODAY + 300 * DAY)
    report(project, "2026-05", "100")
    closure(project, status=status, since=NOW - waited)
    recompute(now=NOW)
    assert codes(project) == expected


def test_review_waiting_days_are_the_offices(projects):
    LightSettings.objects.update_or_create(pk=1, defaults={"review_wait_days": 30})
    project = in_disposal(projects["in_scope"], "planning")
    plan(project, drafted=TODAY - 20 * DAY, deadline=TODAY + 300 * DAY, status="submitted", updated=NOW - 20 * DAY)
    recompute(now=NOW)
    assert codes(project) == set()


def test_only_projects_in_the_ledger_and_not_closed_have_a_light(projects):
    candidate = projects["in_scope"]  # 待核实
    closed = in_disposal(projects["elsewhere"], "closed")
    fresh = in_disposal(projects["classified"], "")
    recompute(now=NOW)
    assert (colour(candidate), colour(closed), colour(fresh)) == (None, None, Colour.GREEN)


def test_the_most_severe_reason_gives_the_colour(school):
    made = plan(school, drafted=TODAY - 100 * DAY, deadline=TODAY - DAY)  # deadline passed: red
    milestone(made, TODAY - 5 * DAY)  # yellow
    recompute(now=NOW)
    assert {"plan_deadline_passed", "milestone_overdue"} <= codes(school)
    assert colour(school) == Colour.RED


def test_thresholds_in_points_are_exact_decimals(school, half_way):
    LightSettings.objects.update_or_create(pk=1, defaults={"behind_yellow_points": Decimal("12.5")})
    report(school, "2026-05", "37.6")  # 12.4 behind
    recompute(now=NOW)
    assert codes(school) == set()


def test_the_campaigns_plan_phase_gives_the_plan_deadlines(db):
    """With a campaign, its plan phase's deadline is the one date (the lights' own dates are for a deployment
    without one), and the office's rules page does not offer them."""
    from halfbuilt.campaign.loader import load_campaign
    from halfbuilt.campaign.models import Phase
    from halfbuilt.supervision.lights.forms import LightSettingsForm
    from halfbuilt.supervision.lights.models import LightSettings
    from halfbuilt.supervision.lights.rules import plan_deadlines

    settings_row = LightSettings.current()
    own = plan_deadlines(settings_row)
    assert (own.draft_by, own.confirm_by) == (settings_row.plan_draft_by, settings_row.plan_confirm_by)
    campaign, _created = load_campaign()
    phase = campaign.phases.get(key="plan")
    Phase.objects.filter(pk=phase.pk).update(ends=dt.date(2027, 3, 31), due=None)
    phase.refresh_from_db()
    found = plan_deadlines(settings_row)
    assert found.draft_by == found.confirm_by == phase.deadline
    assert "plan_draft_by" not in LightSettingsForm(campaign_deadline=phase.deadline).fields
