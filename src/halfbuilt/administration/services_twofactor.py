"""The writes of two-factor sign-in, each logged: a user confirms their authenticator (and gets recovery codes),
gives a code at sign-in (a recovery code is used up), and the security administrator resets a user's devices
(they enrol again at the next sign-in). The change log has the enrolment and the reset; the sign-in log each
code given, right or wrong."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from halfbuilt.accounts.models import SignInEvent, User
from halfbuilt.audit.services import record_change
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor

from . import twofactor

CODE_FIELD = "code"


def _state(user: User) -> dict:
    return {"two_factor": twofactor.enrolled(user)}


def _throttled(device: Device) -> None:
    allowed, data = device.verify_is_allowed()
    if not allowed:
        raise ServiceError(_("动态口令错误次数过多，请稍后再试"), field=CODE_FIELD)


@transaction.atomic
def confirm_enrolment(*, actor: Actor, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the authenticator by a code it shows now; returns the recovery codes (shown once)."""
    user = User.objects.select_for_update().get(pk=actor.user.pk)
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    _throttled(device)
    if not device.verify_token(code.strip()):
        raise ServiceError(_("动态口令不正确：请输入验证器上当前显示的 6 位数字"), field=CODE_FIELD)
    before = _state(user)
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    record_change(actor=actor, action="two_factor_enrol", obj=user, before=before, after=_state(user))
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=twofactor.RECOVERY_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(twofactor.RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify_sign_in(*, actor: Actor, code: str, user_agent: str = "") -> Device:
    """The second step of signing in: a code of the authenticator, or one of the recovery codes (used up).
    Every try is in the sign-in log; a wrong code raises ServiceError (after too many, tries are slowed).
    Not one transaction: a wrong code's count and its log entry must stay (django-otp locks the device)."""
    user = actor.user
    code = code.strip().replace(" ", "")
    totp = twofactor.authenticator(user)
    if totp is None:
        raise ServiceError(_("尚未启用双因素认证"), field=CODE_FIELD)
    _throttled(totp)
    device = verify_token(user, totp.persistent_id, code) if code.isdigit() else None
    recovery = None if device or code.isdigit() else StaticDevice.objects.filter(user=user).first()
    if recovery is not None:
        device = verify_token(user, recovery.persistent_id, code.lower())
        if device is None:  # a wrong recovery code slows the next try as a wrong TOTP code does
            TOTPDevice.objects.get(pk=totp.pk).throttle_increment()
    SignInEvent.objects.create(
        username=user.get_username(), succeeded=device is not None, ip=actor.ip or None, user_agent=user_agent[:300],
        detail=_("动态口令错误") if device is None
        else _("使用恢复码通过双因素认证") if recovery is not None else _("双因素认证通过"))
    if device is None:
        raise ServiceError(_("动态口令不正确"), field=CODE_FIELD)
    return device


@transaction.atomic
def reset(*, actor: Actor, user: User) -> None:
    """The security administrator removes a user's authenticator and recovery codes (a lost phone): the user
    enrols again at the next sign-in, and a session verified with the old device is no longer."""
    if actor.user is not None and actor.user.pk == user.pk:
        raise NotAllowed(_("不能重置本人的双因素认证"))
    user = User.objects.select_for_update().get(pk=user.pk)
    before = _state(user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record_change(actor=actor, action="two_factor_reset", obj=user, before=before, after=_state(user))
