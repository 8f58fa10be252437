"""How values read in Chinese pages, documents and messages: money in 万元, shares as percents, moments in local
time. Plain functions, used by Python code and, as filters, by the templates (core/templatetags/halfbuilt_ui.py)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_datetime


def money(value, places=None) -> str:
    """万元 as written in Chinese ledgers, with thousands separators. In prose without trailing zeros
    ("1,260.5"); in a table column (`|money:2`) with that many decimals in every row ("1,260.50"), rounded half
    up, so the digits line up. Exports keep the exact amount."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
        if places not in (None, ""):
            return format(amount.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP), ",f")
        return format(amount.normalize(), ",f")
    except (InvalidOperation, TypeError, ValueError):
        return str(value)


def percent(value) -> str:
    """A share (0.1) as a percentage ("10%"), without trailing zeros ("12.5%")."""
    if value is None or value == "":
        return ""
    try:
        amount = (Decimal(str(value)) * 100).normalize()
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    return f"{amount:f}%"


def moment(value) -> str:
    """A moment as pages show it, "2026-12-01 13:53" (local time); also for ISO text kept in JSON figures."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if not isinstance(value, dt.datetime):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d %H:%M")
