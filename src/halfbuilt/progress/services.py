"""按月报送: which projects report for a month, the prefilled form, saving and submitting a report, the
roll-up figures of a region or department and submitting its roll-up. All writes are here.

Who must report for month P (documented in docs/progress.md): a project in the ledger (`in_ledger`) that
 - is in disposal now (stage 处置中 or 销号审核中) and whose plan was drafted before P ended (a project
   without a plan counts from any month), or
 - has a submitted report for P, whatever its stage now (a project closed since still counts for the months
   it reported).
Due date: `PROGRESS_DUE_DAY` of the month after P. Late: submitted after the due day (local date). Missing:
the due day has passed and nothing is submitted (a draft does not count). A submitted report is final.
"""

import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, F, FilteredRelation, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts.models import Organization
from halfbuilt.audit.services import record_change
from halfbuilt.core import inputs
from halfbuilt.core.errors import ConflictError, NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.disposal.models import Milestone
from halfbuilt.files.services import StoredFiles
from halfbuilt.ledger.models import Project, Stage, Status
from halfbuilt.ledger.rules import parse_money

from . import periods
from .models import ProgressReport, ReportStatus, Rollup
from .orgs import org_projects_q, rollup_organizations

REPORTING_STAGES = (Stage.DISPOSING, Stage.CLOSING)
SUBMITTED = ReportStatus.SUBMITTED
ZERO = Decimal(0)
PERCENT_QUANT = Decimal("0.01")
TEXT_LIMITS = {"progress": 5000, "problems": 5000, "suggestions": 5000, "adjustment_reason": 500}
LABELS = {
    "period": gettext_lazy("月份"), "progress": gettext_lazy("本月进展"),
    "physical_progress": gettext_lazy("形象进度（%）"),
    "investment_month": gettext_lazy("本月完成投资（万元）"),
    "investment_cumulative": gettext_lazy("累计完成投资（万元）"),
    "new_funds": gettext_lazy("新增到位资金（万元）"), "milestones_met": gettext_lazy("本月完成节点"),
    "problems": gettext_lazy("存在问题"),
    "suggestions": gettext_lazy("工作建议"), "adjustment_reason": gettext_lazy("调整说明"),
    "photos": gettext_lazy("照片"),
}
# Row states of a project for a month, as the queue and the spreadsheet show them.
STATE_LABELS = {
    "on_time": gettext_lazy("按时报送"), "late": gettext_lazy("逾期报送"), "draft": gettext_lazy("草稿"),
    "pending": gettext_lazy("待报送"), "missing": gettext_lazy("逾期未报"),
}


# --- which projects report -------------------------------------------------------------------------------

def with_period_report(queryset: QuerySet, period: str) -> QuerySet:
    """Join each project's report of `period` (at most one: unique per project and month) as `rep`."""
    return queryset.annotate(rep=FilteredRelation("progress_reports", condition=Q(progress_reports__period=period)))


def due_q(period: str) -> Q:
    """Projects that must report for `period`; use on a queryset from `with_period_report`."""
    plan_started = Q(plan__isnull=True) | Q(plan__created_at__lt=periods.period_end(period))
    in_disposal = Q(stage__in=REPORTING_STAGES) & plan_started
    return Q(status=Status.IN_LEDGER) & (in_disposal | Q(rep__status=SUBMITTED))


def due_projects(queryset: QuerySet, period: str) -> QuerySet:
    return with_period_report(queryset, period).filter(due_q(period))


def report_state(report: ProgressReport | None, period: str, now=None) -> str:
    now = now or timezone.now()
    if report is not None and report.status == SUBMITTED:
        return "late" if report.submitted_at >= periods.late_after(period) else "on_time"
    if now >= periods.late_after(period):
        return "missing"
    return "draft" if report is not None else "pending"


def due_rows(queryset: QuerySet, period: str) -> list[dict]:
    """The projects of `queryset` due for `period`, each with its report (or None) and state."""
    projects = list(
        due_projects(queryset, period).select_related("region__parent").order_by("region_id", "ledger_no")
    )
    reports = {r.project_id: r for r in ProgressReport.objects.filter(project__in=[p.pk for p in projects],
                                                                        period=period)}
    now = timezone.now()
    rows = []
    for project in projects:
        report = reports.get(project.pk)
        state = report_state(report, period, now)
        rows.append({"project": project, "report": report, "state": state, "state_label": str(STATE_LABELS[state])})
    return rows


# --- prefill ----------------------------------------------------------------------------------------------

