"""Page guards: a page of project work is refused (403, in Chinese) to a user whose roles carry none of its
scope actions, e.g. the three administrators (三员分立), who see no project data at all. Rows are still
selected through `restrict`; this only keeps such users off pages that could only ever be empty."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .scope import can_administer, can_read_audit, can_secure, holds_action

NO_PROJECT_ROLE = _("您的角色不查看项目数据（三员分立：系统管理员、安全管理员、安全审计员不接触项目数据）。")


def needs_action(*actions: str, message: str = NO_PROJECT_ROLE):
    """Refuse the view unless the user holds at least one of `actions` on some project."""

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not any(holds_action(request.user, action) for action in actions):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return guarded

    return decorator


# The three administrators' duties (三员分立): each page of administration is one duty's, refused to the others.
DUTY_CHECKS = {"administer": can_administer, "secure": can_secure, "audit": can_read_audit}
NOT_YOUR_DUTY = _("该页面属于其他管理员的职责（三员分立），您的角色不能使用。")


def needs_duty(duty: str):
    """Refuse the view (403) unless the user holds the administrator's duty `duty`."""
    check = DUTY_CHECKS[duty]

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied(NOT_YOUR_DUTY)
            return view(request, *args, **kwargs)

        return guarded

    return decorator
