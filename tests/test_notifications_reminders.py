"""The worker's daily reminders on frozen dates: monthly reports due within 3 days, then late (the due day from
PROGRESS_DUE_DAY, the progress app's own notion of who must report); reviews waiting longer than N days. Run twice
on one day, nobody is reminded twice."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from halfbuilt.notifications import reminders
from halfbuilt.notifications.models import Notification

TZ = dt.timezone(dt.timedelta(hours=8))


def at(day: str, hour: int = 8) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=TZ)


def reminded(event: str) -> dict[str, str]:
    return dict(Notification.objects.filter(event=event).values_list("recipient__username", "title"))


@pytest.fixture
def due_project(disposal_projects, disposal_make_plan, closure_stage):
    """The Donghe school being disposed of, its plan drafted in February 2026: it reports from February on
    (the progress app's rule)."""
    from halfbuilt.disposal.models import Plan

    project = closure_stage(disposal_projects["in_scope"])
    plan = disposal_make_plan(project, status="confirmed")
    Plan.objects.filter(pk=plan.pk).update(created_at=at("2026-02-10"))
    return project


@pytest.fixture(autouse=True)
def due_day(settings):
    settings.PROGRESS_DUE_DAY = 5


REPORTERS = {"unit", "county", "region"}  # the unit and the governments over it (Donghe, Baotou)


def test_four_days_before_the_due_day_nobody_is_reminded(due_project, users):
    with time_machine.travel(at("2026-03-01")):
        assert reminders.send_daily()["reports"] == 0
    assert not Notification.objects.exists()


def test_within_three_days_of_the_due_day_whoever_must_report_is_reminded_once_a_day(due_project, users):
    names = {users[role].username for role in REPORTERS}
    with time_machine.travel(at("2026-03-02")):
        assert reminders.send_daily()["reports"] == 3
        assert reminders.send_daily()["reports"] == 0  # a second run the same day repeats nothing
    assert reminded("report_due") == {name: "2026年2月进展（1个项目，3月5日前）" for name in names}
    note = Notification.objects.filter(event="report_due").first()
    assert (note.key, note.url) == ("report:2026-02", "/progress/#due-heading")
    with time_machine.travel(at("2026-03-05", 23)):  # the due day itself, late evening: still due
        assert reminders.send_daily()["reports"] == 3
    assert not Notification.objects.filter(event="report_late").exists()


def test_after_the_due_day_the_missing_report_is_late(due_project, users):
    with time_machine.travel(at("2026-03-06", 0)):
        reminders.send_daily()
    assert reminded("report_late") == {users[role].username: "2026年2月进展（1个项目）" for role in REPORTERS}
    assert not Notification.objects.filter(event="report_due").exists()


def test_a_late_reminder_names_every_month_still_owed(due_project, users):
    with time_machine.travel(at("2026-04-02")):  # March due soon, February owed
        reminders.send_daily()
    assert reminded("report_due") == {users[role].username: "2026年3月进展（1个项目，4月5日前）" for role in REPORTERS}
    assert reminded("report_late") == {users[role].username: "2026年2月进展（1个项目）" for role in REPORTERS}
    with time_machine.travel(at("2026-04-06")):
        reminders.send_daily()
    latest = Notification.objects.filter(event="report_late", recipient=users["unit"]).order_by("-day").first()
    assert (latest.title, latest.key) == ("2026年3月进展（1个项目）、2026年2月进展（1个项目）", "report:late")


def test_a_submitted_report_is_not_reminded(due_project, users, progress_report):
    with time_machine.travel(at("2026-03-02")):
        progress_report(due_project, "2026-02", submitted_at=timezone.now())
        assert reminders.send_daily()["reports"] == 0


def test_the_due_day_comes_from_the_settings(due_project, users, settings):
    settings.PROGRESS_DUE_DAY = 10
    with time_machine.travel(at("2026-03-06")):
        assert reminders.send_daily()["reports"] == 0
    with time_machine.travel(at("2026-03-07")):
        assert reminders.send_daily()["reports"] == 3


def test_a_review_waiting_longer_than_the_limit_is_reminded_to_its_reviewers(disposal_projects, disposal_make_plan,
                                                                          users, settings):
    from halfbuilt.disposal.models import Plan

    settings.NOTIFY_REVIEW_WAITING_DAYS = 7
    plan = disposal_make_plan(disposal_projects["in_scope"], status="submitted")
    with time_machine.travel(at("2026-03-10")):
        Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now() - dt.timedelta(days=6))
        assert reminders.send_daily()["waiting"] == 0
        Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now() - dt.timedelta(days=8))
        assert reminders.send_daily()["waiting"] == 2
        assert reminders.send_daily()["waiting"] == 0
    assert reminded("review_waiting") == {users[role].username: "1个处置方案等待审核已超过7天"
                                          for role in ("department", "department_baotou")}
    assert Notification.objects.filter(event="review_waiting").first().url == "/disposal/#to_review"


def test_the_worker_sends_them_at_eight_in_the_morning_beijing_time(due_project, users):
    """Huey's crontab is in UTC: the hourly task acts only in the local 08:00 hour."""
    with time_machine.travel(at("2026-03-03", 7)):
        assert reminders.daily_reminders.call_local() is None
    with time_machine.travel(at("2026-03-03", 8)):
        assert reminders.daily_reminders.call_local()["reports"] == 3
