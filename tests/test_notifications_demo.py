"""The demo's notifications on any day: whatever the date, the demo unit owes a report past its due day (the
demo's story makes sure of it), so the unit and the governments over it (Donghe, Baotou) open an inbox with the
late reminder, made through `notify` after the story. (That every demo account with a project role has unread
notifications in the full demo is checked in test_demo.py, on the demo it builds once.)"""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from halfbuilt.demo import campaign
from halfbuilt.demo.accounts import ensure_demo_accounts
from halfbuilt.notifications.models import Notification

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
REPORTERS = {"demo_unit", "demo_donghe", "demo_baotou"}


@pytest.mark.parametrize("moment", [
    dt.datetime(2027, 3, 1, 0, 20, tzinfo=BEIJING),  # the 1st: last month not due yet, the month before owed
    dt.datetime(2027, 3, 3, 9, 0, tzinfo=BEIJING),  # last month's reports due in 2 days
    dt.datetime(2027, 3, 6, 9, 0, tzinfo=BEIJING),  # the day after the due day
], ids=lambda m: m.strftime("%Y-%m-%d"))
def test_the_demo_units_reporters_are_reminded_of_its_late_report_on_any_day(moment, reference):
    with time_machine.travel(moment, tick=True):
        ensure_demo_accounts()
        campaign.build(per_prefecture=1)
    late = Notification.objects.filter(event="report_late", read_at__isnull=True)
    assert set(late.values_list("recipient__username", flat=True)) >= REPORTERS
    assert not late.filter(recipient__username__in=["demo_sysadmin", "demo_secadmin", "demo_auditor"]).exists()