def previous_report(project: Project, period: str) -> ProgressReport | None:
    """The latest submitted report before `period` (not necessarily last month's, if a month was missed)."""
    return (
        ProgressReport.objects.filter(project=project, period__lt=period, status=SUBMITTED)
        .order_by("-period").first()
    )


def open_milestones(project: Project, period: str) -> list[Milestone]:
    """The plan's milestones due by the end of `period` and not met before it (overdue ones stay listed)."""
    return list(
        Milestone.objects.filter(plan__project=project, due_date__lte=periods.last_day(period))
        .filter(Q(met_date__isnull=True) | Q(met_date__gte=periods.first_day(period)))
        .order_by("due_date", "id")
    )


@dataclass
class Prefill:
    values: dict
    previous: ProgressReport | None
    cumulative_before: Decimal
    milestones: list[Milestone] = field(default_factory=list)
    draft: ProgressReport | None = None


def prefill(project: Project, period: str) -> Prefill:
    """What the form starts with, so people type only what changed: physical progress, problems and
    suggestions carry over from the last submitted report; cumulative investment continues from it (or, for
    the first report, from the ledger's completed investment); this month's amounts start empty (= 0); the
    plan's milestones due this month are listed. A saved draft of the month wins over all of that."""
    previous = previous_report(project, period)
    cumulative_before = _cumulative_before(project, previous)
    values = {
        "progress": "",
        "physical_progress": previous.physical_progress if previous else ZERO,
        "investment_month": None,
        "investment_cumulative": None,
        "new_funds": None,
        "milestones_met": [],
        "problems": previous.problems if previous else "",
        "suggestions": previous.suggestions if previous else "",
        "adjustment_reason": "",
    }
    draft = ProgressReport.objects.filter(project=project, period=period).first()
    if draft is not None:
        values.update(report_values(draft))
        if draft.investment_cumulative == cumulative_before + (draft.investment_month or ZERO):
            values["investment_cumulative"] = None  # computed, not overridden
    return Prefill(values, previous, cumulative_before, open_milestones(project, period), draft)


def _cumulative_before(project: Project, previous: ProgressReport | None) -> Decimal:
    if previous is not None and previous.investment_cumulative is not None:
        return previous.investment_cumulative
    return project.completed_investment or ZERO


def report_values(report: ProgressReport) -> dict:
    return {
        "progress": report.progress,
        "physical_progress": report.physical_progress,
        "investment_month": report.investment_month,
        "investment_cumulative": report.investment_cumulative,
        "new_funds": report.new_funds,
        "milestones_met": [m.pk for m in report.milestones_met.all()],
        "problems": report.problems,
        "suggestions": report.suggestions,
        "adjustment_reason": report.adjustment_reason,
    }


# --- saving and submitting -------------------------------------------------------------------------------

def _money(data: dict, key: str) -> Decimal | None:
    try:
        return parse_money(data.get(key))
    except ValueError as exc:
        raise ServiceError(f"{LABELS[key]}：{exc}", field=key) from exc


def _percent(value: object) -> Decimal:
    text = str(value if value is not None else "").strip().removesuffix("%").strip()
    if not text:
        raise ServiceError(_("请填写形象进度（0–100）"), field="physical_progress")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ServiceError(
            _("形象进度“{text}”不是数字，应为 0–100").format(text=text[:20]), field="physical_progress",
        ) from exc
    if not number.is_finite() or not ZERO <= number <= 100:
        raise ServiceError(_("形象进度应在 0 到 100 之间"), field="physical_progress")
    return number.quantize(PERCENT_QUANT)


def clean_report(data: dict, *, project: Project, period: str, previous: ProgressReport | None,
                 submit: bool) -> dict:
    """Parse and check a report's input; raises ServiceError naming the field. Returns model values."""
    clean: dict = {}
    for key, limit in TEXT_LIMITS.items():
        clean[key] = inputs.text(data.get(key), field=key, label=LABELS[key], limit=limit,
                                 required=submit and key == "progress")
    clean["physical_progress"] = _percent(data.get("physical_progress"))
    reason = clean["adjustment_reason"]
    if previous is not None and clean["physical_progress"] < previous.physical_progress and not reason:
        raise ServiceError(
            _("形象进度 {progress}% 低于上次报送的 {previous}%，如确需下调请在“调整说明”中写明原因").format(
                progress=clean["physical_progress"], previous=previous.physical_progress,
            ), field="physical_progress")
    month = _money(data, "investment_month") or ZERO
    clean["investment_month"] = month
    clean["new_funds"] = _money(data, "new_funds") or ZERO
    expected = _cumulative_before(project, previous) + month
    given = _money(data, "investment_cumulative")
    if given is not None and given != expected and not reason:
        message = _("累计完成投资应为上次累计 {previous} + 本月 {month} = {expected} 万元；"
                    "如需调整请在“调整说明”中写明原因")
        raise ServiceError(message.format(previous=_plain(expected - month), month=_plain(month),
                                          expected=_plain(expected)), field="investment_cumulative")
    clean["investment_cumulative"] = expected if given is None else given
    clean["milestones_met"] = _milestones(data.get("milestones_met") or [], project, period)
    return clean


