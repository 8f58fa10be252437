"""A notification in a user's inbox, its deliveries by e-mail and SMS, and the user's choice of channels."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from halfbuilt.core.ids import opaque_id
from halfbuilt.ledger.models import Project


class NotificationQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view") -> "NotificationQuerySet":
        """A user sees their own notifications only, and of those about a project only while they may see the
        project (a project made classified since drops out of the inbox)."""
        if user is None or not user.is_authenticated:
            return self.none()
        # EXISTS, one index probe per notification: `project IN (the user's projects)` made PostgreSQL read
        # every project in the scope (3 s for the office's bell at 1,000,000 projects).
        visible = Project.objects.restrict(user).filter(pk=OuterRef("project_id"))
        return self.filter(Q(project__isnull=True) | Exists(visible), recipient=user)


class Notification(models.Model):
    id = opaque_id()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications")
    event = models.CharField(_("事件"), max_length=32)  # a key of events.EVENTS
    key = models.CharField(_("对象"), max_length=200)  # what it is about, e.g. plan:42:return
    day = models.DateField(_("日期"))  # local date: the same event and key reaches a user at most once a day
    title = models.CharField(_("标题"), max_length=200)
    detail = models.TextField(_("说明"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    project = models.ForeignKey(Project, models.CASCADE, null=True, blank=True, related_name="+")
    actor_name = models.CharField(_("发送人"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event", "key", "day"], name="notification_once_a_day"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.key} → {self.recipient_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败，待重试")
    GAVE_UP = "gave_up", _("多次失败，已放弃")


class Delivery(models.Model):
    """One notification by one channel outside the database (e-mail, SMS): sent by the worker after commit,
    retried by it when it fails."""

    notification = models.ForeignKey(Notification, models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=8)
    address = models.CharField(_("地址"), max_length=254)  # the e-mail address or phone number when it was made
    status = models.CharField(_("状态"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("通知发送")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]


class Preference(models.Model):
    """A user's channels for one event; without a row, the event table's defaults apply."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_preferences")
    event = models.CharField(_("事件"), max_length=32)
    email = models.BooleanField(_("电子邮件"))
    sms = models.BooleanField(_("短信"))

    class Meta:
        verbose_name = verbose_name_plural = _("通知偏好")
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="notification_preference_unique")]
