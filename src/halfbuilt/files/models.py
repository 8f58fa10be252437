"""Attachments: evidence, photos and documents of plans, progress reports, closure requests and 督办 replies.

Validation (type and size limits, content sniffing, zip-bomb limits, EXIF stripping) lives in
`files/services.py`; nothing is stored before it passes.
"""

import uuid

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.scope import ProjectScopedQuerySet
from halfbuilt.ledger.models import Project

from . import owners


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    EVIDENCE = "evidence", _("证明材料")
    DOCUMENT = "document", _("文件")


class AttachmentQuerySet(ProjectScopedQuerySet):
    def restrict(self, user, action: str = "view") -> "AttachmentQuerySet":
        """The one selector for attachments: those of the projects `user` may `action`, and, to view, those without
        a project that a registered owner grants (owners.py; default deny)."""
        projects = apps.get_model("ledger", "Project").objects.restrict(user, action).values("pk")
        seen = Q(project__in=projects)
        return self.filter((seen | owners.claimed_by_owners(user)) if action == "view" else seen)


class Attachment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Visibility follows the project: whoever may see the project may see its attachments. Without a project
    # (the evidence of a 督办 on an organisation), the aggregate it belongs to says who sees it, through the
    # owners of files/owners.py; one that no owner claims is seen by nobody (AttachmentQuerySet.restrict).
    project = models.ForeignKey(Project, models.PROTECT, null=True, blank=True, related_name="attachments")
    kind = models.CharField(_("类别"), max_length=16, choices=AttachmentKind.choices)
    file = models.FileField(_("文件"), upload_to="attachments/%Y/%m/", max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    # Taken from a photo's EXIF before the EXIF is stripped from the stored file.
    gps_latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    gps_longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name
