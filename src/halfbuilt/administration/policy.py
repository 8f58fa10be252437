"""The security policy in force: the database row when the security administrator has saved one, else the
deployment's settings. Read at each use, so a change applies at the next request of every process."""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError

from .models import SecurityPolicy

POLICY_PK = 1


def defaults() -> dict:
    """The policy the settings give (docs/configuration.md), before the security administrator sets one."""
    return {
        "min_length": settings.PASSWORD_MIN_LENGTH,
        "min_classes": settings.PASSWORD_MIN_CHARACTER_CLASSES,
        "expiry_days": settings.PASSWORD_EXPIRY_DAYS,
        "history": settings.PASSWORD_HISTORY,
        "failure_limit": settings.LOGIN_FAILURE_LIMIT,
        "lockout_minutes": settings.LOGIN_LOCKOUT_MINUTES,
        "idle_minutes": settings.IDLE_TIMEOUT_MINUTES,
        "two_factor_roles": list(settings.TWO_FACTOR_ROLES),
        "admin_networks": list(settings.ADMIN_NETWORKS),
    }


def admin_may_sign_in_from(address: str | None) -> bool:
    """Whether an administrator's sign-in from `address` is allowed (the policy's networks; none: anywhere)."""
    networks = current().admin_networks
    if not networks:
        return True
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in networks)


def current() -> SecurityPolicy:
    """The policy row, or an unsaved one holding the defaults (also before the table exists: `migrate`)."""
    try:
        found = SecurityPolicy.objects.filter(pk=POLICY_PK).first()
    except DatabaseError:
        found = None
    return found or SecurityPolicy(pk=POLICY_PK, **defaults())


# django-axes reads these through AXES_FAILURE_LIMIT and AXES_COOLOFF_TIME (settings name them by path).

def failure_limit(request=None, credentials=None) -> int:
    return max(1, current().failure_limit)


def cooloff(request=None) -> timedelta | None:
    minutes = current().lockout_minutes
    return timedelta(minutes=minutes) if minutes else None


def summary() -> dict:
    """The rules the sign-in page and the home pages state (settings.SIGNIN_POLICY names this)."""
    row = current()
    return {"failure_limit": row.failure_limit, "lockout_minutes": row.lockout_minutes,
            "idle_minutes": row.idle_minutes}
