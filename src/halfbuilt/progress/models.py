"""按月报送: monthly progress of each project in disposal, and the monthly roll-up of a region or department
to the office. The roll-up's figures are computed from the project reports, never typed again."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.models import Organization
from halfbuilt.accounts.scope import project_scoped
from halfbuilt.core.fields import MoneyField
from halfbuilt.core.ids import opaque_id
from halfbuilt.disposal.models import Milestone
from halfbuilt.files.models import Attachment
from halfbuilt.ledger.models import Project


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")


class ProgressReport(models.Model):
    id = opaque_id()
    project = models.ForeignKey(Project, models.PROTECT, related_name="progress_reports")
    period = models.CharField(_("月份"), max_length=7, help_text="YYYY-MM")
    progress = models.TextField(_("本月进展"))
    physical_progress = models.DecimalField(_("形象进度（%）"), max_digits=5, decimal_places=2)
    investment_month = MoneyField(_("本月完成投资（万元）"))
    investment_cumulative = MoneyField(_("累计完成投资（万元）"))
    new_funds = MoneyField(_("新增到位资金（万元）"))
    milestones_met = models.ManyToManyField(Milestone, blank=True, related_name="+", verbose_name=_("本月完成节点"))
    problems = models.TextField(_("存在问题"), blank=True)
    suggestions = models.TextField(_("工作建议"), blank=True)
    # Why physical progress went down or the cumulative investment differs from last month's plus this month's.
    adjustment_reason = models.CharField(_("调整说明"), max_length=500, blank=True)
    photos = models.ManyToManyField(Attachment, blank=True, related_name="+", verbose_name=_("照片"))
    status = models.CharField(_("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.CharField(_("报送人"), max_length=150, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)


    objects = project_scoped("project")
    class Meta:
        ordering = ["project", "-period"]
        verbose_name = verbose_name_plural = _("月度进展")
        constraints = [models.UniqueConstraint(fields=["project", "period"], name="progress_one_per_month")]
        indexes = [models.Index(fields=["period", "status"], name="progress_period_status")]

    def __str__(self) -> str:
        return f"{self.project.name} {self.period}"


class Rollup(models.Model):
    """A region's or department's monthly report to the office (进展、存在问题、工作建议)."""

    organization = models.ForeignKey(Organization, models.PROTECT, related_name="rollups")
    period = models.CharField(_("月份"), max_length=7)
    progress = models.TextField(_("工作进展"))
    problems = models.TextField(_("存在问题"), blank=True)
    suggestions = models.TextField(_("工作建议"), blank=True)
    # The computed figures as they stood when submitted (projects, reports, late, investment …).
    figures = models.JSONField(_("汇总数据"), encoder=DjangoJSONEncoder, default=dict)
    status = models.CharField(_("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.CharField(_("报送人"), max_length=150, blank=True)

    class Meta:
        ordering = ["-period", "organization"]
        verbose_name = verbose_name_plural = _("月度汇总")
        constraints = [models.UniqueConstraint(fields=["organization", "period"], name="rollup_one_per_month")]

    def __str__(self) -> str:
        return f"{self.organization} {self.period}"
