"""The lights' storage, shaped for a million projects: one row per lit project (its colour, indexed for the list's
filter), one row per (project, reason) (indexed by reason for the other filter), the history of colour changes,
and the office's thresholds (one settings row)."""

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.scope import project_scoped
from halfbuilt.ledger.models import Project


class Colour(models.IntegerChoices):
    """Ordered: a light takes the most severe colour among its reasons; green has no reason."""

    GREEN = 1, _("绿灯")
    YELLOW = 2, _("黄灯")
    RED = 3, _("红灯")


# The colours' names in addresses (?light=red) and CSS classes.
COLOUR_SLUGS = {Colour.GREEN: "green", Colour.YELLOW: "yellow", Colour.RED: "red"}
# The Inner Mongolia plan phase (方案阶段): plans drawn up 2022-09-01..10-31 (docs/lights.md).
PLAN_PHASE_END = dt.date(2022, 10, 31)


class LightSettings(models.Model):
    """The office's rules (a singleton, pk 1): thresholds as data. Edited by `services.update_settings` only."""

    behind_yellow_points = models.DecimalField(
        _("进度落后黄灯（百分点）"), max_digits=5, decimal_places=2, default=Decimal(10),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    behind_red_points = models.DecimalField(
        _("进度落后红灯（超过百分点）"), max_digits=5, decimal_places=2, default=Decimal(30),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    missing_yellow_months = models.PositiveSmallIntegerField(
        _("缺报黄灯（月）"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    missing_red_months = models.PositiveSmallIntegerField(
        _("缺报红灯（月）"), default=3, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    review_wait_days = models.PositiveSmallIntegerField(
        _("审核等待上限（天）"), default=15, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    plan_draft_by = models.DateField(_("方案制定截止日期"), default=PLAN_PHASE_END)
    plan_confirm_by = models.DateField(_("方案确认截止日期"), default=PLAN_PHASE_END)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("预警规则")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "LightSettings":
        """The rules in force (the defaults until the office edits them)."""
        return cls.objects.get_or_create(pk=1)[0]


class Light(models.Model):
    """A project's light now. Only projects in the ledger and not closed have one (docs/lights.md)."""

    project = models.OneToOneField(Project, models.CASCADE, primary_key=True, related_name="light")
    colour = models.PositiveSmallIntegerField(_("亮灯"), choices=Colour.choices)
    # The reasons as a bit set (reasons.Reason.bit): compared in SQL to write only lights that changed.
    reasons = models.BigIntegerField(_("原因"), default=0)
    since = models.DateTimeField(_("亮灯时间"))
    # The project's created_at, copied when the light is first written (a project's never changes): the ledger's
    # newest-first order, so the list filtered by colour walks this table's index in that order instead of
    # probing every newer project for its light (ids are random, so the project id no longer orders by time).
    project_created_at = models.DateTimeField(_("项目创建时间"), null=True)

    objects = project_scoped("project")

    class Meta:
        verbose_name = verbose_name_plural = _("预警亮灯")
        # The list filtered by colour walks this index newest project first (docs/lights.md).
        indexes = [models.Index(fields=["colour", "project_created_at", "project"], name="light_colour_newest")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_colour_display()}"

    def save(self, *args, **kwargs) -> None:
        # The recompute writes lights in SQL with the copy; a light saved one by one (tests, the shell) takes it here.
        if self.project_created_at is None:
            self.project_created_at = Project.objects.filter(pk=self.project_id).values_list(
                "created_at", flat=True).first()
        super().save(*args, **kwargs)

    @property
    def slug(self) -> str:
        return COLOUR_SLUGS[Colour(self.colour)]


class LightReason(models.Model):
    """One reason of one project's light: the row the list's reason filter finds by its index."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="light_reasons", db_index=False)
    code = models.CharField(_("原因代码"), max_length=40)

    objects = project_scoped("project")

    class Meta:
        verbose_name = verbose_name_plural = _("亮灯原因")
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="light_reason_once")]
        indexes = [models.Index(fields=["code", "project"], name="light_reason_code_project")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.code}"


class LightChange(models.Model):
    """A change of colour (None: no light, before the first or after closure), with the reasons it had then."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="light_changes", db_index=False)
    from_colour = models.PositiveSmallIntegerField(_("原亮灯"), choices=Colour.choices, null=True)
    to_colour = models.PositiveSmallIntegerField(_("新亮灯"), choices=Colour.choices, null=True)
    reasons = models.BigIntegerField(_("原因"), default=0)
    at = models.DateTimeField(_("时间"))

    objects = project_scoped("project")

    class Meta:
        verbose_name = verbose_name_plural = _("亮灯变化")
        indexes = [models.Index(fields=["project", "at"], name="light_change_project_at")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.from_colour}→{self.to_colour}"
