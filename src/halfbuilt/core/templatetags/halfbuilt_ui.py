"""Small presentation helpers shared by the page templates."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

register = template.Library()


@register.filter
def minutes(value) -> int:
    """A timedelta (or hours as a number, as django-axes configures it) as whole minutes, rounded up."""
    if isinstance(value, dt.timedelta):
        seconds = value.total_seconds()
    else:
        try:
            seconds = float(value) * 3600
        except (TypeError, ValueError):
            return 0
    return max(0, -int(-seconds // 60))


@register.simple_tag
def signin_policy() -> dict:
    """The sign-in rules a user should know before failing: lockout threshold and duration, idle timeout."""
    cooloff = settings.AXES_COOLOFF_TIME
    return {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": minutes(cooloff) if cooloff else 0,
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
    }


@register.filter
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


@register.filter
def percent(value) -> str:
    """A share (0.1) as a percentage ("10%"), without trailing zeros ("12.5%")."""
    if value is None or value == "":
        return ""
    try:
        amount = (Decimal(str(value)) * 100).normalize()
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    return f"{amount:f}%"


@register.filter
def moment(value) -> str:
    """A moment as pages show it, "2026-12-01 13:53" (local time); also for ISO text kept in JSON figures."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if not isinstance(value, dt.datetime):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d %H:%M")


