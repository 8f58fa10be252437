"""notify: once a day per user, event and key (a unique constraint); preferences per channel; scope; the
transitions that notify whoever holds the next step; organizations as recipients."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from halfbuilt.closure import services as closure
from halfbuilt.core.request_context import Actor
from halfbuilt.disposal import services as disposal
from halfbuilt.notifications import services
from halfbuilt.notifications.models import Delivery, Notification
from halfbuilt.notifications.services import notify

TZ = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def channels_on(settings):
    """E-mail and SMS configured (nothing is sent: these tests keep to what is queued)."""
    settings.EMAIL_HOST = "127.0.0.1"
    settings.SMS_WEBHOOK_URL = "http://127.0.0.1:9/sms"


def inbox(user) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(recipient=user).order_by("created_at", "id").values_list("event", "key"))


def test_the_same_event_and_key_reaches_a_user_once_a_day_and_again_the_next_day(users):
    unit = users["unit"]
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=TZ)):
        first = notify(event="report_due", recipients=[unit], title="2月进展", url="/progress/", key="report:2026-02")
        again = notify(event="report_due", recipients=[unit], title="2月进展", url="/progress/", key="report:2026-02")
        other = notify(event="report_due", recipients=[unit], title="1月进展", url="/progress/", key="report:2026-01")
    assert len(first.notifications) == 1 and again.notifications == [] and len(other.notifications) == 1
    # 23:59 Beijing time is still the same day; 00:01 is the next.
    with time_machine.travel(dt.datetime(2026, 3, 10, 23, 59, tzinfo=TZ)):
        late = notify(event="report_due", recipients=[unit], title="t", url="/", key="report:2026-02")
        assert late.notifications == []
    with time_machine.travel(dt.datetime(2026, 3, 11, 0, 1, tzinfo=TZ)):
        assert len(notify(event="report_due", recipients=[unit], title="t", url="/", key="report:2026-02")
                   .notifications) == 1
    assert Notification.objects.filter(recipient=unit, key="report:2026-02").count() == 2


def test_the_database_refuses_a_second_row_for_the_same_user_event_key_and_day(users):
    """Not a check-then-insert in Python: two writers racing both reach the constraint."""
    row = {"recipient": users["unit"], "event": "report_due", "key": "report:2026-02", "day": dt.date(2026, 3, 10),
           "title": "t"}
    Notification.objects.create(**row)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(**row)


def test_a_duplicate_leaves_the_callers_transaction_usable(users):
    with transaction.atomic():
        notify(event="report_due", recipients=[users["unit"]], title="t", url="/", key="k")
        notify(event="report_due", recipients=[users["unit"]], title="t", url="/", key="k")
        Notification.objects.count()  # would raise on PostgreSQL if the duplicate had aborted the transaction
    assert inbox(users["unit"]) == [("report_due", "k")]


def test_defaults_come_from_the_event_table_and_the_users_choice_decides_each_channel(users, channels_on):
    unit = users["unit"]
    unit.email, unit.phone = "unit@example.cn", "13800000000"
    unit.save()

    def channels(key, event="report_late"):
        sent = notify(event=event, recipients=[unit], title="t", url="/", key=key)
        return sorted(d.channel for d in sent.deliveries)

    # The table: report_late goes by e-mail and SMS, report_due by e-mail, a circular in the inbox only.
    assert channels("a") == ["email", "sms"]
    assert channels("b", "report_due") == ["email"]
    assert channels("c", "circular_published") == []
    services.set_preferences(actor=Actor(user=unit), user=unit,
                             chosen={"report_late": ["sms"], "report_due": [], "circular_published": ["email"]})
    assert channels("d") == ["sms"]
    assert channels("e", "report_due") == []
    assert channels("f", "circular_published") == ["email"]
    # The inbox gets every one of them whatever the choice.
    assert [k for _, k in inbox(unit)] == ["a", "b", "c", "d", "e", "f"]


def test_a_channel_needs_its_setting_and_the_users_address(users, settings):
    unit = users["unit"]
    settings.EMAIL_HOST, settings.SMS_WEBHOOK_URL = "", ""
    assert notify(event="report_late", recipients=[unit], title="t", url="/", key="a").deliveries == []
    settings.EMAIL_HOST, settings.SMS_WEBHOOK_URL = "127.0.0.1", "http://127.0.0.1:9/sms"
    assert notify(event="report_late", recipients=[unit], title="t", url="/", key="b").deliveries == []  # no address
    unit.phone = "13800000000"
    unit.save()
    sent = notify(event="report_late", recipients=[unit], title="t", url="/", key="c")
    assert [(d.channel, d.address) for d in sent.deliveries] == [("sms", "13800000000")]


def test_preferences_changes_are_the_users_own_and_logged(users, channels_on):
    from halfbuilt.audit.models import ChangeLog
    from halfbuilt.core.errors import NotAllowed

    unit, county = users["unit"], users["county"]
    with pytest.raises(NotAllowed):
        services.set_preferences(actor=Actor(user=county), user=unit, chosen={"report_late": []})
    services.set_preferences(actor=Actor(user=unit), user=unit, chosen={"report_late": []})
    assert services.choices_of(unit)["report_late"] == set()
    entry = ChangeLog.objects.get(action="notification_preferences")
    assert entry.before["report_late"] == ["email", "sms"] and entry.after["report_late"] == []


def test_nobody_is_told_about_a_project_they_may_not_see(users, projects):
    everyone = list(users.values())
    sent = notify(event="project_red", recipients=everyone, title="某业务技术用房", url="/", key="red:1",
                  project=projects["classified"])
    assert [n.recipient for n in sent.notifications] == [users["department_gat"]]
    sent = notify(event="project_red", recipients=everyone, title="红山区幼儿园", url="/", key="red:2",
                  project=projects["elsewhere"])
    assert {n.recipient for n in sent.notifications} == {users["office"], users["department"]}


def test_an_organization_means_the_users_holding_a_role_in_it(users, orgs, make_user):
    second = make_user("unit", orgs["unit"], "unit_second")
    sent = notify(event="order_received", recipients=[orgs["unit"], users["unit"]], title="督办", url="/",
                  key="order:1")
    assert sorted(n.recipient.username for n in sent.notifications) == sorted(
        [users["unit"].username, second.username])


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "ledger/"])
def test_a_link_must_stay_on_the_site(users, url):
    with pytest.raises(ValueError):
        notify(event="report_due", recipients=[users["unit"]], title="t", url=url, key="k")


# --- the transitions --------------------------------------------------------------------------------------------

@pytest.fixture
def plan(disposal_projects, disposal_make_plan):
    return disposal_make_plan(disposal_projects["in_scope"])


def test_a_returned_plan_reaches_the_unit_and_its_county_not_the_league_or_the_reviewer(plan, users):
    disposal.plan_submit(actor=Actor(user=users["unit"]), plan=plan)
    disposal.plan_return(actor=Actor(user=users["department_baotou"]), plan=plan, comment="补充资金来源")
    returned = Notification.objects.filter(event="plan_returned")
    assert sorted(n.recipient.username for n in returned) == sorted([users["unit"].username, users["county"].username])
    note = returned.get(recipient=users["unit"])
    assert (note.key, note.url, note.title, note.detail) == (
        f"plan:{plan.pk}:return", f"/disposal/{plan.pk}/", "东河区第一中学教学楼", "补充资金来源")
    assert note.project_id == plan.project_id and note.actor_name == users["department_baotou"].username


def test_a_submitted_plan_reaches_its_reviewing_departments_and_an_approved_one_the_office(plan, users):
    disposal.plan_submit(actor=Actor(user=users["unit"]), plan=plan)
    due = Notification.objects.filter(event="plan_review_due", key=f"plan:{plan.pk}:submit")
    assert sorted(n.recipient.username for n in due) == sorted(
        [users["department"].username, users["department_baotou"].username])
    disposal.plan_approve(actor=Actor(user=users["department"]), plan=plan)
    due = Notification.objects.filter(event="plan_review_due", key=f"plan:{plan.pk}:approve")
    assert [n.recipient for n in due] == [users["office"]]


def test_a_closure_request_reaches_the_department_and_once_approved_the_office(disposal_projects, closure_stage,
                                                                             closure_evidence, users):
    project = closure_stage(disposal_projects["in_scope"])
    request = closure.closure_request(
        actor=Actor(user=users["unit"]), project=project, outcome="in_use", outcome_date=dt.date.today(),
        description="已投入使用", evidence_ids=[closure_evidence(project).pk])
    waiting = Notification.objects.filter(event="closure_review_due", key=f"closurerequest:{request.pk}:request")
    assert sorted(n.recipient.username for n in waiting) == sorted(
        [users["department"].username, users["department_baotou"].username])
    closure.closure_review(actor=Actor(user=users["department_baotou"]), request=request, approve=True)
    closing = Notification.objects.filter(event="closure_review_due", key=f"closurerequest:{request.pk}:approve")
    assert [n.recipient for n in closing] == [users["office"]]
    assert closing.get().url == f"/closure/{request.pk}/"


def test_a_classified_plan_stays_with_its_department(disposal_projects, disposal_make_plan, users):
    """The owning department drafts, reviews and confirms its classified plan itself: nobody else is told."""
    plan = disposal_make_plan(disposal_projects["classified"])
    disposal.plan_submit(actor=Actor(user=users["department_gat"]), plan=plan)
    disposal.plan_return(actor=Actor(user=users["department_gat"]), plan=plan, comment="补充")
    assert not Notification.objects.exclude(recipient=users["department_gat"]).exists()


def test_a_failing_notification_never_fails_the_transition(plan, users, monkeypatch):
    from halfbuilt.disposal.models import PlanStatus
    from halfbuilt.notifications import receivers

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(receivers, "notify", broken)
    disposal.plan_submit(actor=Actor(user=users["unit"]), plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and not Notification.objects.exists()


def test_deliveries_leave_only_after_commit(plan, users, channels_on, django_capture_on_commit_callbacks, monkeypatch):
    from halfbuilt.notifications import services as notification_services

    enqueued = []
    monkeypatch.setattr(notification_services, "deliver", enqueued.append)
    users["department"].email = "jyt@example.cn"
    users["department"].save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        disposal.plan_submit(actor=Actor(user=users["unit"]), plan=plan)
        assert enqueued == []  # nothing leaves inside the transaction
    for callback in callbacks:
        callback()
    assert enqueued == [list(Delivery.objects.values_list("pk", flat=True))]


def test_every_transition_the_table_maps_is_one_its_workflow_has():
    """A renamed action in a workflow table would silently stop its notifications: the map names real ones
    (buttons, or an opening row a service announces)."""
    from halfbuilt.closure.workflow import CLOSURE_REVIEW
    from halfbuilt.disposal.workflow import PLAN_REVIEW
    from halfbuilt.notifications import events, receivers

    workflows = {PLAN_REVIEW.model: PLAN_REVIEW, CLOSURE_REVIEW.model: CLOSURE_REVIEW}
    for rule in receivers.TRANSITION_EVENTS:
        assert rule.action in workflows[rule.model].actions, rule
        assert rule.event in events.BY_KEY


# Skipped before any fixture runs: a transactional test flushes the database when it ends.
@pytest.mark.skipif(transaction.get_connection().vendor != "postgresql",
                    reason="concurrent writers are PostgreSQL's; SQLite serialises whole transactions")
@pytest.mark.django_db(transaction=True)
def test_two_workers_reminding_at_once_make_one_notification(users):
    """Both insert at the same moment, each in its own transaction: the constraint lets one through and the other
    finds the duplicate; neither fails."""
    import threading

    from django.db import connections

    rounds, unit = 8, users["unit"]
    for round_no in range(rounds):
        barrier, outcomes = threading.Barrier(2), {}

        def run(name, key=f"report:{round_no}", barrier=barrier, outcomes=outcomes):
            try:
                barrier.wait()
                with transaction.atomic():
                    outcomes[name] = len(notify(event="report_late", recipients=[unit], title="t", url="/",
                                                key=key).notifications)
            except Exception as exc:  # noqa: BLE001 - the test inspects whatever was raised
                outcomes[name] = exc
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes.values()) == [0, 1], outcomes
    assert Notification.objects.filter(recipient=unit).count() == rounds
