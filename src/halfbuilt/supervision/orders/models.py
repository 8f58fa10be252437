"""督办 (supervision orders): one order on a project, or on an organisation for its projects, with its reply
deadline, its addressee, the replies and returns
of its timeline (the 文号 counter is the shared `halfbuilt.numbering`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.models import Organization
from halfbuilt.core.ids import opaque_id
from halfbuilt.files.models import Attachment
from halfbuilt.ledger.models import Project

from .scope import OrderQuerySet
from .states import AWAITING_REPLY, OrderStatus

__all__ = ["AWAITING_REPLY", "OrderStatus", "SupervisionOrder", "OrderEvent", "EventKind"]


class SupervisionOrder(models.Model):
    # On a project, or (project null) on `subject` — a league, county or department — for its projects.
    id = opaque_id()
    project = models.ForeignKey(Project, models.PROTECT, null=True, blank=True, related_name="supervision_orders")
    subject = models.ForeignKey(Organization, models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("督办对象"))
    issuer_org = models.ForeignKey(Organization, models.PROTECT, related_name="orders_issued",
                                   verbose_name=_("督办单位"))
    addressee = models.ForeignKey(Organization, models.PROTECT, related_name="orders_received", verbose_name=_("主送"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("签发人"))
    year = models.PositiveIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("序号"))
    doc_no = models.CharField(_("文号"), max_length=60)
    reason = models.TextField(_("督办事由"))
    requirements = models.TextField(_("工作要求"))
    issued_on = models.DateField(_("督办日期"))
    deadline = models.DateField(_("回复期限"))
    deadline_workdays = models.PositiveIntegerField(_("回复期限（工作日）"))
    # 挂牌: shown on the dashboard and, once the public portal exists, publicly (docs/orders.md).
    listed = models.BooleanField(_("挂牌"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.ISSUED)
    replied_at = models.DateTimeField(_("最近回复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.CharField(_("办结人"), max_length=150, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        get_latest_by = "created_at"
        verbose_name = verbose_name_plural = _("督办")
        indexes = [
            models.Index(fields=["status", "deadline"], name="order_status_deadline"),
            models.Index(fields=["addressee", "status"], name="order_addressee_status"),
            models.Index(fields=["issuer_org", "status"], name="order_issuer_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["issuer_org", "year", "number"], name="order_number_unique"),
            models.CheckConstraint(
                condition=models.Q(project__isnull=False) | models.Q(subject__isnull=False), name="order_has_target",
            ),
        ]

    def __str__(self) -> str:
        return self.doc_no

    @property
    def target_name(self) -> str:
        return self.project.name if self.project_id else self.subject.name

    @property
    def is_overdue(self) -> bool:
        return self.status in AWAITING_REPLY and self.deadline < timezone.localdate()


class EventKind(models.TextChoices):
    REPLY = "reply", _("回复")
    RETURN = "return", _("退回")
    ACCEPT = "accept", _("办结")


class OrderEvent(models.Model):
    """One step of an order's timeline after its issue: a reply (measures and evidence), a return, the close."""

    order = models.ForeignKey(SupervisionOrder, models.CASCADE, related_name="events")
    kind = models.CharField(_("类别"), max_length=16, choices=EventKind.choices)
    text = models.TextField(_("内容"), blank=True)
    evidence = models.ManyToManyField(Attachment, related_name="+", verbose_name=_("证明材料"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    late = models.BooleanField(_("逾期回复"), default=False)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = _("督办记录")

