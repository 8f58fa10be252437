"""Report months (YYYY-MM), their due dates and the moments that decide late and missing.

Dates are the campaign's local dates (settings.TIME_ZONE, Asia/Shanghai by default): a report submitted at
00:30 Beijing time on the 6th is late even though it is still the 5th in UTC.
"""

import calendar
import datetime as dt
import re

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_period(value: object) -> str:
    """'2026-05' as is; anything else is a ValueError with a Chinese message."""
    text = str(value or "").strip()
    if not PERIOD_RE.match(text):
        raise ValueError(_("月份“{text}”格式不正确，应为 YYYY-MM，如 2026-05").format(text=text[:20]))
    if text > current_period():
        raise ValueError(_("月份 {text} 尚未到来，不能报送未来月份的进展").format(text=text))
    return text


def period_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def current_period() -> str:
    return period_of(timezone.localdate())


def shift(period: str, months: int) -> str:
    year, month = int(period[:4]), int(period[5:7])
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def first_day(period: str) -> dt.date:
    return dt.date(int(period[:4]), int(period[5:7]), 1)


def last_day(period: str) -> dt.date:
    year, month = int(period[:4]), int(period[5:7])
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def due_date(period: str) -> dt.date:
    """`PROGRESS_DUE_DAY` of the following month (the 31st in a 30-day month is its last day)."""
    following = first_day(shift(period, 1))
    last = calendar.monthrange(following.year, following.month)[1]
    return following.replace(day=max(1, min(int(settings.PROGRESS_DUE_DAY), last)))


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone())


def late_after(period: str) -> dt.datetime:
    """The first moment that is late: local midnight at the end of the due day."""
    return _local_midnight(due_date(period) + dt.timedelta(days=1))


def period_end(period: str) -> dt.datetime:
    """Local midnight after the month's last day."""
    return _local_midnight(last_day(period) + dt.timedelta(days=1))


def label(period: str) -> str:
    return _("{year}年{month}月").format(year=int(period[:4]), month=int(period[5:7]))


def open_period() -> str:
    """The month whose reports are due now: last month (due on the due day of this month)."""
    return shift(current_period(), -1)


def recent(count: int = 12) -> list[str]:
    now = current_period()
    return [shift(now, -i) for i in range(count)]
