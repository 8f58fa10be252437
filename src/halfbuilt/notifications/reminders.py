"""The daily reminders, run by the worker: monthly reports due within DUE_SOON_DAYS or owed past their due day
(the progress app's notion of who must report and what is missing), and reviews waiting longer than
NOTIFY_REVIEW_WAITING_DAYS. Each user gets one reminder per queue, counting what their own scope holds (the apps'
own queues, read through `restrict`); `notify`'s once-a-day constraint keeps a second run of the same day from
repeating it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from halfbuilt.accounts import scope
from halfbuilt.accounts.models import Role, RoleAssignment, User
from halfbuilt.closure import queues as closure_queues
from halfbuilt.disposal import queues as disposal_queues
from halfbuilt.progress import periods
from halfbuilt.progress import queues as progress_queues

from .events import DUE_SOON_DAYS
from .services import notify

# How many months of owed reports a late reminder names (up to last month); a report owed longer has turned the
# project's light red long since.
LATE_MONTHS = 3


def holders_of(action: str) -> list[User]:
    """Active users one of whose roles may carry `action` somewhere (a department: for its classified projects)."""
    roles = set(scope.ACTIONS.get(action, set()))
    if action in scope.CLASSIFIED_SELF_SERVICE:
        roles.add(Role.DEPARTMENT)
    ids = RoleAssignment.objects.filter(role__in=roles).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def report_reminders(today: dt.date) -> int:
    """Last month's reports (due on PROGRESS_DUE_DAY of this month) within DUE_SOON_DAYS of the due day:
    `report_due`; reports of the LATE_MONTHS months up to last month still owed after their due day: one
    `report_late` naming each month and how many."""
    open_period = periods.open_period()
    due = periods.due_date(open_period)
    late_now = timezone.now() >= periods.late_after(open_period)
    newest_late = open_period if late_now else periods.shift(open_period, -1)
    late_periods = [periods.shift(newest_late, -i) for i in range(LATE_MONTHS - (0 if late_now else 1))]
    due_soon = not late_now and (due - today).days <= DUE_SOON_DAYS
    url = reverse("progress:queue") + "#due-heading"
    sent = 0
    for user in holders_of("report"):
        if due_soon and (count := progress_queues.unsent(user, open_period).count()):
            title = _("{label}进展（{count}个项目，{month}月{day}日前）").format(
                label=periods.label(open_period), count=count, month=due.month, day=due.day)
            sent += _sent(notify(event="report_due", recipients=[user], title=title, url=url,
                                 key=f"report:{open_period}"))
        owed = [(period, progress_queues.unsent(user, period).count()) for period in late_periods]
        owed = [_("{label}进展（{count}个项目）").format(label=periods.label(p), count=n) for p, n in owed if n]
        if owed:
            sent += _sent(notify(event="report_late", recipients=[user], title="、".join(owed), url=url,
                                 key="report:late"))
    return sent


def _sent(result) -> int:
    return len(result.notifications)


# (queue key, scope action, the rows waiting, the field they wait since, how the reminder names them, page)
Waiting = tuple[str, str, Callable[[User], QuerySet], str, str, str]


def _waiting_queues() -> list[Waiting]:
    plans, closures = reverse("disposal:queue"), reverse("closure:queue")
    return [
        ("plan_review", "plan_review", disposal_queues.to_review, "updated_at",
         _("{count}个处置方案等待审核已超过{days}天"), f"{plans}#to_review"),
        ("plan_confirm", "plan_confirm", disposal_queues.to_confirm, "updated_at",
         _("{count}个处置方案等待确认已超过{days}天"), f"{plans}#to_confirm"),
        ("closure_review", "closure_review", closure_queues.to_review, "requested_at",
         _("{count}份销号申请等待审核已超过{days}天"), f"{closures}#to_review-heading"),
        ("close", "close", closure_queues.to_close, "reviewed_at",
         _("{count}份销号申请等待销号已超过{days}天"), f"{closures}#to_close-heading"),
    ]


def waiting_reminders(now: dt.datetime) -> int:
    days = int(settings.NOTIFY_REVIEW_WAITING_DAYS)
    before = now - dt.timedelta(days=days)
    sent = 0
    for queue, action, rows, since, text, url in _waiting_queues():
        for user in holders_of(action):
            count = rows(user).filter(**{f"{since}__lt": before}).count()
            if count:
                title = text.format(count=count, days=days)
                sent += _sent(notify(event="review_waiting", recipients=[user], title=title, url=url,
                                     key=f"waiting:{queue}"))
    return sent


def send_daily() -> dict[str, int]:
    return {"reports": report_reminders(timezone.localdate()), "waiting": waiting_reminders(timezone.now())}


# Reminders go out at 08:00 local time (settings.TIME_ZONE). Huey's crontab runs on UTC, so the task wakes every
# hour and acts in the local morning's hour only.
REMINDER_HOUR = 8


@db_periodic_task(crontab(minute="0"))
def daily_reminders() -> dict[str, int] | None:
    if timezone.localtime().hour != REMINDER_HOUR:
        return None
    return send_daily()
