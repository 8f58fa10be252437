"""What a user's account state is: locked (django-axes), password to change (reset, or expired)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from . import policy
from .models import Credential


def locked_usernames(usernames=None) -> set[str]:
    """Usernames whose failed sign-ins reached the policy's limit within the cool-off (all, or of `usernames`)."""
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.filter(failures_since_start__gte=policy.failure_limit())
    if (cooloff := policy.cooloff()) is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cooloff)
    if usernames is not None:
        attempts = attempts.filter(username__in=list(usernames))
    return set(attempts.values_list("username", flat=True))


def is_locked(username: str) -> bool:
    return bool(locked_usernames([username]))


def password_changed_at(user):
    credential = Credential.objects.filter(user=user).first()
    return credential.changed_at if credential else user.date_joined


def must_change_reason(user) -> str:
    """"reset" when an administrator set the password, "expired" past the policy's expiry, else ""."""
    credential = getattr(user, "_credential", None)
    if credential is None:
        credential = Credential.objects.filter(user=user).first() or False
        user._credential = credential
    if credential and credential.must_change:
        return "reset"
    days = policy.current().expiry_days
    changed = credential.changed_at if credential else user.date_joined
    if days and changed and timezone.now() - changed > timedelta(days=days):
        return "expired"
    return ""


def must_change_q() -> Q:
    """Accounts whose password must be changed at the next sign-in: reset by an administrator, or expired."""
    q = Q(credential__must_change=True)
    if days := policy.current().expiry_days:
        since = timezone.now() - timedelta(days=days)
        q |= Q(credential__changed_at__lt=since) | Q(credential__isnull=True, date_joined__lt=since)
    return q
