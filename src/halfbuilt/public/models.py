"""What the office and the regions make public beyond the ledger's own facts: photos released after review,
挂牌督办 marked public, and the news and 盘活案例 stories the office writes. Whether a project itself is public is
no flag: it follows from its status (see selectors.public_projects)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from halfbuilt.files.models import Attachment
from halfbuilt.ledger.models import Project
from halfbuilt.supervision.orders.models import SupervisionOrder


class PublishedPhoto(models.Model):
    """A project photo released to the portal after review (its EXIF was stripped when it was stored)."""

    attachment = models.OneToOneField(Attachment, models.CASCADE, related_name="publication", verbose_name=_("照片"))
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("公开时间"), auto_now_add=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = verbose_name_plural = _("公开照片")


class PublishedOrder(models.Model):
    """A 挂牌督办 the office marked public: its number, project, reason and status appear on the portal."""

    order = models.OneToOneField(SupervisionOrder, models.CASCADE, related_name="publication",
                                 verbose_name=_("督办"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("公开时间"), auto_now_add=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = verbose_name_plural = _("公开督办")


class StoryKind(models.TextChoices):
    NEWS = "news", _("工作动态")
    CASE = "case", _("盘活案例")


class Story(models.Model):
    """News of the campaign, or a before/after story of a revitalised project (盘活案例), written by the office."""

    kind = models.CharField(_("栏目"), max_length=8, choices=StoryKind.choices)
    title = models.CharField(_("标题"), max_length=120)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = models.TextField(_("正文"))
    project = models.ForeignKey(Project, models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("相关项目"))
    before_photo = models.ForeignKey(Attachment, models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("处置前照片"))
    after_photo = models.ForeignKey(Attachment, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("处置后照片"))
    published = models.BooleanField(_("已发布"), default=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = verbose_name_plural = _("新闻与案例")
        indexes = [models.Index(fields=["published", "kind", "published_at"], name="story_published_kind")]

    def __str__(self) -> str:
        return self.title
