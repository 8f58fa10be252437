"""销号: closing a disposed project after review; 回头看: follow-up checks of a random sample of closed
projects, where a failed check reopens the project with its finding."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.scope import project_scoped
from halfbuilt.core.ids import opaque_id
from halfbuilt.files.models import Attachment
from halfbuilt.ledger.models import Project


class Outcome(models.TextChoices):
    IN_USE = "in_use", _("已投入使用")
    DEMOLISHED = "demolished", _("已拆除")
    TRANSFERRED = "transferred", _("已移交或转让")
    OTHER = "other", _("其他")


class ClosureStatus(models.TextChoices):
    REQUESTED = "requested", _("待主管部门审核")
    APPROVED = "approved", _("待办公室销号")
    RETURNED = "returned", _("已退回")
    CLOSED = "closed", _("已销号")


class ClosureRequest(models.Model):
    id = opaque_id()
    project = models.ForeignKey(Project, models.PROTECT, related_name="closure_requests")
    outcome = models.CharField(_("处置结果"), max_length=16, choices=Outcome.choices)
    outcome_date = models.DateField(_("完成日期"))
    description = models.TextField(_("情况说明"))
    evidence = models.ManyToManyField(Attachment, related_name="+", verbose_name=_("证明材料"))
    status = models.CharField(_("状态"), max_length=16, choices=ClosureStatus.choices, default=ClosureStatus.REQUESTED)
    review_comment = models.TextField(_("审核意见"), blank=True)
    requested_by = models.CharField(_("申请人"), max_length=150)
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    reviewed_by = models.CharField(_("审核人"), max_length=150, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    closed_by = models.CharField(_("销号人"), max_length=150, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)

    objects = project_scoped("project")

    class Meta:
        ordering = ["-requested_at", "-id"]
        get_latest_by = "requested_at"
        verbose_name = verbose_name_plural = _("销号申请")
        indexes = [models.Index(fields=["status"], name="closure_status")]
        constraints = [
            # One open request per project; returned and closed ones stay as history.
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(status__in=["requested", "approved"]),
                name="closure_one_open_per_project",
            ),
        ]

    def __str__(self) -> str:
        return _("{project}销号申请").format(project=self.project.name)


class FollowUpSample(models.Model):
    """One draw of closed projects for 回头看; kept with its results."""

    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)
    share = models.DecimalField(_("抽取比例"), max_digits=5, decimal_places=4)
    population = models.PositiveIntegerField(_("已销号项目数"))
    seed = models.CharField(_("随机种子"), max_length=64)
    # The ids the draw chose from, sorted: with the seed they reproduce the sample (see services.reproduce).
    population_ids = models.JSONField(_("抽样总体"), encoder=DjangoJSONEncoder, default=list)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["-drawn_at"]
        get_latest_by = "drawn_at"
        verbose_name = verbose_name_plural = _("回头看抽样")

    def __str__(self) -> str:
        return _("回头看抽样 {day}").format(day=f"{self.drawn_at:%Y-%m-%d}")


class CheckResult(models.TextChoices):
    PENDING = "pending", _("待核查")
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")


class FollowUpCheck(models.Model):
    id = opaque_id()
    sample = models.ForeignKey(FollowUpSample, models.CASCADE, related_name="checks")
    project = models.ForeignKey(Project, models.PROTECT, related_name="followup_checks")
    result = models.CharField(_("核查结果"), max_length=16, choices=CheckResult.choices, default=CheckResult.PENDING)
    finding = models.TextField(_("发现问题"), blank=True)
    checked_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    checked_by = models.CharField(_("核查人"), max_length=150, blank=True)
    # On-site photos of the check: their GPS position and time taken are kept (files.checks), so the page can
    # tell a photo taken far from the site, or before the closure, from one taken on the spot.
    photos = models.ManyToManyField(Attachment, blank=True, related_name="+", verbose_name=_("现场照片"))

    objects = project_scoped("project")

    class Meta:
        ordering = ["sample", "project"]
        verbose_name = verbose_name_plural = _("回头看核查")
        indexes = [models.Index(fields=["result"], name="followup_check_result")]
        constraints = [
            models.UniqueConstraint(fields=["sample", "project"], name="followup_check_unique"),
            # A project is pending in at most one sample, even when two draws run at the same moment.
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(result="pending"), name="followup_one_pending_per_project"
            ),
        ]

    def __str__(self) -> str:
        return _("{project}回头看").format(project=self.project.name)
