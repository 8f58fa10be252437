"""The ledger (台账): one row per half-built project, with the data dictionary of docs/api.md."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.models import Organization
from halfbuilt.accounts.scope import project_filter
from halfbuilt.core.fields import EncryptedCharField, MoneyField, PartialDateField
from halfbuilt.core.ids import opaque_id
from halfbuilt.regions.models import Category, Department, Region


class Kind(models.TextChoices):
    STALLED = "stalled", _("未完工停建")
    IDLE = "idle", _("已竣工未投用")


class ApprovalLevel(models.TextChoices):
    REGION = "region", _("自治区")
    PREFECTURE = "prefecture", _("盟市")
    COUNTY = "county", _("旗县")


class Status(models.TextChoices):
    CANDIDATE = "candidate", _("待核实")
    IN_LEDGER = "in_ledger", _("已入账")
    REJECTED = "rejected", _("不予认定")
    VOIDED = "voided", _("已作废")


class Stage(models.TextChoices):
    """Where a project in the ledger stands in disposal (分类处置); the survey status stays in `status`."""

    NONE = "", _("未开始处置")
    PLANNING = "planning", _("制定方案")
    DISPOSING = "disposing", _("处置中")
    CLOSING = "closing", _("销号审核中")
    CLOSED = "closed", _("已销号")


class ProjectQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view") -> "ProjectQuerySet":
        """The one choke point for visibility: see `halfbuilt.accounts.scope`."""
        return self.filter(project_filter(user, action))

    def permits(self, user, action: str, project: "Project | int") -> bool:
        pk = project if isinstance(project, int) else project.pk
        return action in self.permitted_actions(user, pk, {action})

    def permitted_actions(self, user, pk: int, actions: set[str]) -> set[str]:
        """Which of `actions` the user may take on project `pk`: one query, whatever their number."""
        flags = {}
        for action in sorted(actions):
            condition = project_filter(user, action)
            # An empty Q is "every row" (the office, a province-wide department): no CASE needed.
            flags[f"may_{action}"] = Value(True) if not condition else Case(
                When(condition, then=Value(True)), default=Value(False), output_field=models.BooleanField()
            )
        row = self.filter(pk=pk).values(**flags).first() if flags else None
        return {action for action in actions if row and row[f"may_{action}"]}

    def lock_for(self, user, action: str, pk: int) -> "Project | None":
        """The project row locked for a write (SELECT … FOR UPDATE), or None when `user` may not `action` it."""
        return self.restrict(user, action).select_for_update().filter(pk=pk).first()


class Project(models.Model):
    # Unique through Meta.constraints rather than unique=True, which would add a second (LIKE) index.
    id = opaque_id()
    ledger_no = models.CharField(_("台账编号"), max_length=32)
    project_code = models.CharField(_("项目代码"), max_length=24, blank=True)
    name = models.CharField(_("项目名称"), max_length=200)
    # Foreign keys are indexed by the composite indexes in Meta (their leading column): every extra index
    # costs each imported row a B-tree insert, and the 100,000-row import is measured against COPY.
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="projects", verbose_name=_("所在地区"), db_index=False
    )
    # Denormalised league/city of `region` (itself for 市本级), so scope and filters need no join. Derived from
    # `region` by the services and the importer, so the database does not check it again (that check cost
    # every imported row; `region` itself is checked).
    prefecture = models.ForeignKey(
        Region, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("所属盟市"), db_index=False,
        db_constraint=False,
    )
    address = models.CharField(_("建设地点"), max_length=200, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    category = models.ForeignKey(
        Category, models.PROTECT, related_name="projects", verbose_name=_("项目类别"), db_index=False
    )
    # Null means 待指定: the category has no single default and the office must assign one.
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="projects", verbose_name=_("行业主管部门"),
        db_index=False,
    )
    approval_level = models.CharField(_("审批层级"), max_length=16, choices=ApprovalLevel.choices, blank=True)
    approval_date = PartialDateField(_("审批时间"))
    approval_doc = models.CharField(_("审批文号"), max_length=100, blank=True)
    # 影响较大: brings a project outside the campaign's scope rule (other years, county approval) into it, with
    # the reason why (see ledger/coverage.py).
    high_impact = models.BooleanField(_("影响较大"), default=False)
    high_impact_reason = models.CharField(_("影响较大的理由"), max_length=500, blank=True)
    owner_unit = models.CharField(_("项目（建设）单位"), max_length=100, blank=True)
    owner_uscc = models.CharField(_("建设单位统一社会信用代码"), max_length=18, blank=True)
    content = models.TextField(_("建设内容及规模"), blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    total_investment = MoneyField(_("总投资（万元）"))
    completed_investment = MoneyField(_("已完成投资（万元）"))
    funds_in_place = MoneyField(_("到位资金（万元）"))
    unpaid_amount = MoneyField(_("欠付资金（万元）"))
    start_date = PartialDateField(_("开工时间"))
    stop_date = PartialDateField(_("停工时间"))
    completion_date = PartialDateField(_("竣工时间"))
    causes = models.TextField(_("停建或未投用原因"), blank=True)
    responsible_unit = models.CharField(_("责任单位"), max_length=100, blank=True)
    responsible_org = models.ForeignKey(
        Organization, models.PROTECT, null=True, blank=True, related_name="projects",
        verbose_name=_("责任单位（组织）"), db_index=False,
    )
    responsible_person = EncryptedCharField(_("责任人"), max_length=50, blank=True)
    phone = EncryptedCharField(_("联系电话"), max_length=30, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.CANDIDATE)
    classified = models.BooleanField(_("涉密"), default=False)
    stage = models.CharField(_("处置阶段"), max_length=16, choices=Stage.choices, blank=True, default=Stage.NONE)
    status_reason = models.CharField(_("状态说明"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        # Newest first; ids are random (core/ids.py), so the time orders and the id only breaks ties.
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        verbose_name = verbose_name_plural = _("项目")
        indexes = [
            # `classified` and the order trail so the office's list (NOT classified, newest first) is an index-only
            # scan, deep pages included: 365 ms → 1 ms for page 100 of a league at 1M rows (docs/performance.md).
            models.Index(fields=["prefecture", "status", "classified", "created_at", "id"],
                         name="project_pref_status_cls"),
            # The unfiltered list, newest first (the office's first page): read backwards, no sort of every row.
            models.Index(fields=["created_at", "id"], name="project_newest"),
            models.Index(fields=["department", "prefecture"], name="project_dept_pref"),
            # One index for category filters, with or without kind (each index costs the import ~0.3 s/100k rows).
            models.Index(fields=["category", "kind", "classified", "created_at", "id"], name="project_cat_kind_cls"),
            models.Index(fields=["responsible_org"], name="project_resp_org"),
            models.Index(fields=["approval_date"], name="project_approval_date"),
            models.Index(fields=["total_investment"], name="project_total_inv"),
            # Serves a county's list too (region first), and the importer's match by region + name.
            models.Index(fields=["region", "name"], name="project_region_name"),
            # Not unique: a 项目代码 held by a project the submitter cannot see must answer as unused (nothing
            # may show that a classified project exists); the clash goes to those who see both (codes.py).
            models.Index(fields=["project_code"], condition=~Q(project_code=""), name="project_code_lookup"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_investment__gte=0) | Q(total_investment__isnull=True), name="project_total_ge_0"
            ),
            models.CheckConstraint(
                condition=Q(completed_investment__gte=0) | Q(completed_investment__isnull=True),
                name="project_completed_ge_0",
            ),
            models.CheckConstraint(
                condition=Q(completed_investment__lte=models.F("total_investment"))
                | Q(completed_investment__isnull=True)
                | Q(total_investment__isnull=True),
                name="project_completed_le_total",
            ),
            models.UniqueConstraint(fields=["ledger_no"], name="project_ledger_no_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def completion_ratio(self) -> Decimal | None:
        if self.total_investment and self.completed_investment is not None:
            return (self.completed_investment / self.total_investment * 100).quantize(Decimal("0.1"))
        return None


class ImportJobQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view") -> "ImportJobQuerySet":
        """An import is its uploader's own work: nobody else sees its file, its rows or its errors."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class ImportJob(models.Model):
    """One uploaded county spreadsheet: analysed into a plan, previewed, then applied all or nothing."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        ANALYSING = "analysing", _("正在检查")
        READY = "ready", _("待确认")
        INVALID = "invalid", _("有错误")
        APPLYING = "applying", _("正在导入")
        DONE = "done", _("已导入")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="import_jobs")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("填报地区"))
    ip = models.GenericIPAddressField(_("上传地址"), null=True, blank=True)
    # Relative to MEDIA_ROOT, e.g. "imports/<uuid>.xlsx".
    file = models.CharField(_("文件"), max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    status = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    # {"rows", "created", "updated", "unchanged", "errors": [...], "warnings": [...]} of the last analysis or apply.
    result = models.JSONField(_("结果"), encoder=DjangoJSONEncoder, default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = _("导入任务")

    def __str__(self) -> str:
        return self.original_name

    @property
    def running(self) -> bool:
        return self.status in (self.State.QUEUED, self.State.ANALYSING, self.State.APPLYING)
