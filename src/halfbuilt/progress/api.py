"""/api/v1/progress: monthly progress reports and roll-ups, under the same scope as the pages.

A report is visible iff its project is (invisible → 404); submitting needs the `report` scope (visible but
not allowed → 403). Roll-ups: the office reads all, regions and departments their own. Mounted by
halfbuilt.api.api.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from halfbuilt.api.common import READ_ERRORS, WRITE_ERRORS, local_iso, user
from halfbuilt.api.pagination import Order, Page, PageParams, cursor_page
from halfbuilt.api.schemas import DbInt, Id
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project

from . import periods, services
from .models import ProgressReport, Rollup
from .orgs import rollup_organizations, rollups_q

router = Router(tags=["progress"])
Money = float | int | str | None


class ReportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    project_id: Id = Field(description="项目 id（须处于处置中）")
    period: str = Field(description="月份 YYYY-MM，不能是未来月份")
    progress: str = Field(description="本月进展")
    physical_progress: float | str | None = Field(
        None, description="形象进度 0–100；省略则沿用上次报送的进度；低于上次须填 adjustment_reason")
    investment_month: Money = Field(None, description="本月完成投资（万元），省略为 0")
    investment_cumulative: Money = Field(
        None, description="累计完成投资（万元）；省略则为上次累计 + 本月，填写不同数值须填 adjustment_reason")
    new_funds: Money = Field(None, description="新增到位资金（万元），省略为 0")
    milestones_met: list[Id] = Field(
        [], description="本月完成的方案节点 id（须为本月到期且未完成的节点）；标记完成须附 photos 作为佐证")
    photos: list[str] = Field(
        [], description="现场照片：本项目已上传的照片附件 id（先通过 POST /api/v1/files 以 kind=photo 上传）")
    problems: str | None = Field(None, description="存在问题；省略则沿用上次")
    suggestions: str | None = Field(None, description="工作建议；省略则沿用上次")
    adjustment_reason: str = Field("", description="调整说明")
    submit: bool = Field(True, description="false 只保存草稿（进展可暂空），之后可再保存或报送；报送后不能修改")
    version: DbInt | None = Field(None, description="再次保存或报送草稿时带上次返回的 version，他人改过则 409")


class ReportOut(Schema):
    id: int
    project_id: int
    project_name: str
    period: str
    status: str
    state: str = Field(description="on_time 按时 / late 逾期报送 / draft 草稿 / pending 待报送 / missing 逾期未报")
    due_date: str
    progress: str
    physical_progress: str
    investment_month: str
    investment_cumulative: str
    new_funds: str
    milestones_met: list[int]
    problems: str
    suggestions: str
    adjustment_reason: str
    photos: list[str]
    submitted_at: str | None
    submitted_by: str
    version: int


class RollupOut(Schema):
    id: int
    organization_id: int
    organization: str
    period: str
    status: str
    progress: str
    problems: str
    suggestions: str
    figures: dict
    submitted_at: str | None
    submitted_by: str



def _report_out(report: ProgressReport) -> dict:
    record = services.snapshot(report)
    return {
        **record,
        "id": report.pk, "project_id": report.project_id, "project_name": report.project.name,
        "status": report.status, "state": services.report_state(report, report.period),
        "due_date": periods.due_date(report.period).isoformat(),
        "photos": [str(pk) for pk in report.photos.values_list("pk", flat=True)],
        "submitted_at": local_iso(report.submitted_at), "submitted_by": report.submitted_by, "version": report.version,
    }


def _visible_reports(request: HttpRequest):
    return ProgressReport.objects.restrict(user(request)).select_related("project")


BY_PERIOD = Order("period", "period")  # newest month first


class ListParams(PageParams):
    project: Id | None = Field(None, description="项目 id")
    period: str = Field("", description="月份 YYYY-MM")


@router.get("", response={200: Page[ReportOut], **READ_ERRORS}, summary="月度进展列表")
def report_list(request: HttpRequest, params: Query[ListParams]):
    """Reports of the projects you may see, newest month first; page by the `next` link."""
    queryset = _visible_reports(request)
    if params.project is not None:
        queryset = queryset.filter(project_id=params.project)
    rows, envelope = cursor_page(request, _of_period(queryset, params.period), params, BY_PERIOD)
    return {"results": [_report_out(r) for r in rows], **envelope}


class RollupParams(PageParams):
    period: str = Field("", description="月份 YYYY-MM")


@router.get("/rollups", response={200: Page[RollupOut], **READ_ERRORS}, summary="月度汇总列表")
def rollup_list(request: HttpRequest, params: Query[RollupParams]):
    """The office reads every roll-up; regions and departments their own. Figures are computed, never typed."""
    queryset = Rollup.objects.filter(rollups_q(user(request))).select_related("organization")
    rows, envelope = cursor_page(request, _of_period(queryset, params.period), params, BY_PERIOD)
    return {"results": [_rollup_out(r) for r in rows], **envelope}


def _of_period(queryset, period: str):
    """The list's `period` filter: a month YYYY-MM, or every month when empty."""
    if not period:
        return queryset
    if not periods.PERIOD_RE.match(period):
        raise HttpError(400, _("月份 period 格式不正确，应为 YYYY-MM"))
    return queryset.filter(period=period)


