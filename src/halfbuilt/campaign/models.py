"""The campaign as data (部署阶段): its phases and deadlines, targets, scope rule (起底范围), the implementation
plans (实施方案) each competent department and league/city files, and each department's criteria (本行业标准).

Loaded from the package's campaign file by `halfbuilt init` (`loader.py`); edited by the office in pages
(`services.py`). Read by the other apps through `selectors.py` only."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.models import Organization
from halfbuilt.regions.models import Department, Region

from .managers import CriteriaQuerySet, PlanFilingQuerySet


class Campaign(models.Model):
    key = models.SlugField(_("标识"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    province = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("省级行政区"))
    current = models.BooleanField(_("当前行动"), default=False)
    # 起底范围: projects approved on or after `scope_since` (a partial date, as the ledger keeps them) at one of
    # `scope_levels` (ledger ApprovalLevel values, comma-separated); others only when marked 影响较大 with a reason.
    scope_since = models.CharField(_("起底审批时间起"), max_length=10)
    scope_levels = models.CharField(_("起底审批层级"), max_length=60)
    scope_text = models.CharField(_("起底范围说明"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("起底行动")
        constraints = [models.UniqueConstraint(fields=["current"], condition=Q(current=True),
                                               name="campaign_one_current")]

    def __str__(self) -> str:
        return self.name

    @property
    def levels(self) -> tuple[str, ...]:
        return tuple(level for level in self.scope_levels.split(",") if level)


class Phase(models.Model):
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="phases")
    key = models.SlugField(_("标识"), max_length=20)
    name = models.CharField(_("阶段"), max_length=40)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    starts = models.DateField(_("开始日期"), null=True, blank=True)
    ends = models.DateField(_("结束日期"))
    # A deadline inside the phase other than its end (the ledger due 08-31, the 实施方案 due 08-10), if any.
    due = models.DateField(_("截止日期"), null=True, blank=True)
    due_label = models.CharField(_("截止事项"), max_length=40, blank=True)
    note = models.CharField(_("工作内容"), max_length=300, blank=True)

    class Meta:
        ordering = ["campaign", "order"]
        verbose_name = verbose_name_plural = _("阶段")
        constraints = [models.UniqueConstraint(fields=["campaign", "key"], name="phase_key_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def deadline(self):
        return self.due or self.ends


class Target(models.Model):
    """A target of the campaign: text ("年内盘活一批"), and a number where it is one (销号率 100 % by a date)."""

    class Metric(models.TextChoices):
        NONE = "", _("（文字目标）")
        CLOSURE_RATE = "closure_rate", _("销号率（%）")
        REVITALISED_RATE = "revitalised_rate", _("盘活率（%）")

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="targets")
    key = models.SlugField(_("标识"), max_length=40)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    text = models.CharField(_("目标"), max_length=200)
    metric = models.CharField(_("指标"), max_length=20, choices=Metric.choices, blank=True)
    value = models.DecimalField(_("目标值"), max_digits=6, decimal_places=2, null=True, blank=True)
    due = models.DateField(_("完成时限"), null=True, blank=True)

    class Meta:
        ordering = ["campaign", "order"]
        verbose_name = verbose_name_plural = _("目标")
        constraints = [models.UniqueConstraint(fields=["campaign", "key"], name="target_key_unique")]

    def __str__(self) -> str:
        return self.text


class FilingStatus(models.TextChoices):
    PENDING = "pending", _("待报送")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已通过")


class FilerKind(models.TextChoices):
    DEPARTMENT = "department", _("行业主管部门")
    REGION = "region", _("盟市")


class PlanFiling(models.Model):
    """One expected filer's 实施方案 for its field or region. A row per expected filer is made when the campaign
    is loaded (status 待报送): who has not filed is data, not code. States: `workflow.FILING`."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="filings")
    organization = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name=_("报送单位"))
    filer_kind = models.CharField(_("报送单位类型"), max_length=16, choices=FilerKind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=FilingStatus.choices, default=FilingStatus.PENDING)
    title = models.CharField(_("方案名称"), max_length=200, blank=True)
    targets = models.TextField(_("工作目标"), blank=True)
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("报送人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("审核人"))
    comment = models.CharField(_("审核意见"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PlanFilingQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "filer_kind", "organization__region_id", "organization__name"]
        verbose_name = verbose_name_plural = _("实施方案")
        constraints = [models.UniqueConstraint(fields=["campaign", "organization"], name="filing_one_per_filer")]

    def __str__(self) -> str:
        return _("{organization}实施方案").format(organization=self.organization.name)


class CriteriaVersion(models.Model):
    """One saved version of a department line's criteria (本行业“半拉子”工程标准); the newest is in force."""

    department = models.ForeignKey(Department, models.PROTECT, related_name="+", verbose_name=_("行业主管部门"))
    number = models.PositiveIntegerField(_("版本号"))
    text = models.TextField(_("标准"))
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("记录人"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = CriteriaQuerySet.as_manager()

    class Meta:
        ordering = ["department", "-number"]
        verbose_name = verbose_name_plural = _("行业标准")
        constraints = [models.UniqueConstraint(fields=["department", "number"], name="criteria_version_unique")]

    def __str__(self) -> str:
        return _("{department}标准（第{number}版）").format(department=self.department.short_name, number=self.number)


class Document(models.Model):
    """A file of a 实施方案 or of a criteria version, checked by `halfbuilt.files.checks` before it is stored
    (kept apart from the files app's attachments this round, which belong to a project or to an owner registered
    in `files/owners.py`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    filing = models.ForeignKey(PlanFiling, models.CASCADE, null=True, blank=True, related_name="documents")
    criteria = models.ForeignKey(CriteriaVersion, models.CASCADE, null=True, blank=True, related_name="documents")
    file = models.FileField(_("文件"), upload_to="campaign/%Y/%m/", max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = verbose_name_plural = _("行动文件")
        constraints = [models.CheckConstraint(
            condition=Q(filing__isnull=False, criteria__isnull=True) | Q(filing__isnull=True, criteria__isnull=False),
            name="campaign_document_one_owner")]

    def __str__(self) -> str:
        return self.original_name
