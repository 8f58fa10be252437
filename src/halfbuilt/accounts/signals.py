from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .models import SignInEvent


def _meta(request) -> tuple[str | None, str]:
    if request is None:
        return None, ""
    return request.META.get("REMOTE_ADDR"), request.META.get("HTTP_USER_AGENT", "")[:300]


@receiver(user_logged_in)
def log_success(sender, request, user, **kwargs) -> None:
    ip, agent = _meta(request)
    SignInEvent.objects.create(username=user.get_username(), succeeded=True, ip=ip, user_agent=agent)


@receiver(user_login_failed)
def log_failure(sender, credentials, request=None, **kwargs) -> None:
    ip, agent = _meta(request)
    locked = bool(getattr(request, "axes_locked_out", False))
    SignInEvent.objects.create(
        username=(credentials or {}).get("username", "")[:150], succeeded=False, ip=ip, user_agent=agent,
        detail=str(getattr(request, "sign_in_refused", "")) or (_("账户已锁定") if locked else _("用户名或密码错误")),
    )
