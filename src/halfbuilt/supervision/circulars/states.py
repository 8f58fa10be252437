"""The states of a 通报 (the kernel's table is workflow.py): a draft, edited by the office, then published and
final (no withdrawal)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CircularStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    CUSTOM = "custom", _("自定义期间")