def _plain(amount: Decimal) -> str:
    return format(amount.normalize(), "f") if amount else "0"


def _milestones(ids, project: Project, period: str) -> list[Milestone]:
    try:
        wanted = {int(i) for i in ids}
    except (TypeError, ValueError) as exc:
        raise ServiceError(_("本月完成节点应为节点编号的列表"), field="milestones_met") from exc
    allowed = {m.pk: m for m in open_milestones(project, period)}
    if unknown := sorted(wanted - set(allowed)):
        raise ServiceError(
            _("节点 {ids} 不是该项目方案中本月到期且尚未完成的节点").format(ids=", ".join(map(str, unknown))),
            field="milestones_met")
    return [allowed[i] for i in sorted(wanted)]


def snapshot(report: ProgressReport) -> dict:
    return {
        "period": report.period,
        "progress": report.progress,
        "physical_progress": str(report.physical_progress),
        "investment_month": _plain(report.investment_month or ZERO),
        "investment_cumulative": _plain(report.investment_cumulative or ZERO),
        "new_funds": _plain(report.new_funds or ZERO),
        "milestones_met": sorted(m.pk for m in report.milestones_met.all()),
        "problems": report.problems,
        "suggestions": report.suggestions,
        "adjustment_reason": report.adjustment_reason,
        "report_status": report.status,
    }


def report_save(*, actor: Actor, project: Project, period: str, data: dict, version: int | None = None,
                photos: list | None = None, photo_ids: list | None = None) -> ProgressReport:
    """Keep a draft of the month's report (the progress text may still be empty)."""
    return _write(actor=actor, project=project, period=period, data=data, version=version, photos=photos,
                  photo_ids=photo_ids, submit=False)


def report_submit(*, actor: Actor, project: Project, period: str, data: dict, version: int | None = None,
                  photos: list | None = None, photo_ids: list | None = None) -> ProgressReport:
    """Submit the month's report (scope action `report`); final once submitted. `photos` are uploads stored
    now, `photo_ids` photos of the project uploaded earlier (the API's way, via /api/v1/files)."""
    return _write(actor=actor, project=project, period=period, data=data, version=version, photos=photos,
                  photo_ids=photo_ids, submit=True)


def _period(value: object) -> str:
    try:
        return periods.parse_period(value)
    except ValueError as exc:
        raise ServiceError(str(exc), field="period") from exc


