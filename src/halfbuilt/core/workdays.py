"""Working days (工作日) after China's public holidays and 调休 workdays, for 督办 reply deadlines and the green
channel's time limits.

The calendar is the `chinese-calendar` package's, which the State Council's yearly notice updates; a day in a
year the package does not know yet counts as Monday to Friday (a deployment upgrades the package each December
when the next year's notice is out)."""

from __future__ import annotations

import datetime as dt

import chinese_calendar

# Guard against a deadline that never arrives (an absurd count): a year and a half of working days.
MAX_WORKDAYS = 400


def is_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the package has no notice for yet
        return day.weekday() < 5


def known(day: dt.date) -> bool:
    """Whether the calendar has the official notice for `day`'s year (otherwise weekdays are assumed)."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def add_workdays(start: dt.date, count: int) -> dt.date:
    """The `count`-th working day after `start` (`start` itself not counted): issued on a Friday with 1 working
    day, the reply is due on Monday, or on the first workday after a holiday."""
    if count < 0 or count > MAX_WORKDAYS:
        raise ValueError(f"workdays out of range: {count}")
    day = start
    while count:
        day += dt.timedelta(days=1)
        if is_workday(day):
            count -= 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """How many working days lie after `start` up to and including `end` (0 when `end` is not after `start`):
    the inverse of `add_workdays` for a working day `end`."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_workday(day)
    return count
