"""Each item's clock in working days (core/workdays.py: China's holidays and 调休 from chinese-calendar).

The clock starts the day the request reaches the authority (即来即转: the day it is filed; that day not counted)
and runs `time_limit` working days. 需补正 stops it: the working days used so far are kept, and when the unit
supplies what is missing it runs again from that day for what is left. Done or refused, it stands still."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from halfbuilt.core import workdays

from .states import FINAL, RUNNING


@dataclass(frozen=True)
class Clock:
    deadline: dt.date | None  # None while stopped (需补正)
    used: int  # working days used
    remaining: int  # working days left (negative: overdue by that many)
    running: bool
    overdue: bool
    decided: bool = False  # 办结 or 不予办理: the clock stood still on the decision's day

    def text(self) -> str:
        """As every page shows it: 剩余 3 个工作日 / 已超期 2 个工作日 / 暂停计时（已用 4 个工作日）/ 用时."""
        if self.decided:
            return _("办理完毕，用时 {used} 个工作日").format(used=self.used)
        if not self.running:
            return _("暂停计时（已用 {used} 个工作日，剩余 {left} 个）").format(used=self.used, left=self.remaining)
        if self.overdue:
            return _("已超期 {days} 个工作日").format(days=-self.remaining)
        return _("剩余 {days} 个工作日").format(days=self.remaining)


def first_deadline(received_on: dt.date, time_limit: int) -> dt.date:
    return workdays.add_workdays(received_on, time_limit)


def used_until(item, day: dt.date) -> int:
    """Working days the item's clock has used by the end of `day` (its current run counted while it runs)."""
    if item.status in RUNNING:
        return item.used + workdays.workdays_between(item.clock_from, day)
    return item.used


def clock_of(item, today: dt.date | None = None) -> Clock:
    today = today or timezone.localdate()
    running = item.status in RUNNING
    used = used_until(item, today)
    remaining = item.time_limit - used
    overdue = running and item.deadline < today
    if running and not overdue:
        remaining = workdays.workdays_between(today, item.deadline)
    elif overdue:
        remaining = -workdays.workdays_between(item.deadline, today)
    return Clock(deadline=item.deadline if running else None, used=max(used, 0), remaining=remaining,
                 running=running, overdue=overdue, decided=item.status in FINAL)


def stop(item, day: dt.date) -> None:
    """需补正 or a decision: keep the working days used up to `day` (that day counted)."""
    item.used += workdays.workdays_between(item.clock_from, day)  # past the limit too: the 台账 shows it
    item.clock_from = day


def restart(item, day: dt.date) -> None:
    """补正 supplied on `day`: the rest of the time limit runs from it (at least one working day)."""
    left = max(item.time_limit - item.used, 1)
    item.clock_from = day
    item.deadline = workdays.add_workdays(day, left)


def days_used(item, today: dt.date | None = None) -> int:
    """For the 台账: working days from receipt to the decision (or to today), the 补正 pause left out (a decided
    item's clock was stopped on its decision's day)."""
    return used_until(item, today or timezone.localdate())
