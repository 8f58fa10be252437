"""督办 reaches its addressee: in the inbox when issued, and each day its reply is due soon or overdue."""

import datetime as dt

import pytest

from halfbuilt.notifications.models import Notification
from halfbuilt.supervision.orders import reminders
from halfbuilt.supervision.orders.models import SupervisionOrder
from tests.orders_helpers import issue

pytestmark = pytest.mark.django_db


def test_the_addressee_is_told_when_an_order_is_issued(users, projects):
    order = issue(users, project=projects["in_scope"])
    told = set(Notification.objects.filter(event="order_received", key=f"order:{order.pk}:received")
               .values_list("recipient_id", flat=True))
    assert told and told == set(order.addressee.role_assignments.values_list("user_id", flat=True))


def test_the_reply_is_reminded_when_due_soon_and_every_day_it_is_overdue_until_replied(users, projects):
    order = issue(users, project=projects["in_scope"])
    deadline = order.deadline
    assert reminders.order_reminders(deadline - dt.timedelta(days=4)) == 0
    assert reminders.order_reminders(deadline - dt.timedelta(days=3)) == 1
    assert Notification.objects.filter(event="order_reply_due", key=f"order:{order.pk}:reply_due").count() == 1
    assert reminders.order_reminders(deadline) == 0  # the same reminder, the same day: already told
    assert reminders.order_reminders(deadline + dt.timedelta(days=1)) == 1
    assert Notification.objects.filter(event="order_reply_overdue", key=f"order:{order.pk}:overdue").count() == 1
    SupervisionOrder.objects.filter(pk=order.pk).update(status="replied")
    assert reminders.order_reminders(deadline + dt.timedelta(days=2)) == 0


def test_an_overdue_order_turns_its_project_red_until_the_reply(users, projects, closure_stage):
    from django.utils import timezone

    from halfbuilt.supervision.lights.models import Colour, Light, LightReason
    from halfbuilt.supervision.lights.recompute import recompute
    from tests.orders_helpers import reply

    project = closure_stage(projects["in_scope"], "disposing")
    order = issue(users, project=project)
    moment = timezone.make_aware(dt.datetime.combine(order.deadline + dt.timedelta(days=1), dt.time(12)))
    recompute(now=moment)
    assert Light.objects.get(project=project).colour == Colour.RED
    assert LightReason.objects.filter(project=project, code="order_reply_overdue").exists()
    reply(users, order)
    recompute(now=moment)
    assert not LightReason.objects.filter(project=project, code="order_reply_overdue").exists()


def test_a_project_turning_red_tells_its_unit_once(users, projects, closure_stage):
    from django.utils import timezone

    from halfbuilt.supervision.lights.alerts import telling_red
    from halfbuilt.supervision.lights.recompute import recompute

    project = closure_stage(projects["in_scope"], "disposing")
    order = issue(users, project=project)
    moment = timezone.make_aware(dt.datetime.combine(order.deadline + dt.timedelta(days=1), dt.time(12)))
    assert telling_red(None, lambda: recompute(now=moment)) > 0
    red = Notification.objects.filter(event="project_red", key=f"project:{project.pk}:red")
    assert users["unit"].pk in set(red.values_list("recipient_id", flat=True))
    # Still red an hour later: no change of colour, nobody told again.
    assert telling_red(None, lambda: recompute(now=moment + dt.timedelta(hours=1))) == 0