def _rollup_out(r: Rollup) -> dict:
    return {"id": r.pk, "organization_id": r.organization_id, "organization": r.organization.name,
            "period": r.period, "status": r.status, "progress": r.progress, "problems": r.problems,
            "suggestions": r.suggestions, "figures": r.figures, "submitted_at": local_iso(r.submitted_at),
            "submitted_by": r.submitted_by}


class RollupIn(Schema):
    organization_id: Id = Field(description="报送单位 id：您所在的盟市/旗县政府或行业主管部门")
    period: str = Field(description="月份 YYYY-MM")
    progress: str = Field("", description="工作进展（报送时必填）")
    problems: str = Field("", description="存在问题")
    suggestions: str = Field("", description="工作建议")
    submit: bool = Field(True, description="false 只保存草稿；报送时统计数字按当时台账计算并固定")


@router.post("/rollups", response={201: RollupOut, **WRITE_ERRORS}, summary="报送月度汇总")
def rollup_submit(request: HttpRequest, payload: RollupIn):
    """A region's or department's monthly roll-up: the texts are yours, the figures are computed, never sent."""
    # Looked up among the organizations the asker submits for: any other id answers as one that does not exist
    # (a 403 naming it would let anyone list every organization, those named after classified projects too).
    organization = next((o for o in rollup_organizations(user(request))
                         if o.pk == payload.organization_id), None)
    if organization is None:
        raise HttpError(404, _("报送单位不存在，或您无权代表其报送月度汇总"))
    rollup = services.rollup_submit(
        actor=Actor.from_request(request, via="api"), organization=organization, period=payload.period,
        progress=payload.progress, problems=payload.problems, suggestions=payload.suggestions, submit=payload.submit,
    )
    return Status(201, _rollup_out(rollup))


@router.get("/{int:report_id}", response={200: ReportOut, **READ_ERRORS}, summary="月度进展详情")
def report_detail(request: HttpRequest, report_id: int):
    report = _visible_reports(request).filter(pk=report_id).first()
    if report is None:
        raise HttpError(404, _("月度进展不存在，或您无权查看"))
    return _report_out(report)


@router.post("", response={201: ReportOut, **WRITE_ERRORS}, summary="报送月度进展")
def report_submit(request: HttpRequest, payload: ReportIn):
    """Submit a project's report for a month in one call; what you omit is prefilled as on the page."""
    project = Project.objects.restrict(user(request)).filter(pk=payload.project_id).first()
    if project is None:
        raise HttpError(404, _("项目不存在，或您无权查看"))
    if not Project.objects.restrict(user(request), "report").filter(pk=project.pk).exists():
        raise HttpError(403, _("您无权报送该项目的月度进展"))
    data = payload.model_dump(exclude={"project_id", "period", "photos", "submit", "version"})
    try:
        period = periods.parse_period(payload.period)
    except ValueError as exc:
        raise ServiceError(str(exc), field="period") from exc
    filled = services.prefill(project, period).values
    for key in ("physical_progress", "problems", "suggestions"):
        if data.get(key) is None:
            data[key] = filled[key]
    write = services.report_submit if payload.submit else services.report_save
    report = write(actor=Actor.from_request(request, via="api"), project=project, period=period, data=data,
                   version=payload.version, photo_ids=payload.photos)
    return Status(201, _report_out(report))
