"""Prevention and discovery (建章立制 · 遏制新增 · 清仓见底): proposed projects and their risk check, the office's risk
rules, the stall watch over the investment platform's progress feed, and proposed merges of duplicate projects."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.models import Organization
from halfbuilt.core.fields import MoneyField, PartialDateField
from halfbuilt.core.ids import opaque_id
from halfbuilt.ledger.models import Project
from halfbuilt.regions.models import Category, Department, Region

from .scope import MergeQuerySet, ProposalQuerySet, WatchQuerySet


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待决策")
    APPROVED = "approved", _("同意实施")
    REVISED = "revised", _("修改后再报")
    REJECTED = "rejected", _("不予实施")


class StudyState(models.TextChoices):
    NONE = "none", _("未开展")
    UNDERWAY = "underway", _("正在开展")
    DONE = "done", _("已完成（已批复）")


class FundState(models.TextChoices):
    SECURED = "secured", _("已落实")
    PROMISED = "promised", _("已承诺")
    UNKNOWN = "unknown", _("不明确")


class FundLevel(models.TextChoices):
    CENTRAL = "central", _("中央")
    PROVINCE = "province", _("自治区")
    PREFECTURE = "prefecture", _("盟市")
    LOCAL = "local", _("本级财政")
    BOND = "bond", _("专项债券")
    SOCIAL = "social", _("社会资本及其他")


class ProposedProject(models.Model):
    """A government-investment project registered before its decision (事前防范), scored by the risk rules."""

    id = opaque_id()
    name = models.CharField(_("项目名称"), max_length=200)
    project_code = models.CharField(_("项目代码"), max_length=24, blank=True)
    category = models.ForeignKey(Category, models.PROTECT, related_name="+", verbose_name=_("项目类别"))
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("所在地区"))
    # Denormalised league/city of `region`, so the scope is the ledger's (accounts.scope.region_q).
    prefecture = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("所属盟市"))
    department = models.ForeignKey(Department, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("行业主管部门"))
    proposer_org = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name=_("登记单位"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    total_investment = MoneyField(_("总投资（万元）"), null=False, blank=False)
    # What the region's own budget can carry (本级财政可承受的出资额, 万元): the capacity rule compares it.
    fiscal_capacity = MoneyField(_("本级财政可承受出资（万元）"))
    feasibility = models.CharField(_("可行性研究"), max_length=16, choices=StudyState.choices,
                                   default=StudyState.NONE)
    performance = models.CharField(_("事前绩效评估"), max_length=16, choices=StudyState.choices,
                                   default=StudyState.NONE)
    land_ready = models.BooleanField(_("用地手续已落实"), default=False)
    planning_ready = models.BooleanField(_("规划许可已落实"), default=False)
    needs_operation = models.BooleanField(_("建成后需运营的设施"), default=True)
    operator = models.CharField(_("运营单位"), max_length=100, blank=True)
    running_budget = MoneyField(_("年运营经费（万元）"))
    planned_start = PartialDateField(_("计划开工"))
    planned_completion = PartialDateField(_("计划竣工"))
    status = models.CharField(_("状态"), max_length=16, choices=ProposalStatus.choices,
                              default=ProposalStatus.SUBMITTED)
    risk_score = models.PositiveIntegerField(_("风险分"), default=0)
    risk_level = models.CharField(_("风险等级"), max_length=8, blank=True)
    # Every fired rule with its explanation, as scored at the last submission: [{"key", "label", "points", "text"}].
    risk_reasons = models.JSONField(_("风险原因"), default=list, blank=True)
    decision_reason = models.TextField(_("决策理由"), blank=True)
    decided_by = models.CharField(_("决策人"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("决策时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]  # newest first (ids are random: core/ids.py)
        get_latest_by = "created_at"
        verbose_name = verbose_name_plural = _("拟建项目")
        indexes = [models.Index(fields=["prefecture", "status"], name="proposal_pref_status"),
                   models.Index(fields=["project_code"], name="proposal_code")]

    def __str__(self) -> str:
        return self.name


class FundingSource(models.Model):
    proposal = models.ForeignKey(ProposedProject, models.CASCADE, related_name="funds")
    level = models.CharField(_("资金来源"), max_length=16, choices=FundLevel.choices)
    amount = MoneyField(_("金额（万元）"), null=False, blank=False)
    state = models.CharField(_("落实情况"), max_length=16, choices=FundState.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("资金来源")


class RiskRule(models.Model):
    """One of the office's risk rules (rules as data): the check is `risk.CHECKS[key]`, the rest is the office's.
    `template` is the explanation, with the placeholders the check names (risk.PLACEHOLDERS)."""

    key = models.CharField(_("规则"), max_length=32, unique=True)
    label = models.CharField(_("名称"), max_length=60)
    threshold = models.DecimalField(_("阈值"), max_digits=8, decimal_places=2, null=True, blank=True,
                                    validators=[MinValueValidator(0), MaxValueValidator(1000)])
    points = models.PositiveSmallIntegerField(_("风险分"), default=20, validators=[MaxValueValidator(100)])
    template = models.CharField(_("说明模板"), max_length=300)
    enabled = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("风险规则")

    def __str__(self) -> str:
        return self.label


class WatchSettings(models.Model):
    """The stall watch's thresholds (a singleton, pk 1), the office's."""

    no_progress_months = models.PositiveSmallIntegerField(
        _("无进展（月）"), default=6, validators=[MinValueValidator(1), MaxValueValidator(60)])
    overdue_months = models.PositiveSmallIntegerField(
        _("超过计划竣工（月）"), default=0, validators=[MaxValueValidator(60)])
    idle_months = models.PositiveSmallIntegerField(
        _("竣工未投用（月）"), default=6, validators=[MinValueValidator(1), MaxValueValidator(60)])
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = verbose_name_plural = _("停建预警阈值")

    @classmethod
    def current(cls) -> "WatchSettings":
        return cls.objects.get_or_create(pk=1)[0]


class FeedImport(models.Model):
    """One progress feed of the investment project platform, imported whole or not at all."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    original_name = models.CharField(_("文件名"), max_length=200)
    as_of = models.DateField(_("数据截至"))
    rows = models.PositiveIntegerField(_("行数"), default=0)
    flagged = models.PositiveIntegerField(_("预警数"), default=0)
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    objects = WatchQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = _("进度数据导入")

    def __str__(self) -> str:
        return self.original_name


