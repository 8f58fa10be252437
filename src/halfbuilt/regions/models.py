"""Reference data: regions (GB/T 2260 tree), categories of the work plan's scope, competent departments.

Loaded from CSV files (see `loader.py`), so another province runs its own campaign from data alone.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    PREFECTURE = "prefecture", _("盟市")
    COUNTY = "county", _("旗县区")


class Region(models.Model):
    code = models.CharField(_("行政区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    level = models.CharField(_("层级"), max_length=16, choices=RegionLevel.choices)
    kind = models.CharField(_("类型"), max_length=16, blank=True)
    # Statistical development-zone codes (x7x): not GB/T 2260, but projects in those zones use them.
    is_functional_zone = models.BooleanField(_("功能区"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.name

    @property
    def prefecture(self) -> "Region | None":
        """The league/city a region belongs to (itself for a league/city; None for the province)."""
        if self.level == RegionLevel.PREFECTURE:
            return self
        if self.level == RegionLevel.COUNTY:
            return self.parent
        return None

    @property
    def full_name(self) -> str:
        if self.level == RegionLevel.COUNTY and self.parent_id:
            return f"{self.parent.name}{self.name}"
        return self.name


class Department(models.Model):
    """A competent department line (行业主管部门), e.g. JYT = education, at every level of government."""

    code = models.CharField(_("代码"), max_length=16, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    covers = models.CharField(_("主管范围"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = _("行业主管部门")

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        for prefix in ("内蒙古自治区",):
            if self.name.startswith(prefix):
                return self.name[len(prefix):]
        return self.name


class Category(models.Model):
    code = models.CharField(_("类别代码"), max_length=8, primary_key=True)
    group = models.CharField(_("大类"), max_length=32)
    name = models.CharField(_("类别"), max_length=32)
    examples = models.CharField(_("包括"), max_length=300, blank=True)
    default_department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="default_for",
        verbose_name=_("默认主管部门"),
    )
    departments = models.ManyToManyField(Department, related_name="categories", blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = _("项目类别")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
