"""The demo's calendar. Every moment of the story is placed relative to today and the due day
(`HALFBUILT_PROGRESS_DUE_DAY`), never to fixed dates, so the campaign reads the same on any day of the year:
some month overdue with a report missing, late reports, nothing after an hour ago."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from halfbuilt.progress import periods

# Nothing in the story happens in the last hour, so a page opened right after the build shows it all in the past.
MARGIN = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Clock:
    now: dt.datetime

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)

    @property
    def cutoff(self) -> dt.datetime:
        """The last moment anything may happen: what would come later has not happened yet."""
        return self.now - MARGIN

    @property
    def open(self) -> str:
        """Last month: its reports are due this month (`periods.open_period`, at this clock's time)."""
        return periods.shift(periods.period_of(self.today), -1)

    @property
    def overdue(self) -> str:
        """The latest month whose due day has passed: last month after the due day, else the month before.
        A report not in for it is 逾期未报, whatever day it is."""
        return self.open if self.now >= periods.late_after(self.open) else periods.shift(self.open, -1)

    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        """A local (Beijing) time on `day`."""
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)), timezone.get_current_timezone())


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)