@transaction.atomic
def _write(*, actor: Actor, project: Project, period: str, data: dict, version: int | None, photos: list | None,
           submit: bool, photo_ids: list | None = None) -> ProgressReport:
    period = _period(period)
    locked = Project.objects.lock_for(actor.user, "report", project.pk)
    if locked is None:
        raise NotAllowed(_("您无权报送该项目的月度进展"))
    if locked.status != Status.IN_LEDGER or locked.stage not in REPORTING_STAGES:
        raise ServiceError(
            _("项目处于“{stage}”阶段，只有处置中的项目按月报送进展").format(stage=locked.get_stage_display()),
        )
    report = ProgressReport.objects.select_for_update().filter(project=locked, period=period).first()
    if report is not None and report.status == SUBMITTED:
        raise ConflictError(
            _("{label}的进展已于 {time} 报送，不能再修改").format(
                label=periods.label(period), time=_local(report.submitted_at),
            ),
        )
    if report is not None and version is not None and report.version != version:
        raise ConflictError(
            _("{label}的草稿已被 {who} 修改，请刷新后重新填写").format(
                label=periods.label(period), who=report.submitted_by or _("他人"),
            ),
        )
    later = ProgressReport.objects.filter(project=locked, period__gt=period, status=SUBMITTED).order_by("period")
    if later_period := later.values_list("period", flat=True).first():
        raise ServiceError(
            _("已报送{label}的进展，不能再补报更早的月份；请在下月进展中说明").format(
                label=periods.label(later_period),
            ), field="period")
    previous = previous_report(locked, period)
    clean = clean_report(data, project=locked, period=period, previous=previous, submit=submit)
    existing_photos = _existing_photos(locked, photo_ids or [])
    before = snapshot(report) if report is not None else None
    milestones = clean.pop("milestones_met")
    if report is None:
        report = ProgressReport(project=locked, period=period)
    else:
        report.version = F("version") + 1
    for key, value in clean.items():
        setattr(report, key, value)
    report.submitted_by = actor.username
    if submit:
        report.status = SUBMITTED
        report.submitted_at = timezone.now()
    report.save()
    report.refresh_from_db()
    report.milestones_met.set(milestones)
    if existing_photos:
        report.photos.add(*existing_photos)
    stored = _store_photos(actor, locked, photos or [])
    with stored.undone_on_failure():  # a failure below deletes the stored photos again (their rows roll back)
        report.photos.add(*stored.attachments)
        if submit:
            _mark_milestones_met(actor, report, milestones, period)
        record_change(
            actor=actor, action="progress_submit" if submit else "progress_save", obj=report, before=before,
            after=snapshot(report), reason=clean["adjustment_reason"], project_id=locked.pk,
            classified=locked.classified,
        )
    return report


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _store_photos(actor: Actor, project: Project, uploads: list) -> StoredFiles:
    """Photos go through the files app's checks (type, size, EXIF stripped, GPS kept); a refused one deletes those
    stored before it (`files.services.StoredFiles`)."""
    from halfbuilt.files import services as files

    return files.store_uploads(actor=actor, project=project, kind="photo", uploads=uploads)


def _existing_photos(project: Project, ids: list) -> list:
    """Photos already uploaded for this project (by id); anything else is refused by its id."""
    from halfbuilt.files.models import Attachment, AttachmentKind

    found = []
    for raw in ids:
        try:
            key = uuid.UUID(str(raw))
        except ValueError:
            raise ServiceError(_("照片“{id}”不是有效的附件 id").format(id=raw), field="photos") from None
        attachment = Attachment.objects.filter(pk=key, project=project).first()
        if attachment is None:
            raise ServiceError(_("照片“{id}”不存在或不属于该项目").format(id=raw), field="photos")
        if attachment.kind != AttachmentKind.PHOTO:
            raise ServiceError(
                _("附件“{name}”是{kind}，不是照片").format(
                    name=attachment.original_name, kind=attachment.get_kind_display(),
                ), field="photos")
        found.append(attachment)
    return found


def _mark_milestones_met(actor: Actor, report: ProgressReport, milestones: list[Milestone], period: str) -> None:
    """The plan's milestones met this month are marked met in the plan by the disposal app's service, with
    the report's photos as their evidence; dated the submission day, or the month's last day when the report
    comes after the month."""
    from halfbuilt.disposal.services import milestone_meet

    met_on = min(timezone.localdate(), periods.last_day(period))
    evidence = [str(pk) for pk in report.photos.values_list("pk", flat=True)]
    for milestone in milestones:
        if milestone.met_date is not None:
            continue
        try:
            milestone_meet(actor=actor, milestone=milestone, met_date=met_on, evidence_ids=evidence)
        except ServiceError as exc:
            message = exc.message
            if exc.field == "evidence":
                message = _("标记节点完成须上传现场照片作为佐证材料")
            raise ServiceError(
                _("节点“{title}”：{message}").format(title=milestone.title, message=message), field="milestones_met",
            ) from exc


# --- roll-up ---------------------------------------------------------------------------------------------

def _milestones_met_count(period: str) -> Subquery:
    through = ProgressReport.milestones_met.through
    return Subquery(
        through.objects.filter(progressreport__project_id=OuterRef("pk"), progressreport__period=period,
                               progressreport__status=SUBMITTED)
        .order_by().values("progressreport__project_id").annotate(n=Count("*")).values("n"),
        output_field=IntegerField(),
    )


