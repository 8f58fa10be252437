"""Small presentation helpers shared by the page templates."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings

from halfbuilt.accounts.people import people_for, via_label

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
def money(value) -> str:
    """万元 as written in Chinese ledgers: thousands separators, no trailing zeros ("1,260.5")."""
    if value is None or value == "":
        return ""
    try:
        return format(Decimal(value).normalize(), ",f")
    except (InvalidOperation, TypeError, ValueError):
        return str(value)


@register.simple_tag(takes_context=True)
def person(context, username: str) -> str:
    """A stored username as "organization · full name" (accounts.people; one query per page)."""
    return people_for(context.get("request")).name(username)


@register.simple_tag(takes_context=True)
def actor(context, entry) -> str:
    """Who made a change-log entry and, unless it was the web, how: "… · 接口", "… · 命令行"."""
    name = people_for(context.get("request")).name(entry.username)
    how = via_label(entry.via)
    return f"{name} · {how}" if how and how != name else name


@register.filter(name="via_label")
def via_label_filter(via: str) -> str:
    return via_label(via)
