"""The /api/v1/closure endpoints: closure requests (销号) and 回头看 samples; mounted by halfbuilt.api.api.

Same scope as the pages: a request or check is visible iff its project is; samples belong to the office.
Writes go through `closure.services`; its errors become JSON 4xx via `api/errors.py`.
"""

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from halfbuilt.api.common import READ_ERRORS, WRITE_ERRORS, actor, local_iso, user
from halfbuilt.api.pagination import Page, PageParams, cursor_page
from halfbuilt.api.schemas import BadRequest, Error, Id
from halfbuilt.ledger.models import Project

from . import services
from .models import ClosureRequest, ClosureStatus, FollowUpCheck, FollowUpSample
from .workflow import CLOSURE_REVIEW

router = Router(tags=["closure"])



class EvidenceOut(Schema):
    id: str
    name: str
    kind: str
    content_type: str
    size: int


class ClosureOut(Schema):
    id: int
    project_id: int
    project_name: str
    ledger_no: str
    outcome: str = Field(description="in_use 已投入使用 / demolished 已拆除 / transferred 已移交或转让 / other 其他")
    outcome_label: str
    outcome_date: date
    description: str
    evidence: list[EvidenceOut]
    status: str = Field(description="requested 待审核 / approved 待销号 / returned 已退回 / closed 已销号")
    status_label: str
    review_comment: str
    requested_by: str
    requested_at: str
    reviewed_by: str
    reviewed_at: str | None
    closed_by: str
    closed_at: str | None
    allowed_actions: list[str] = Field(description="当前用户现在可执行的操作：approve / return / close")


class ClosureIn(Schema):
    model_config = ConfigDict(extra="forbid")

    project_id: Id = Field(description="项目 id")
    outcome: str = Field(description="in_use / demolished / transferred / other")
    outcome_date: str = Field(description="完成日期 YYYY-MM-DD，不能晚于今天")
    description: str = Field(description="情况说明")
    evidence: list[str] = Field(description="证明材料：本项目已上传附件的 id（先通过 /api/v1/files 上传），至少一个")


class CommentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field("", description="意见；退回（return）必填")


class CheckOut(Schema):
    id: int
    project_id: int
    project_name: str
    result: str = Field(description="pending 待核查 / passed 通过 / failed 未通过")
    result_label: str
    finding: str
    checked_by: str
    checked_at: str | None


class SampleOut(Schema):
    id: int
    drawn_by: str
    drawn_at: str
    share: str
    population: int
    seed: str
    note: str
    checks: list[CheckOut]


class SampleDetailOut(SampleOut):
    population_ids: list[int] = Field(
        description="抽样总体：抽样时可抽取的已销号项目 id（升序）；与 seed 一起可复现抽样（您无权查看的项目不列出）")
    reproducible: bool = Field(description="用 seed 和 population_ids 重新抽取，结果与本样本的项目相同")


class DrawIn(Schema):
    model_config = ConfigDict(extra="forbid")

    share: str | float | None = Field(None, description="抽取比例，0 < share ≤ 1；省略时取系统设置 FOLLOWUP_SHARE")
    note: str = Field("", description="说明")


class CheckIn(Schema):
    model_config = ConfigDict(extra="forbid")

    passed: bool = Field(description="true 通过；false 未通过（项目重新打开）")
    finding: str = Field("", description="发现问题；未通过时必填")


class ListParams(PageParams):
    status: str = Field("", description="requested / approved / returned / closed")
    project_id: Id | None = Field(None, description="只看某个项目的申请")





def _closure(request: HttpRequest, closure: ClosureRequest) -> dict:
    return {
        "id": closure.pk, "project_id": closure.project_id, "project_name": closure.project.name,
        "ledger_no": closure.project.ledger_no, "outcome": closure.outcome,
        "outcome_label": closure.get_outcome_display(),
        "outcome_date": closure.outcome_date, "description": closure.description,
        "evidence": [
            {"id": str(a.pk), "name": a.original_name, "kind": a.kind, "content_type": a.content_type, "size": a.size}
            for a in closure.evidence.all()
        ],
        "status": closure.status, "status_label": closure.get_status_display(),
        "review_comment": closure.review_comment, "requested_by": closure.requested_by,
        "requested_at": local_iso(closure.requested_at), "reviewed_by": closure.reviewed_by,
        "reviewed_at": local_iso(closure.reviewed_at), "closed_by": closure.closed_by,
        "closed_at": local_iso(closure.closed_at),
        "allowed_actions": CLOSURE_REVIEW.action_names(user(request), closure),
    }


def _visible_closure(request: HttpRequest, pk: int) -> ClosureRequest:
    closure = ClosureRequest.objects.restrict(user(request)).select_related("project").filter(pk=pk).first()
    if closure is None:
        raise HttpError(404, _("销号申请不存在，或您无权查看"))
    return closure


def _check(check: FollowUpCheck) -> dict:
    return {
        "id": check.pk, "project_id": check.project_id, "project_name": check.project.name, "result": check.result,
        "result_label": check.get_result_display(), "finding": check.finding, "checked_by": check.checked_by,
        "checked_at": local_iso(check.checked_at),
    }


