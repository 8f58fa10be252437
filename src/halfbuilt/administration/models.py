"""What administration keeps beside the accounts: the security policy (one row), each user's password state and
the hashes of their previous passwords."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityPolicy(models.Model):
    """The one security policy (pk 1), set by the security administrator; effective at the next request.
    A missing row means the deployment's settings (`defaults()`)."""

    min_length = models.PositiveSmallIntegerField(_("密码最短长度"))
    min_classes = models.PositiveSmallIntegerField(
        _("密码至少包含的字符类别数"), help_text=_("小写字母、大写字母、数字、符号四类中的至少几类"))
    expiry_days = models.PositiveSmallIntegerField(_("密码有效期（天）"), help_text=_("0 表示不过期"))
    history = models.PositiveSmallIntegerField(_("不得与最近几次密码相同"), help_text=_("0 表示不检查"))
    failure_limit = models.PositiveSmallIntegerField(_("连续登录失败锁定次数"))
    lockout_minutes = models.PositiveSmallIntegerField(_("锁定时长（分钟）"), help_text=_("0 表示直到管理员解锁"))
    idle_minutes = models.PositiveSmallIntegerField(_("无操作自动退出（分钟）"))
    two_factor_roles = models.JSONField(_("须双因素认证的角色"), default=list, blank=True)
    admin_networks = models.JSONField(
        _("管理员允许登录的网络"), default=list, blank=True,
        help_text=_("三类管理员只能从这些网络（如 10.1.0.0/16）登录；为空表示不限"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("安全策略")

    def __str__(self) -> str:
        return str(_("安全策略"))


class Credential(models.Model):
    """A user's password state: when it was last set, and whether it must be changed at the next sign-in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="credential")
    changed_at = models.DateTimeField(_("密码设置时间"))
    must_change = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = verbose_name_plural = _("密码状态")


class PasswordHistory(models.Model):
    """The hash of a password the user had (newest first), for "not one of the last N"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = _("历史密码")
        indexes = [models.Index(fields=["user", "-at"], name="password_history_user")]
