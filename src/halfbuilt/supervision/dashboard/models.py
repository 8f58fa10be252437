"""The cube: counts and sums of projects by the dashboard's dimensions, and the cells each project is counted in.

A project is counted in one cell per grain: `main` (its scope, kind, status, stage, method, outcome and light),
`entered` (its scope, status and the month it was registered) and `closed` (its scope, status and the month it
was closed, for a closed project only), the same three without the county-level region (`lmain` …), and, for
whoever sees every unclassified project, province-level grains with no region, league or department, or only one
of the last two (`pentered`, `pclosed`, `pmain`, `pleague`, `pdept`).
`ProjectCells` keeps, per project, those keys and the sums it contributed, so a change is an exact delta: the
old cells lose what the project gave them, the new ones gain it. See docs/dashboard.md.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grain(models.TextChoices):
    MAIN = "main", _("台账构成")
    ENTERED = "entered", _("按登记月份")
    CLOSED = "closed", _("按销号月份")
    # The same without the county-level region: far fewer cells for whoever sees whole leagues (the office, a
    # league, a department above the counties); a county reads the grains above.
    LEAGUE_MAIN = "lmain", _("台账构成（盟市）")
    LEAGUE_ENTERED = "lentered", _("按登记月份（盟市）")
    LEAGUE_CLOSED = "lclosed", _("按销号月份（盟市）")
    # The month grains with nothing of the scope but classified and status: the trend of whoever sees every
    # unclassified project (the office) from a few hundred cells instead of the league level's tens of thousands.
    PROVINCE_ENTERED = "pentered", _("按登记月份（全区）")
    PROVINCE_CLOSED = "pclosed", _("按销号月份（全区）")
    # The office's main figures, likewise: the composition (no league or department), the league rows (no
    # department, kind or method) and the department rows (no league, kind or method), a few hundred cells in all
    # instead of the league level's thousands.
    PROVINCE_MAIN = "pmain", _("台账构成（全区）")
    PROVINCE_LEAGUES = "pleague", _("各盟市（全区）")
    PROVINCE_DEPARTMENTS = "pdept", _("各部门（全区）")


class Cell(models.Model):
    # The dimensions joined into one text, so NULLs (待指定, no league) need no special unique index.
    key = models.CharField(max_length=200, unique=True)
    grain = models.CharField(max_length=8, choices=Grain.choices)
    # Named as the project's columns, so the scope's Q (accounts.scope.project_filter) applies as it stands.
    region_id = models.CharField(max_length=12)
    prefecture_id = models.CharField(max_length=12, null=True)
    department_id = models.CharField(max_length=16, null=True)
    classified = models.BooleanField()
    status = models.CharField(max_length=16)
    kind = models.CharField(max_length=16, blank=True)
    stage = models.CharField(max_length=16, blank=True)
    method = models.CharField(max_length=16, blank=True)  # "" no plan yet
    outcome = models.CharField(max_length=16, blank=True)  # the closure's outcome, for a closed project
    light = models.CharField(max_length=8, blank=True)
    month = models.CharField(max_length=7, blank=True)  # YYYY-MM of the grain's event (entered / closed)
    n = models.BigIntegerField(default=0)
    total = models.DecimalField(max_digits=20, decimal_places=4, default=0)
    completed = models.DecimalField(max_digits=20, decimal_places=4, default=0)
    needed = models.DecimalField(max_digits=20, decimal_places=4, default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("调度汇总")
        indexes = [
            models.Index(fields=["grain", "prefecture_id"], name="dashboard_cell_grain_pref"),
            models.Index(fields=["grain", "department_id"], name="dashboard_cell_grain_dept"),
        ]


class ProjectCells(models.Model):
    """The cells one project is counted in, and what it adds to each (its sums)."""

    project_id = models.BigIntegerField(primary_key=True)
    keys = models.TextField(blank=True)  # one line per cell
    total = models.DecimalField(max_digits=16, decimal_places=4, default=0)
    completed = models.DecimalField(max_digits=16, decimal_places=4, default=0)
    needed = models.DecimalField(max_digits=16, decimal_places=4, default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("项目所在汇总格")