def figures_for(queryset: QuerySet, period: str) -> dict:
    """The month's figures over the projects of `queryset`, in ONE aggregate query."""
    late_at = periods.late_after(period)
    submitted = Q(rep__status=SUBMITTED)
    aggregates = {
        "due": Count("pk"),
        "submitted": Count("pk", filter=submitted),
        "late": Count("pk", filter=submitted & Q(rep__submitted_at__gte=late_at)),
        "drafts": Count("pk", filter=Q(rep__status=ReportStatus.DRAFT)),
        "investment_month": Sum("rep__investment_month", filter=submitted),
        "investment_cumulative": Sum("rep__investment_cumulative", filter=submitted),
        "new_funds": Sum("rep__new_funds", filter=submitted),
        "milestones_met": Sum(Coalesce(_milestones_met_count(period), 0)),
        **{f"stage_{s.value or 'none'}": Count("pk", filter=Q(stage=s.value)) for s in Stage},
    }
    row = due_projects(queryset, period).aggregate(**aggregates)
    past_due = timezone.now() >= late_at
    not_submitted = row["due"] - row["submitted"]
    return {
        "period": period,
        "due_date": periods.due_date(period).isoformat(),
        "due": row["due"],
        "submitted": row["submitted"],
        "on_time": row["submitted"] - row["late"],
        "late": row["late"],
        "missing": not_submitted if past_due else 0,
        "pending": 0 if past_due else not_submitted,
        "drafts": row["drafts"],
        "investment_month": _plain(row["investment_month"] or ZERO),
        "investment_cumulative": _plain(row["investment_cumulative"] or ZERO),
        "new_funds": _plain(row["new_funds"] or ZERO),
        "milestones_met": row["milestones_met"] or 0,
        "by_stage": {s.value or "none": row[f"stage_{s.value or 'none'}"] for s in Stage
                     if row[f"stage_{s.value or 'none'}"]},
        "computed_at": timezone.localtime().isoformat(timespec="seconds"),
    }


def on_time_by(queryset: QuerySet, period: str, column: str) -> dict:
    """{value of `column`: (reports due for `period`, submitted by the due day)} over the projects of `queryset`,
    one GROUP BY (the same due and late as `figures_for`)."""
    on_time = Q(rep__status=SUBMITTED) & Q(rep__submitted_at__lt=periods.late_after(period))
    found = (due_projects(queryset, period).values(column)
             .annotate(due=Count("pk"), on_time=Count("pk", filter=on_time)).order_by())
    return {row[column]: (row["due"], row["on_time"]) for row in found}


def rollup_figures(organization: Organization, period: str) -> dict:
    """The figures of an organization's roll-up (its region subtree, or its department line within it)."""
    return figures_for(Project.objects.filter(org_projects_q(organization)), period)


ROLLUP_TEXT = {
    "progress": (gettext_lazy("工作进展"), 10000), "problems": (gettext_lazy("存在问题"), 10000),
    "suggestions": (gettext_lazy("工作建议"), 10000),
}


@transaction.atomic
def rollup_submit(*, actor: Actor, organization: Organization, period: str, progress: str, problems: str = "",
                  suggestions: str = "", submit: bool = True) -> Rollup:
    """A region's or department's monthly roll-up: its three texts plus the figures computed now and frozen.
    The figures are never taken from the caller. `submit=False` keeps a draft (figures refreshed on submit)."""
    if organization.pk not in {o.pk for o in rollup_organizations(actor.user)}:
        raise NotAllowed(_("报送单位不存在，或您无权代表其报送月度汇总"))
    period = _period(period)
    texts = {"progress": progress, "problems": problems, "suggestions": suggestions}
    for key, (name, limit) in ROLLUP_TEXT.items():
        texts[key] = inputs.text(texts[key], field=key, label=name, limit=limit, required=submit and key == "progress")
    rollup = Rollup.objects.select_for_update().filter(organization=organization, period=period).first()
    if rollup is not None and rollup.status == SUBMITTED:
        raise ConflictError(
            _("{name}{label}的月度汇总已于 {time} 报送").format(
                name=organization.name, label=periods.label(period), time=_local(rollup.submitted_at),
            ))
    before = _rollup_snapshot(rollup) if rollup is not None else None
    rollup = rollup or Rollup(organization=organization, period=period)
    for key, value in texts.items():
        setattr(rollup, key, value)
    rollup.figures = rollup_figures(organization, period)
    rollup.submitted_by = actor.username
    if submit:
        rollup.status = SUBMITTED
        rollup.submitted_at = timezone.now()
    rollup.save()
    record_change(actor=actor, action="rollup_submit" if submit else "rollup_save", obj=rollup, before=before,
                  after=_rollup_snapshot(rollup))
    return rollup


def _rollup_snapshot(rollup: Rollup) -> dict:
    return {"period": rollup.period, "progress": rollup.progress, "problems": rollup.problems,
            "suggestions": rollup.suggestions, "report_status": rollup.status, "figures": rollup.figures}