class FlagReason(models.TextChoices):
    NO_PROGRESS = "no_progress", _("长期无进展")
    OVERDUE = "overdue", _("超期未竣工")
    IDLE = "idle", _("竣工未投用")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    ADDED = "added", _("已列入台账")
    DISMISSED = "dismissed", _("已排除")


class StallFlag(models.Model):
    """A feed row the watch flagged: a candidate for the ledger, put on it by a person (never automatically)."""

    id = opaque_id()
    feed = models.ForeignKey(FeedImport, models.CASCADE, related_name="flags")
    row = models.PositiveIntegerField(_("行号"))
    project_code = models.CharField(_("项目代码"), max_length=24, blank=True)
    name = models.CharField(_("项目名称"), max_length=200)
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("所在地区"))
    category = models.ForeignKey(Category, models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("项目类别"))
    reason = models.CharField(_("预警原因"), max_length=16, choices=FlagReason.choices)
    detail = models.CharField(_("说明"), max_length=300)
    facts = models.JSONField(_("进度数据"), default=dict, blank=True)
    total_investment = MoneyField(_("总投资（万元）"))
    completed_investment = MoneyField(_("累计完成投资（万元）"))
    # The ledger project the reconcile found (by 项目代码, else region + name), or the one this flag was put on as.
    ledger_project = models.ForeignKey(Project, models.SET_NULL, null=True, blank=True, related_name="+")
    match_how = models.CharField(_("匹配方式"), max_length=8, blank=True)
    proposal = models.ForeignKey(ProposedProject, models.SET_NULL, null=True, blank=True, related_name="flags")
    status = models.CharField(_("状态"), max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    handled_by = models.CharField(_("处理人"), max_length=150, blank=True)
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    note = models.CharField(_("处理说明"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = WatchQuerySet.as_manager()

    class Meta:
        ordering = ["feed_id", "row", "id"]
        verbose_name = verbose_name_plural = _("停建预警")
        indexes = [models.Index(fields=["status", "feed"], name="flag_status_feed")]

    def __str__(self) -> str:
        return self.name


class MergeStatus(models.TextChoices):
    PROPOSED = "proposed", _("待决定")
    MERGED = "merged", _("已合并")
    DISMISSED = "dismissed", _("不是重复")


class MergeProposal(models.Model):
    """Two ledger projects that look like one work reported twice. Merging keeps `kept`; `merged` is voided and
    stays, with its whole history, as a pointer to `kept` (docs/prevention.md)."""

    id = opaque_id()
    kept = models.ForeignKey(Project, models.PROTECT, related_name="+", verbose_name=_("保留项目"))
    merged = models.ForeignKey(Project, models.PROTECT, related_name="+", verbose_name=_("并入项目"))
    similarity = models.DecimalField(_("名称相似度"), max_digits=4, decimal_places=3)
    evidence = models.JSONField(_("依据"), default=dict)
    status = models.CharField(_("状态"), max_length=16, choices=MergeStatus.choices, default=MergeStatus.PROPOSED)
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    decided_by = models.CharField(_("决定人"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    objects = MergeQuerySet.as_manager()

    class Meta:
        ordering = ["-similarity", "id"]
        verbose_name = verbose_name_plural = _("疑似重复项目")
        constraints = [models.UniqueConstraint(fields=["kept", "merged"], name="merge_pair_unique")]

    def __str__(self) -> str:
        return f"{self.kept} / {self.merged}"
