"""The two administrators' home pages (三员分立: their own work, no project data): the system administrator's
account counts and recent account actions, the security administrator's policy, failed sign-ins and locks."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.models import SignInEvent, User
from halfbuilt.accounts.scope import can_administer, can_secure
from halfbuilt.audit import registry
from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.queues import QueueCount

from . import policy, state

RECENT = 10
USER_ACTIONS = ("user_create", "user_update", "user_disable", "user_enable", "user_roles", "password_reset",
                "user_unlock", "org_create", "org_update", "org_disable", "org_enable")


def queue_counts(user) -> list[QueueCount]:
    if not can_administer(user):
        return []
    users = reverse("administration:user_list")
    return [
        QueueCount("admin_users", _("用户"), User.objects.count(), users, _("全部账户")),
        QueueCount("admin_disabled", _("已停用"), User.objects.filter(is_active=False).count(),
                   f"{users}?state=disabled", _("不能登录的账户")),
        QueueCount("admin_locked", _("已锁定"), len(state.locked_usernames()), f"{users}?state=locked",
                   _("连续登录失败被锁定，可解锁"), urgent=True),
        QueueCount("admin_must_change", _("须修改密码"), User.objects.filter(state.must_change_q()).count(),
                   f"{users}?state=must_change", _("重置或过期，下次登录须修改")),
    ]


def sysadmin_home(user) -> dict | None:
    if not can_administer(user):
        return None
    recent = list(ChangeLog.objects.filter(action__in=USER_ACTIONS).order_by("-at", "-id")[:RECENT])
    for entry in recent:
        entry.action_label = registry.action_label(entry.action)
    return {"counts": queue_counts(user), "recent": recent}


def secadmin_home(user) -> dict | None:
    if not can_secure(user):
        return None
    return {
        "policy": policy.current(),
        "failed": list(SignInEvent.objects.filter(succeeded=False).order_by("-at", "-id")[:RECENT]),
        "locked": sorted(state.locked_usernames()),
    }
