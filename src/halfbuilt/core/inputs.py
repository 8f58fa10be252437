"""Checks of typed input that every service makes the same way, with one wording for each message.

Each raises ServiceError naming the field, so a page shows the message at that field and the API answers
422 with it. "Today" is the configured time zone's date (Beijing time by default), never the server's."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ServiceError


def required_message(label: str) -> str:
    return _("请填写{label}").format(label=label)


def too_long_message(label: str, limit: int, length: int) -> str:
    return _("{label}不能超过 {limit} 字（现有 {length} 字）").format(label=label, limit=limit, length=length)


def after_today_message(label: str) -> str:
    return _("{label}不能晚于今天").format(label=label)


def text(value, *, field: str, label: str, limit: int, required: bool = False) -> str:
    """Trimmed text within `limit` characters; empty only when not `required`."""
    cleaned = (value if isinstance(value, str) else "" if value is None else str(value)).strip()
    if required and not cleaned:
        raise ServiceError(required_message(label), field=field)
    if len(cleaned) > limit:
        raise ServiceError(too_long_message(label, limit, len(cleaned)), field=field)
    if NUL in cleaned:  # what reaches a service other than through a request (the command line, the worker)
        raise ServiceError(nul_message(label), field=field)
    return cleaned


def date(value, *, field: str, label: str, not_after_today: bool = False) -> dt.date:
    """A required date, given as a date or as YYYY-MM-DD."""
    if value is None or value == "":
        raise ServiceError(required_message(label), field=field)
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            message = _("{label}“{value}”格式不正确，应为 YYYY-MM-DD").format(label=label, value=value[:20])
            raise ServiceError(message, field=field) from None
    if not isinstance(value, dt.date):
        raise ServiceError(required_message(label), field=field)
    if not_after_today and value > timezone.localdate():
        raise ServiceError(after_today_message(label), field=field)
    return value


# --- what no input may hold, checked once for every request (core.middleware.RequestGuard) ---------------

NUL = "\x00"


def nul_message(name: str) -> str:
    return _("“{name}”含有空字符（\\x00），请删除后重新提交").format(name=name)


def first_nul(value, name: str = "") -> str | None:
    """The name of the first key or value holding a NUL character, walking dicts and lists of a JSON body;
    None when there is none. PostgreSQL refuses NUL in any text, so it must never reach a query."""
    if isinstance(value, str):
        return name if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{name}.{key}" if name else str(key)
            if NUL in str(key):
                return inner
            if (found := first_nul(item, inner)) is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if (found := first_nul(item, f"{name}[{index}]")) is not None:
                return found
    return None
