"""Tip-offs (线索举报, issue 9 §2): what a citizen reports of a half-built work on the public portal, its photos,
and the moderators' answer. Nothing a reporter writes is public; the tracking page shows the status and the
public answer only (views_public.track)."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from halfbuilt.core import pii
from halfbuilt.core.fields import EncryptedCharField
from halfbuilt.ledger.models import Kind, Project
from halfbuilt.regions.models import Region

from .scope import TipOffQuerySet


class TipOffStatus(models.TextChoices):
    RECEIVED = "received", _("待处理")
    ACCEPTED = "accepted", _("已受理（新增待核实项目）")
    LINKED = "linked", _("已受理（关联已有项目）")
    REJECTED = "rejected", _("不予受理")


def new_code() -> str:
    """The reporter's tracking code: unguessable (96 random bits), URL-safe."""
    return secrets.token_urlsafe(12)


# The reporter's contact (personal information, core/pii.py kinds): shown to moderators masked, in full on request
# with each view logged (services.reveal_contact); registered with the audit app as personal keys.
PERSONAL = {"reporter_name": pii.NAME, "reporter_phone": pii.PHONE}


class TipOff(models.Model):
    code = models.CharField(_("查询码"), max_length=32, unique=True, default=new_code, editable=False)
    what = models.CharField(_("工程名称或描述"), max_length=200)
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("所在地区"))
    # The league of the place (moderation is by region: a league's government sees its counties' tip-offs).
    prefecture = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("所属盟市"))
    address = models.CharField(_("详细地址"), max_length=200, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("情况描述"))
    reporter_name = EncryptedCharField(_("反映人姓名"), max_length=50, blank=True)
    reporter_phone = EncryptedCharField(_("联系电话"), max_length=20, blank=True)
    # The project the reporter came from (the project page's link), a hint for the moderator.
    suggested_project = models.ForeignKey(Project, models.SET_NULL, null=True, blank=True, related_name="+",
                                          verbose_name=_("反映的项目"))
    status = models.CharField(_("状态"), max_length=16, choices=TipOffStatus.choices, default=TipOffStatus.RECEIVED)
    project = models.ForeignKey(Project, models.PROTECT, null=True, blank=True, related_name="tipoffs",
                                verbose_name=_("受理项目"))
    public_answer = models.TextField(_("答复"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("反映时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = TipOffQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = _("线索举报")
        indexes = [models.Index(fields=["status", "prefecture", "region"], name="tipoff_status_region")]

    def __str__(self) -> str:
        return self.what


class TipOffPhoto(models.Model):
    """A reporter's photo, checked like an attachment (files/checks.py) and stored re-encoded without EXIF;
    its GPS position and time taken are kept as data. Seen by moderators only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tipoff = models.ForeignKey(TipOff, models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="tipoffs/%Y/%m/", max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    gps_latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    gps_longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)

    class Meta:
        ordering = ["original_name"]
        verbose_name = verbose_name_plural = _("线索照片")
