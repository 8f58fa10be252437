"""Two-factor sign-in (TOTP, django-otp): who must give a second factor, the devices a user holds, and the QR
code of an enrolment (drawn here by segno, no third-party service).

A user gives a code after the password when they hold a confirmed authenticator, or must enrol one first when
one of their roles is in the policy's `two_factor_roles` (the office and the three administrators by default).
The recovery codes are a django-otp static device: each code works once. Writes are in services.py."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import policy

RECOVERY_CODES = 10
RECOVERY_DEVICE = "recovery"
AUTHENTICATOR = "authenticator"

# What the session's sign-in still lacks (sessions.TWO_FACTOR): a code, or an enrolment first.
VERIFY, ENROL = "verify", "enrol"


def required(user, roles: set[str] | None = None) -> bool:
    """Whether the policy requires a second factor of this user (one of their roles is listed); `roles`, the
    policy's, when the caller has read them already (a list of users)."""
    if roles is None:
        roles = set(policy.current().two_factor_roles)
    return bool(user.role_names() & roles)


def authenticator(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending(request: HttpRequest, user) -> str:
    """What the session still needs before the user may go on: VERIFY, ENROL or "" (nothing).

    A session verified with a device that no longer exists (reset by the security administrator) is not."""
    device_id = request.session.get(DEVICE_ID_SESSION_KEY)
    if device_id:
        device = Device.from_persistent_id(device_id)
        if device is not None and device.user_id == user.pk and device.confirmed:
            return ""
    if enrolled(user):
        return VERIFY
    return ENROL if required(user) else ""


def enrolment_device(user) -> TOTPDevice:
    """The user's unconfirmed authenticator being enrolled (a new secret when there is none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG (no script, no style: fits the strict CSP)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, title="TOTP", border=2)


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, for typing into an app that cannot scan."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()