def _sample(request: HttpRequest, sample: FollowUpSample) -> dict:
    checks = FollowUpCheck.objects.restrict(user(request)).filter(sample=sample).select_related("project")
    return {
        "id": sample.pk, "drawn_by": sample.drawn_by.get_username(), "drawn_at": local_iso(sample.drawn_at),
        "share": format(sample.share.normalize(), "f"), "population": sample.population, "seed": sample.seed,
        "note": sample.note, "checks": [_check(c) for c in checks],
    }


@router.get("", response={200: Page[ClosureOut], **READ_ERRORS}, summary="销号申请列表")
def closure_list(request: HttpRequest, params: Query[ListParams]):
    """The closure requests of the projects you may see, newest first; page by the `next` link."""
    queryset = ClosureRequest.objects.restrict(user(request)).select_related("project").prefetch_related("evidence")
    if params.status:
        if params.status not in ClosureStatus.values:
            raise HttpError(
                400,
                _("status“{status}”无效，应为 requested、approved、returned 或 closed").format(status=params.status),
            )
        queryset = queryset.filter(status=params.status)
    if params.project_id is not None:
        queryset = queryset.filter(project_id=params.project_id)
    rows, envelope = cursor_page(request, queryset, params)
    return {"results": [_closure(request, c) for c in rows], **envelope}


@router.get("/{int:closure_id}", response={200: ClosureOut, **READ_ERRORS}, summary="销号申请详情")
def closure_detail(request: HttpRequest, closure_id: int):
    return _closure(request, _visible_closure(request, closure_id))


@router.post("", response={201: ClosureOut, **WRITE_ERRORS}, summary="申请销号")
def closure_create(request: HttpRequest, payload: ClosureIn):
    """The project must be in the ledger and disposing (处置中); upload evidence first via /api/v1/files."""
    if not Project.objects.restrict(user(request)).filter(pk=payload.project_id).exists():
        raise HttpError(404, _("项目不存在，或您无权查看"))
    created = services.closure_request(
        actor=actor(request), project=payload.project_id, outcome=payload.outcome,
        outcome_date=payload.outcome_date, description=payload.description, evidence_ids=payload.evidence,
    )
    return Status(201, _closure(request, _visible_closure(request, created.pk)))


@router.post("/{int:closure_id}/actions/{action}", response={200: ClosureOut, **WRITE_ERRORS},
             summary="办理：approve 审核通过 / return 退回 / close 销号")
def closure_action(request: HttpRequest, closure_id: int, action: str, payload: CommentIn | None = None):
    closure = _visible_closure(request, closure_id)
    if action not in services.ACTIONS:
        raise HttpError(404, _("未知操作“{action}”，应为 approve、return 或 close").format(action=action))
    services.closure_transition(
        actor=actor(request), request=closure, action=action, comment=payload.comment if payload else ""
    )
    return _closure(request, _visible_closure(request, closure_id))


@router.get("/samples", response={200: Page[SampleOut], 400: BadRequest, 401: Error, 403: Error}, summary="回头看样本")
def sample_list(request: HttpRequest, params: Query[PageParams]):
    if not services.may(user(request), "followup"):
        raise HttpError(403, _("只有领导小组办公室可以查看回头看样本"))
    rows, envelope = cursor_page(request, services.visible_samples(user(request)).select_related("drawn_by"), params)
    return {"results": [_sample(request, s) for s in rows], **envelope}


@router.get("/samples/{int:sample_id}", response={200: SampleDetailOut, **READ_ERRORS}, summary="回头看样本详情")
def sample_detail(request: HttpRequest, sample_id: int):
    """With the sample's population, so that anyone can redo the draw: `draw(seed, population_ids, size)`."""
    sample = services.visible_samples(user(request)).select_related("drawn_by").filter(pk=sample_id).first()
    if sample is None:
        raise HttpError(404, _("回头看样本不存在，或您无权查看"))
    # The office's population never holds classified projects; should one have become classified since, its id
    # is left out for whoever may not see it (a classified project of others does not exist for them).
    hidden = set(
        Project.objects.filter(classified=True).exclude(pk__in=Project.objects.restrict(user(request)).values("pk"))
        .values_list("pk", flat=True)
    )
    chosen = sorted(sample.checks.values_list("project_id", flat=True))
    return {
        **_sample(request, sample),
        "population_ids": [pk for pk in sample.population_ids if pk not in hidden],
        "reproducible": services.reproduce(sample) == chosen,
    }


@router.post("/samples", response={201: SampleOut, **WRITE_ERRORS}, summary="抽取回头看样本")
def sample_draw(request: HttpRequest, payload: DrawIn | None = None):
    sample = services.draw_sample(
        actor=actor(request), share=payload.share if payload else None, note=payload.note if payload else ""
    )
    return Status(201, _sample(request, sample))


@router.post("/checks/{int:check_id}", response={200: CheckOut, **WRITE_ERRORS}, summary="登记回头看结果")
def check_record(request: HttpRequest, check_id: int, payload: CheckIn):
    who = user(request)
    check = FollowUpCheck.objects.restrict(who).filter(sample__in=services.visible_samples(who), pk=check_id).first()
    if check is None:
        raise HttpError(404, _("回头看核查不存在，或您无权查看"))
    saved = services.record_check(actor=actor(request), check=check, passed=payload.passed, finding=payload.finding)
    return _check(FollowUpCheck.objects.select_related("project").get(pk=saved.pk))
