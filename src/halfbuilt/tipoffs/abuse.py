"""Abuse limits of the public form, all offline: an arithmetic captcha kept in the session (one try per
question), and a rate limit per address in Django's cache (TIPOFF_RATE_PER_HOUR)."""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

SESSION_KEY = "tipoff_captcha"
RATE_PREFIX = "tipoff-rate:"
WINDOW = 3600


def new_question(request: HttpRequest) -> str:
    """A new sum for this session, replacing any earlier one; the question as the form shows it."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    request.session[SESSION_KEY] = a + b
    return _("{a} 加 {b} 等于多少？").format(a=a, b=b)


def answer_ok(request: HttpRequest, given: str) -> bool:
    """Whether `given` answers the session's question; the question is used up either way (one-time)."""
    expected = request.session.pop(SESSION_KEY, None)
    return expected is not None and str(given or "").strip() == str(expected)


def _key(request: HttpRequest) -> str:
    return RATE_PREFIX + (request.META.get("REMOTE_ADDR") or "-")


def over_limit(request: HttpRequest) -> bool:
    """Whether this address already sent TIPOFF_RATE_PER_HOUR tip-offs in the last hour."""
    limit = settings.TIPOFF_RATE_PER_HOUR
    if not limit:
        return False
    now = time.time()
    return len([t for t in cache.get(_key(request), []) if t > now - WINDOW]) >= limit


def count(request: HttpRequest) -> None:
    """Count one tip-off from this address (a sliding window of the last hour's times)."""
    if not settings.TIPOFF_RATE_PER_HOUR:
        return
    now = time.time()
    kept = [t for t in cache.get(_key(request), []) if t > now - WINDOW]
    cache.set(_key(request), [*kept, now], WINDOW)
