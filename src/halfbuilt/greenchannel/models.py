"""绿色通道 (联审联办): approval authorities, the procedures they grant with their time limits, and one request per
project naming the missing procedures, each an item addressed to its authority, with its clock in working days;
joint review meetings (联审会) with a conclusion per item."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.models import Organization
from halfbuilt.core.ids import opaque_id
from halfbuilt.disposal.models import Procedure, ProcedureKind
from halfbuilt.files.models import Attachment
from halfbuilt.ledger.models import Project

from .scope import ItemQuerySet, RequestQuerySet
from .states import EventAction, ItemStatus, Level, RequestStatus


class AuthorityKind(models.Model):
    """A line of approval authorities (自然资源, 消防救援 …): reference data shipped in data/authorities.csv."""

    code = models.CharField(_("代码"), max_length=16, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = verbose_name_plural = _("审批部门类别")

    def __str__(self) -> str:
        return self.name


class Authority(models.Model):
    """An organisation of kind 审批部门 and its line: 包头市自然资源局 is the 自然资源 line in Baotou."""

    organization = models.OneToOneField(Organization, models.PROTECT, primary_key=True, related_name="authority")
    kind = models.ForeignKey(AuthorityKind, models.PROTECT, related_name="authorities", verbose_name=_("类别"))

    class Meta:
        verbose_name = verbose_name_plural = _("审批部门")

    def __str__(self) -> str:
        return self.organization.name


class ProcedureType(models.Model):
    """A procedure (手续) of the reference table: who grants it, at which level, within how many working days.
    Defaults from data/procedures.csv; the office edits the time limits and switches rows off."""

    code = models.CharField(_("代码"), max_length=32, primary_key=True)
    name = models.CharField(_("手续名称"), max_length=100)
    authority_kind = models.ForeignKey(AuthorityKind, models.PROTECT, related_name="procedures",
                                       verbose_name=_("审批部门"))
    level = models.CharField(_("办理层级"), max_length=16, choices=Level.choices, default=Level.COUNTY)
    time_limit = models.PositiveSmallIntegerField(_("办理时限（工作日）"))
    # Which of a plan's procedures (disposal.ProcedureKind) it completes: how a request is proposed from the plan.
    plan_kind = models.CharField(_("对应方案手续"), max_length=32, choices=ProcedureKind.choices, blank=True)
    legal_basis = models.CharField(_("办理依据"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = verbose_name_plural = _("手续")

    def __str__(self) -> str:
        return self.name


class GreenRequest(models.Model):
    id = opaque_id()
    project = models.ForeignKey(Project, models.PROTECT, related_name="green_requests")
    filer_org = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name=_("申请单位"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("申请人"))
    filed_on = models.DateField(_("申请日期"))
    note = models.TextField(_("申请说明"), blank=True)
    documents = models.ManyToManyField(Attachment, blank=True, related_name="+", verbose_name=_("申请材料"))
    status = models.CharField(_("状态"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    concluded_on = models.DateField(_("办结日期"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_on", "-id"]
        get_latest_by = "created_at"
        verbose_name = verbose_name_plural = _("绿色通道申请")
        indexes = [models.Index(fields=["status"], name="green_request_status")]

    def __str__(self) -> str:
        return _("{project}绿色通道申请").format(project=self.project.name)


class Item(models.Model):
    """One procedure of a request, addressed to one authority. Its clock: `deadline` while it runs; in 需补正 the
    clock stops and `used` keeps the working days spent (clocks.py)."""

    id = opaque_id()
    request = models.ForeignKey(GreenRequest, models.CASCADE, related_name="items")
    # The request's project, kept on the item: the kernel locks it first, the lights and the 台账 read it.
    project = models.ForeignKey(Project, models.PROTECT, related_name="green_items")
    procedure_type = models.ForeignKey(ProcedureType, models.PROTECT, related_name="+", verbose_name=_("手续"))
    authority = models.ForeignKey(Organization, models.PROTECT, related_name="green_items",
                                  verbose_name=_("审批部门"))
    plan_procedure = models.ForeignKey(Procedure, models.SET_NULL, null=True, blank=True, related_name="+",
                                       verbose_name=_("方案待补手续"))
    status = models.CharField(_("状态"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    time_limit = models.PositiveSmallIntegerField(_("办理时限（工作日）"))
    received_on = models.DateField(_("收件日期"))
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    clock_from = models.DateField(_("计时起点"))  # the day the current run of the clock began (not counted)
    used = models.PositiveSmallIntegerField(_("已用工作日（暂停前）"), default=0)
    deadline = models.DateField(_("办理期限"))
    missing = models.TextField(_("需补正材料"), blank=True)
    doc_no = models.CharField(_("批准文号"), max_length=100, blank=True)
    done_on = models.DateField(_("办结日期"), null=True, blank=True)
    document = models.ForeignKey(Attachment, models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("批准文件"))
    refusal_reason = models.TextField(_("不予办理理由"), blank=True)
    legal_basis = models.CharField(_("法律依据"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["request", "procedure_type__order", "id"]  # the procedures' order (ids are random)
        verbose_name = verbose_name_plural = _("绿色通道事项")
        indexes = [
            models.Index(fields=["authority", "status"], name="green_item_authority_status"),
            models.Index(fields=["status", "deadline"], name="green_item_status_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_type.name}（{self.authority.name}）"


class ItemEvent(models.Model):
    """The item's timeline after filing: 补正 supplied (with files), and every transition's note."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=16, choices=EventAction.choices)
    text = models.TextField(_("内容"), blank=True)
    files = models.ManyToManyField(Attachment, blank=True, related_name="+", verbose_name=_("材料"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = _("事项办理记录")


class JointReview(models.Model):
    """联审会: a meeting on a request's items that need several authorities, with a conclusion per item."""

    request = models.ForeignKey(GreenRequest, models.CASCADE, related_name="reviews")
    held_on = models.DateField(_("会议日期"))
    convener = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name=_("召集单位"))
    attendees = models.TextField(_("参会单位及人员"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = verbose_name_plural = _("联审会")


class Conclusion(models.Model):
    review = models.ForeignKey(JointReview, models.CASCADE, related_name="conclusions")
    item = models.ForeignKey(Item, models.CASCADE, related_name="conclusions")
    text = models.TextField(_("会议结论"))

    class Meta:
        ordering = ["review", "item"]
        verbose_name = verbose_name_plural = _("联审结论")
        constraints = [models.UniqueConstraint(fields=["review", "item"], name="green_conclusion_unique")]
