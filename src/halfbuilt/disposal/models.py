"""一项目一方案: one current plan per project, with one of the work plan's five disposal methods.

A plan's method-specific facts live in `facts` (a JSON object) and are validated by `disposal/methods.py`,
one schema and rule set per method; the procedures of 完善手续 and every plan's milestones are rows of their
own, because they are tracked one by one.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.scope import project_scoped
from halfbuilt.core.fields import EncryptedCharField
from halfbuilt.core.ids import opaque_id
from halfbuilt.files.models import Attachment
from halfbuilt.ledger.models import Project


class Method(models.TextChoices):
    PROCEDURES = "procedures", _("完善手续")
    RESUME = "resume", _("复工续建")
    REVITALISE = "revitalise", _("引导盘活")
    JUDICIAL = "judicial", _("司法处置")
    DEMOLISH = "demolish", _("依法拆除")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草拟中")
    SUBMITTED = "submitted", _("待主管部门审核")
    RETURNED = "returned", _("已退回修改")
    APPROVED = "approved", _("待办公室确认")
    CONFIRMED = "confirmed", _("已确认")


class Plan(models.Model):
    id = opaque_id()
    project = models.OneToOneField(Project, models.PROTECT, related_name="plan")
    # The seven parts of a real plan (《瞭望》2023-02-13) plus the leader in charge (包联领导).
    introduction = models.TextField(_("项目介绍"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    method = models.CharField(_("处置方式"), max_length=16, choices=Method.choices)
    measures = models.TextField(_("处置措施"), blank=True)
    lead_unit = models.CharField(_("主责单位"), max_length=100)
    responsible_person = EncryptedCharField(_("责任人"), max_length=50)
    responsible_phone = EncryptedCharField(_("责任人电话"), max_length=30, blank=True)
    cooperating_units = models.CharField(_("配合单位"), max_length=300, blank=True)
    deadline = models.DateField(_("完成时限"))
    leader_in_charge = models.CharField(_("包联领导"), max_length=50, blank=True)
    facts = models.JSONField(_("处置方式要素"), encoder=DjangoJSONEncoder, default=dict, blank=True)
    status = models.CharField(_("审核状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    review_comment = models.TextField(_("审核意见"), blank=True)
    # 0 until first confirmed; each change of a confirmed plan is a new revision with a reason.
    revision = models.PositiveIntegerField(_("修订次数"), default=0)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = project_scoped("project")

    class Meta:
        get_latest_by = "created_at"
        verbose_name = verbose_name_plural = _("处置方案")
        indexes = [models.Index(fields=["status"], name="plan_status")]

    def __str__(self) -> str:
        return _("{project}处置方案").format(project=self.project.name)


class PlanRevision(models.Model):
    """A confirmed plan as it stood, kept whenever it is revised (method, deadline, people)."""

    id = opaque_id()
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("修订号"))
    snapshot = models.JSONField(_("修订前内容"), encoder=DjangoJSONEncoder)
    changes = models.JSONField(_("修改内容"), encoder=DjangoJSONEncoder, default=dict)
    reason = models.CharField(_("修订理由"), max_length=500)
    changed_by = models.CharField(_("修订人"), max_length=150)
    changed_at = models.DateTimeField(_("修订时间"), auto_now_add=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = verbose_name_plural = _("方案修订")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_revision_unique")]

    def __str__(self) -> str:
        return _("{plan} 第{number}次修订").format(plan=self.plan, number=self.number)


class Milestone(models.Model):
    id = opaque_id()
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=200)
    due_date = models.DateField(_("计划完成日期"))
    met_date = models.DateField(_("实际完成日期"), null=True, blank=True)
    evidence = models.ManyToManyField(Attachment, blank=True, related_name="+", verbose_name=_("佐证材料"))


    objects = project_scoped("plan__project")
    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = verbose_name_plural = _("节点")

    def __str__(self) -> str:
        return self.title


class ProcedureKind(models.TextChoices):
    PROJECT_APPROVAL = "project_approval", _("立项")
    LAND_USE = "land_use", _("用地")
    PLANNING_PERMIT = "planning_permit", _("规划许可")
    CONSTRUCTION_PERMIT = "construction_permit", _("施工许可")
    COMPLETION_ACCEPTANCE = "completion_acceptance", _("竣工验收")
    FIRE_ACCEPTANCE = "fire_acceptance", _("消防验收")
    PROPERTY_REGISTRATION = "property_registration", _("不动产登记")
    OTHER = "other", _("其他")


class Procedure(models.Model):
    """A missing procedure of a 完善手续 plan, tracked until done."""

    id = opaque_id()
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="procedures")
    kind = models.CharField(_("手续"), max_length=32, choices=ProcedureKind.choices)
    name = models.CharField(_("名称"), max_length=100, blank=True, help_text=_("“其他”时填写"))
    authority = models.CharField(_("办理部门"), max_length=100, blank=True)
    done_date = models.DateField(_("办结日期"), null=True, blank=True)
    document_no = models.CharField(_("批准文号"), max_length=100, blank=True)


    objects = project_scoped("plan__project")
    class Meta:
        ordering = ["plan", "kind", "id"]  # grouped by procedure (ids are random: core/ids.py)
        verbose_name = verbose_name_plural = _("待补手续")

    def __str__(self) -> str:
        return self.name or self.get_kind_display()
