"""一项目一方案: one current plan per project, with one of the work plan's five disposal methods.

A plan's method-specific facts live in `facts` (a JSON object) and are validated by `disposal/methods.py`,
one schema and rule set per method; the procedures of 完善手续 and every plan's milestones are rows of their
own, because they are tracked one by one.
"""

from django.db import models

from halfbuilt.accounts.scope import project_scoped
from halfbuilt.files.models import Attachment
from halfbuilt.ledger.models import Project


class Method(models.TextChoices):
    PROCEDURES = "procedures", "完善手续"
    RESUME = "resume", "复工续建"
    REVITALISE = "revitalise", "引导盘活"
    JUDICIAL = "judicial", "司法处置"
    DEMOLISH = "demolish", "依法拆除"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草拟中"
    SUBMITTED = "submitted", "待主管部门审核"
    RETURNED = "returned", "已退回修改"
    APPROVED = "approved", "待办公室确认"
    CONFIRMED = "confirmed", "已确认"


class Plan(models.Model):
    project = models.OneToOneField(Project, models.PROTECT, related_name="plan")
    # The seven parts of a real plan (《瞭望》2023-02-13) plus the leader in charge (包联领导).
    introduction = models.TextField("项目介绍", blank=True)
    problems = models.TextField("存在问题", blank=True)
    method = models.CharField("处置方式", max_length=16, choices=Method.choices)
    measures = models.TextField("处置措施", blank=True)
    lead_unit = models.CharField("主责单位", max_length=100)
    responsible_person = models.CharField("责任人", max_length=50)
    responsible_phone = models.CharField("责任人电话", max_length=30, blank=True)
    cooperating_units = models.CharField("配合单位", max_length=300, blank=True)
    deadline = models.DateField("完成时限")
    leader_in_charge = models.CharField("包联领导", max_length=50, blank=True)
    facts = models.JSONField("处置方式要素", default=dict, blank=True)
    status = models.CharField("审核状态", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    review_comment = models.TextField("审核意见", blank=True)
    # 0 until first confirmed; each change of a confirmed plan is a new revision with a reason.
    revision = models.PositiveIntegerField("修订次数", default=0)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)


    objects = project_scoped("project")
    class Meta:
        verbose_name = verbose_name_plural = "处置方案"
        indexes = [models.Index(fields=["status"], name="plan_status")]

    def __str__(self) -> str:
        return f"{self.project.name}处置方案"


class PlanRevision(models.Model):
    """A confirmed plan as it stood, kept whenever it is revised (method, deadline, people)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField("修订号")
    snapshot = models.JSONField("修订前内容")
    changes = models.JSONField("修改内容", default=dict)
    reason = models.CharField("修订理由", max_length=500)
    changed_by = models.CharField("修订人", max_length=150)
    changed_at = models.DateTimeField("修订时间", auto_now_add=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = verbose_name_plural = "方案修订"
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_revision_unique")]

    def __str__(self) -> str:
        return f"{self.plan} 第{self.number}次修订"


class Milestone(models.Model):
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="milestones")
    title = models.CharField("节点", max_length=200)
    due_date = models.DateField("计划完成日期")
    met_date = models.DateField("实际完成日期", null=True, blank=True)
    evidence = models.ManyToManyField(Attachment, blank=True, related_name="+", verbose_name="佐证材料")


    objects = project_scoped("plan__project")
    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = verbose_name_plural = "节点"

    def __str__(self) -> str:
        return self.title


class ProcedureKind(models.TextChoices):
    PROJECT_APPROVAL = "project_approval", "立项"
    LAND_USE = "land_use", "用地"
    PLANNING_PERMIT = "planning_permit", "规划许可"
    CONSTRUCTION_PERMIT = "construction_permit", "施工许可"
    COMPLETION_ACCEPTANCE = "completion_acceptance", "竣工验收"
    FIRE_ACCEPTANCE = "fire_acceptance", "消防验收"
    PROPERTY_REGISTRATION = "property_registration", "不动产登记"
    OTHER = "other", "其他"


class Procedure(models.Model):
    """A missing procedure of a 完善手续 plan, tracked until done."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="procedures")
    kind = models.CharField("手续", max_length=32, choices=ProcedureKind.choices)
    name = models.CharField("名称", max_length=100, blank=True, help_text="“其他”时填写")
    authority = models.CharField("办理部门", max_length=100, blank=True)
    done_date = models.DateField("办结日期", null=True, blank=True)
    document_no = models.CharField("批准文号", max_length=100, blank=True)


    objects = project_scoped("plan__project")
    class Meta:
        ordering = ["plan", "id"]
        verbose_name = verbose_name_plural = "待补手续"

    def __str__(self) -> str:
        return self.name or self.get_kind_display()
