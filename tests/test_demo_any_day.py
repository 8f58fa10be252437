"""The demo is consistent on any day of the year: on the days that trip a calendar (the 1st, the due day, the
month's end, 29 February, New Year) a small demo is built with the clock frozen there, Beijing time, and
checked (tests/demo_checks.py). Each build is its own test's transaction, so it must not share a module with
test_demo.py's full demo, which stays in the database for its whole module."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from halfbuilt.demo import campaign
from halfbuilt.demo.accounts import ensure_demo_accounts
from halfbuilt.ledger.models import Project

from . import demo_checks

pytestmark = pytest.mark.once  # DB-agnostic: the SQLite run has it (scripts/test)

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
# 00:20 Beijing time: the day has barely begun (and it is still yesterday in UTC); 23:40 on the due day: the
# last minutes before last month becomes overdue.
AWKWARD_MOMENTS = [
    dt.datetime(2027, 3, 1, 0, 20, tzinfo=BEIJING),  # the 1st
    dt.datetime(2027, 3, 5, 0, 20, tzinfo=BEIJING),  # the due day (HALFBUILT_PROGRESS_DUE_DAY = 5)
    dt.datetime(2027, 3, 5, 23, 40, tzinfo=BEIJING),
    dt.datetime(2027, 3, 6, 0, 20, tzinfo=BEIJING),  # the day after it
    dt.datetime(2027, 4, 28, 0, 20, tzinfo=BEIJING),
    dt.datetime(2028, 2, 29, 0, 20, tzinfo=BEIJING),  # leap day
    dt.datetime(2027, 4, 30, 0, 20, tzinfo=BEIJING),  # the 30th, last of its month
    dt.datetime(2027, 7, 31, 0, 20, tzinfo=BEIJING),
    dt.datetime(2027, 1, 1, 0, 20, tzinfo=BEIJING),  # New Year: the open month is last year's December
    dt.datetime(2026, 12, 31, 0, 20, tzinfo=BEIJING),
]


@pytest.mark.parametrize("moment", AWKWARD_MOMENTS, ids=lambda m: m.strftime("%Y-%m-%d_%H%M"))
def test_small_demo_is_consistent_on_an_awkward_day(moment, reference, settings):
    """One project per league plus the showcase: enough for every story the checks look at."""
    assert settings.TIME_ZONE == "Asia/Shanghai"
    with time_machine.travel(moment, tick=True):
        started = timezone.now()
        ensure_demo_accounts()
        built = campaign.build(per_prefecture=1)
        assert built["created"] == Project.objects.count() and built["reports"]
        demo_checks.check_all(started)


# Another due day (HALFBUILT_PROGRESS_DUE_DAY): the 1st leaves one on-time day, 28 and 31 run into short months.
OTHER_DUE_DAYS = [
    (1, dt.datetime(2027, 3, 1, 0, 20, tzinfo=BEIJING)),
    (1, dt.datetime(2027, 3, 2, 0, 20, tzinfo=BEIJING)),
    (28, dt.datetime(2027, 2, 28, 23, 40, tzinfo=BEIJING)),
    (31, dt.datetime(2027, 4, 30, 0, 20, tzinfo=BEIJING)),
]


@pytest.mark.parametrize(("due_day", "moment"), OTHER_DUE_DAYS, ids=lambda v: v if isinstance(v, int) else
                         v.strftime("%Y-%m-%d_%H%M"))
def test_small_demo_is_consistent_with_another_due_day(due_day, moment, reference, settings):
    settings.PROGRESS_DUE_DAY = due_day
    with time_machine.travel(moment, tick=True):
        started = timezone.now()
        ensure_demo_accounts()
        campaign.build(per_prefecture=1)
        demo_checks.check_all(started)
