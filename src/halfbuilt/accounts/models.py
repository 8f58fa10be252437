"""Organizations, people and their roles. Scope is computed in `scope.py` from the roles' organizations."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from halfbuilt.core.fields import EncryptedCharField
from halfbuilt.core.ids import opaque_id
from halfbuilt.regions.models import Department, Region


class OrgKind(models.TextChoices):
    OFFICE = "office", _("领导小组办公室")
    DEPARTMENT = "department", _("行业主管部门")
    GOVERNMENT = "government", _("盟市/旗县人民政府")
    UNIT = "unit", _("责任单位")
    ADMIN = "admin", _("系统管理")
    AUTHORITY = "authority", _("审批部门")


class Organization(models.Model):
    id = opaque_id()
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=OrgKind.choices)
    region = models.ForeignKey(Region, models.PROTECT, related_name="organizations", verbose_name=_("所在地区"))
    # For a competent department at any level (自治区教育厅, 包头市教育局): which department line it is.
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="organizations", verbose_name=_("行业")
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    # Disabled by the system administrator instead of deleted: its users and projects keep pointing at it.
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["region_id", "kind", "name"]
        verbose_name = verbose_name_plural = _("组织")
        constraints = [models.UniqueConstraint(fields=["name", "region"], name="org_unique_name_in_region")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICE = "office", _("领导小组办公室")
    DEPARTMENT = "department", _("行业主管部门")
    REGION = "region", _("盟市/旗县")
    UNIT = "unit", _("责任单位")
    # 绿色通道: an approval authority (自然资源, 消防救援 …) sees the green-channel items addressed to it.
    AUTHORITY = "authority", _("审批部门")
    SYSADMIN = "sysadmin", _("系统管理员")
    SECADMIN = "secadmin", _("安全管理员")
    AUDITOR = "auditor", _("安全审计员")


class User(AbstractUser):
    phone = EncryptedCharField(_("手机"), max_length=20, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("用户")

    def role_names(self) -> set[str]:
        if not hasattr(self, "_role_names"):
            self._role_names = {a.role for a in self.role_assignments.all()}
        return self._role_names

    def role_labels(self) -> list[str]:
        return [Role(r).label for r in sorted(self.role_names())]

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names() & set(roles))


class RoleAssignment(models.Model):
    """A user holds a role on behalf of an organization; a user's scope is the union of these."""

    user = models.ForeignKey(User, models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    organization = models.ForeignKey(Organization, models.PROTECT, related_name="role_assignments")

    class Meta:
        verbose_name = verbose_name_plural = _("角色分配")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organization"], name="role_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("API 令牌")

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User) -> str:
        key = "hb_" + secrets.token_urlsafe(32)
        cls.objects.create(user=user, key_hash=cls.hash(key), prefix=key[:8])
        return key


class SignInEvent(models.Model):
    """Every sign-in attempt, successful or not (等保: 登录日志)."""

    username = models.CharField(_("用户名"), max_length=150)
    succeeded = models.BooleanField(_("成功"))
    ip = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    detail = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = verbose_name_plural = _("登录日志")
