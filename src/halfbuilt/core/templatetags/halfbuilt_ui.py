"""Small presentation helpers shared by the page templates."""

import datetime as dt

from django import template
from django.conf import settings
from django.utils.module_loading import import_string

from halfbuilt.core import formatting

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
    """The sign-in rules a user should know before failing: lockout threshold and duration, idle timeout (from
    the function SIGNIN_POLICY names: the security policy in force)."""
    return import_string(settings.SIGNIN_POLICY)()


# The formatting helpers as filters: {{ amount|money }}, {{ amount|money:2 }}, {{ share|percent }}, {{ at|moment }}.
register.filter("money", formatting.money)
register.filter("percent", formatting.percent)
register.filter("moment", formatting.moment)
