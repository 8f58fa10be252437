"""通报 (circulars): the office's periodic notice with its rankings of leagues/cities and departments. The text is
the office's; the figures are computed (a draft's live, a published one's frozen in `figures`)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.models import Organization

from .scope import CircularQuerySet
from .states import CircularStatus, PeriodKind

__all__ = ["Circular", "CircularStatus", "PeriodKind"]


class Circular(models.Model):
    issuer_org = models.ForeignKey(Organization, models.PROTECT, related_name="circulars_issued",
                                   verbose_name=_("发文单位"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("起草人"))
    period_kind = models.CharField(_("通报期间"), max_length=8, choices=PeriodKind.choices)
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("截止日期"))
    title = models.CharField(_("标题"), max_length=200)
    opening = models.TextField(_("开头"))
    findings = models.TextField(_("主要情况"))
    requirements = models.TextField(_("工作要求"))
    top_n = models.PositiveSmallIntegerField(_("红黑榜名额"), default=3)
    ranking = models.CharField(_("红黑榜排名指标"), max_length=20, default="rate")
    addressees = models.ManyToManyField(Organization, related_name="circulars_received", verbose_name=_("主送"))
    # 公开: kept for the public portal of a later issue (no public page reads it yet).
    public = models.BooleanField(_("公开"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=CircularStatus.choices, default=CircularStatus.DRAFT)
    year = models.PositiveIntegerField(_("年度"), null=True, blank=True)
    number = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    doc_no = models.CharField(_("文号"), max_length=60, blank=True)
    # The figures as published (figures.compute's shape); empty for a draft, whose figures are computed live.
    figures = models.JSONField(_("通报数据"), encoder=DjangoJSONEncoder, default=dict, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("签发人"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CircularQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = _("通报")
        constraints = [
            models.UniqueConstraint(fields=["issuer_org", "year", "number"], name="circular_number_unique",
                                    condition=models.Q(number__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.doc_no or self.title

    @property
    def is_draft(self) -> bool:
        return self.status == CircularStatus.DRAFT
