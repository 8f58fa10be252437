"""/api/v1/plans: plans (一项目一方案) under the same scope as the pages; mounted by halfbuilt.api.api.

A plan is visible iff its project is; invisible plans are 404, visible ones the user may not act on 403.
Writes go through `disposal.services`; their Chinese errors map to JSON 4xx in `api/errors.py`.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from halfbuilt.api.common import READ_ERRORS, WRITE_ERRORS, actor, local_iso, user
from halfbuilt.api.pagination import Page, PageParams, cursor_page
from halfbuilt.api.schemas import DbInt, Error, Id
from halfbuilt.core import inputs
from halfbuilt.core.errors import ServiceError
from halfbuilt.ledger import contacts
from halfbuilt.ledger.models import Project

from . import methods, services
from .models import Milestone, Plan, PlanStatus, Procedure
from .workflow import PLAN_REVIEW

router = Router(tags=["plans"])


class PlanFields(Schema):
    model_config = ConfigDict(extra="forbid")

    introduction: str | None = Field(None, description="项目介绍")
    problems: str | None = Field(None, description="存在问题")
    method: str | None = Field(None, description=(
        "处置方式：procedures 完善手续 / resume 复工续建 / revitalise 引导盘活 / judicial 司法处置 / demolish 依法拆除"
    ))
    measures: str | None = Field(None, description="处置措施")
    lead_unit: str | None = Field(None, description="主责单位")
    responsible_person: str | None = Field(None, description="责任人")
    responsible_phone: str | None = Field(None, description="责任人电话")
    cooperating_units: str | None = Field(None, description="配合单位")
    deadline: str | None = Field(None, description="完成时限 YYYY-MM-DD")
    leader_in_charge: str | None = Field(None, description="包联领导")
    facts: dict | None = Field(None, description="处置方式要素，键见 GET /plans/methods")


class PlanCreate(PlanFields):
    project_id: Id = Field(description="项目 id（须已纳入台账）")


class PlanPatch(PlanFields):
    version: DbInt = Field(description="读取时的 version；他人已保存新版本时返回 409")
    reason: str = Field("", description="修改说明，记入变更日志")


class PlanRevise(PlanFields):
    version: DbInt = Field(description="读取时的 version")
    reason: str = Field(description="修订理由（必填）")


class ActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field("", description="审核意见；退回（return）必填")
    version: DbInt | None = Field(None, description="读取时的 version；给出时核对")


class MilestoneOut(Schema):
    id: int
    title: str
    due_date: str
    met_date: str | None
    evidence: list[str] = Field(description="佐证材料（附件 id）")


class ProcedureOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    authority: str
    done_date: str | None
    document_no: str


class RevisionOut(Schema):
    number: int
    reason: str
    changed_by: str
    changed_at: str
    changes: dict
    snapshot: dict


class PlanOut(Schema):
    id: int
    project_id: int
    project_name: str
    ledger_no: str
    version: int
    status: str
    status_label: str
    method: str
    method_label: str
    introduction: str
    problems: str
    measures: str
    lead_unit: str
    responsible_person: str
    responsible_phone: str
    cooperating_units: str
    deadline: str
    leader_in_charge: str
    facts: dict
    review_comment: str
    revision: int
    created_at: str
    updated_at: str


class PlanDetail(PlanOut):
    milestones: list[MilestoneOut]
    procedures: list[ProcedureOut]
    revisions: list[RevisionOut]
    allowed_actions: list[str] = Field(description="当前用户现在可执行的审核操作")


class ListParams(PageParams):
    status: str = Field("", description="draft / submitted / returned / approved / confirmed")
    method: str = Field("", description="处置方式代码")
    project_id: Id | None = Field(None, description="只看某个项目的方案")
    count: bool = Field(False, description="为 true 时另算总数 count")




def _visible_plans(request: HttpRequest):
    return Plan.objects.restrict(user(request)).select_related("project")


def _visible(request: HttpRequest, plan_id: int) -> Plan:
    plan = _visible_plans(request).filter(pk=plan_id).first()
    if plan is None:
        raise HttpError(404, _("处置方案不存在，或您无权查看"))
    return plan


def _item(plan: Plan, *, masked: bool = True) -> dict:
    """A plan as the API gives it; its 责任人 and phone masked unless the caller works on the plan."""
    return contacts.plan_values({
        "id": plan.pk, "project_id": plan.project_id, "project_name": plan.project.name,
        "ledger_no": plan.project.ledger_no, "version": plan.version, "status": plan.status,
        "status_label": plan.get_status_display(), "method": plan.method, "method_label": plan.get_method_display(),
        **{f: getattr(plan, f) for f in services.COMMON_FIELDS if f not in ("method", "deadline")},
        "deadline": plan.deadline.isoformat(), "facts": plan.facts, "review_comment": plan.review_comment,
        "revision": plan.revision, "created_at": local_iso(plan.created_at), "updated_at": local_iso(plan.updated_at),
    }, masked=masked)


def _milestone(m: Milestone) -> dict:
    return {"id": m.pk, "title": m.title, "due_date": m.due_date.isoformat(),
            "met_date": m.met_date.isoformat() if m.met_date else None,
            "evidence": [str(a.pk) for a in m.evidence.all()]}


def _procedure(p: Procedure) -> dict:
    return {"id": p.pk, "kind": p.kind, "kind_label": p.get_kind_display(), "name": p.name, "authority": p.authority,
            "done_date": p.done_date.isoformat() if p.done_date else None, "document_no": p.document_no}


def _detail(request: HttpRequest, plan_id: int) -> dict:
    plan = _visible(request, plan_id)
    masked = not contacts.plan_in_full(user(request), plan.project)
    return {
        **_item(plan, masked=masked),
        "milestones": [_milestone(m) for m in plan.milestones.prefetch_related("evidence")],
        "procedures": [_procedure(p) for p in plan.procedures.all()],
        "revisions": [
            {"number": r.number, "reason": r.reason, "changed_by": r.changed_by, "changed_at": local_iso(r.changed_at),
             "changes": contacts.plan_values(r.changes, masked=masked),
             "snapshot": contacts.plan_values(r.snapshot, masked=masked)}
            for r in plan.revisions.order_by("number")
        ],
        "allowed_actions": PLAN_REVIEW.action_names(user(request), plan),
    }


def _may(request: HttpRequest, plan: Plan, action: str, label: str) -> None:
    if not Project.objects.restrict(user(request), action).filter(pk=plan.project_id).exists():
        raise HttpError(403, _("您无权{label}").format(label=label))


@router.get("", response={200: Page[PlanOut], **READ_ERRORS}, summary="处置方案列表")
def plan_list(request: HttpRequest, params: Query[ListParams]):
    """The plans of the projects you may see, newest first; page by the `next` link."""
    queryset = _visible_plans(request)
    if params.status:
        if params.status not in PlanStatus.values:
            raise HttpError(
                400,
                _("状态“{status}”无效，应为：{allowed}").format(
                    status=params.status, allowed="、".join(PlanStatus.values),
                ),
            )
        queryset = queryset.filter(status=params.status)
    if params.method:
        if params.method not in methods.METHODS:
            raise HttpError(
                400,
                _("处置方式“{method}”无效，应为：{allowed}").format(
                    method=params.method, allowed="、".join(methods.METHODS),
                ),
            )
        queryset = queryset.filter(method=params.method)
    if params.project_id is not None:
        queryset = queryset.filter(project_id=params.project_id)
    rows, envelope = cursor_page(request, queryset, params, count=params.count)
    return {"results": [_item(p) for p in rows], **envelope}


class FactFieldOut(Schema):
    key: str
    label: str
    kind: str = Field(description="text / longtext / date / bool / choice / money（万元）/ list")
    choices: list[list[str]] = Field(description="choice 的 [代码, 名称]")


class MethodOut(Schema):
    method: str
    label: str
    facts: list[FactFieldOut]


@router.get("/methods", response={200: list[MethodOut], 401: Error}, summary="处置方式及其要素")
def method_list(request: HttpRequest):
    """The five methods and the keys of their `facts`."""
    return [
        {"method": code, "label": rules.label, "facts": [
            {"key": f.key, "label": str(f.label), "kind": f.kind,
             "choices": [[code, str(label)] for code, label in f.choices]}
            for f in rules.fields
        ]}
        for code, rules in methods.METHODS.items()
    ]


@router.get("/{int:plan_id}", response={200: PlanDetail, **READ_ERRORS}, summary="处置方案详情")
def plan_detail(request: HttpRequest, plan_id: int):
    return _detail(request, plan_id)


@router.post("", response={201: PlanDetail, **WRITE_ERRORS}, summary="为项目制定处置方案（草稿）")
def plan_create(request: HttpRequest, payload: PlanCreate):
    """Drafted by the responsible unit or its region; the project must be in the ledger."""
    project = Project.objects.restrict(user(request)).filter(pk=payload.project_id).first()
    if project is None:
        raise HttpError(404, _("项目不存在，或您无权查看"))
    data = payload.model_dump(exclude_unset=True, exclude={"project_id"})
    plan = services.plan_create(actor=actor(request), project=project, data=data)
    return Status(201, _detail(request, plan.pk))


@router.patch("/{int:plan_id}", response={200: PlanDetail, **WRITE_ERRORS}, summary="修改处置方案（部分字段）")
def plan_update(request: HttpRequest, plan_id: int, payload: PlanPatch):
    """Draft or returned plans; a confirmed plan only its facts and descriptions (else use /revise)."""
    plan = _visible(request, plan_id)
    _may(request, plan, "plan_draft", _("修改该方案"))
    data = payload.model_dump(exclude_unset=True)
    version, reason = data.pop("version"), data.pop("reason", "")
    services.plan_update(actor=actor(request), plan=plan, data=data, version=version, reason=reason)
    return _detail(request, plan_id)


@router.post("/{int:plan_id}/actions/{action}", response={200: PlanDetail, **WRITE_ERRORS},
             summary="审核操作：submit 提交 / return 退回 / approve 审核通过 / confirm 确认")
def plan_action(request: HttpRequest, plan_id: int, action: str, payload: ActionIn | None = None):
    plan = _visible(request, plan_id)
    if action not in services.REVIEW_ACTIONS:
        raise HttpError(
            404,
            _("未知操作“{action}”，应为 {allowed}").format(action=action, allowed="、".join(services.REVIEW_ACTIONS)),
        )
    services.plan_transition(
        actor=actor(request), plan=plan, action=action,
        comment=payload.comment if payload else "", version=payload.version if payload else None,
    )
    return _detail(request, plan_id)


@router.post("/{int:plan_id}/revise", response={200: PlanDetail, **WRITE_ERRORS}, summary="修订已确认的方案")
def plan_revise(request: HttpRequest, plan_id: int, payload: PlanRevise):
    """A change of method, deadline or measures goes back to review (status submitted); a change of people is
    recorded and the plan stays confirmed. The plan as it stood is kept in `revisions`."""
    plan = _visible(request, plan_id)
    _may(request, plan, "plan_draft", _("修订该方案"))
    data = payload.model_dump(exclude_unset=True)
    version, reason = data.pop("version"), data.pop("reason")
    services.plan_revise(actor=actor(request), plan=plan, data=data, reason=reason, version=version)
    return _detail(request, plan_id)


# --- milestones, missing procedures (完善手续) and resumption (复工续建) ----------------------------------------
# Worked on by the unit or its region (`plan_draft`) while the plan is drafted or returned, and after it is
# confirmed; meeting a milestone and finishing a procedure only once it is confirmed (the services decide).

class MilestoneIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(description="节点名称")
    due_date: str = Field(description="计划完成日期 YYYY-MM-DD")


class MilestonePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, description="节点名称；省略则不变")
    due_date: str | None = Field(None, description="计划完成日期 YYYY-MM-DD；省略则不变")


class MilestoneMetIn(Schema):
    model_config = ConfigDict(extra="forbid")

    met_date: str = Field(description="实际完成日期 YYYY-MM-DD，不能晚于今天")
    evidence: list[str] = Field(
        [], description="佐证材料：本项目已上传附件的 id（先通过 POST /api/v1/files 上传）；节点尚无佐证时至少一个")


class ProcedureIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description=(
        "手续类别（代码或名称）：project_approval 立项 / land_use 用地 / planning_permit 规划许可 / "
        "construction_permit 施工许可 / completion_acceptance 竣工验收 / fire_acceptance 消防验收 / "
        "property_registration 不动产登记 / other 其他"
    ))
    name: str = Field("", description="手续名称；类别为 other 时必填")
    authority: str = Field("", description="办理部门")


class ProcedureDoneIn(Schema):
    model_config = ConfigDict(extra="forbid")

    done_date: str = Field(description="办结日期 YYYY-MM-DD，不能晚于今天")
    document_no: str = Field("", description="批准文号")


class ResumeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    date: str = Field(description="复工日期 YYYY-MM-DD（须在安全质量鉴定合格且经主管部门确认之后）")


def _date(value: str | None, field: str, label: str) -> dt.date:
    text = (value or "").strip()
    if not text:
        raise ServiceError(inputs.required_message(label), field=field)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ServiceError(
            _("{label}“{text}”不是有效日期，应写作 2025-06-30").format(label=label, text=text), field=field,
        ) from None


def _visible_milestone(request: HttpRequest, milestone_id: int) -> Milestone:
    milestone = (
        Milestone.objects.restrict(user(request)).filter(pk=milestone_id)
        .select_related("plan__project").first()
    )
    if milestone is None:
        raise HttpError(404, _("方案节点不存在，或您无权查看"))
    return milestone


def _visible_procedure(request: HttpRequest, procedure_id: int) -> Procedure:
    procedure = (
        Procedure.objects.restrict(user(request)).filter(pk=procedure_id)
        .select_related("plan__project").first()
    )
    if procedure is None:
        raise HttpError(404, _("待补手续不存在，或您无权查看"))
    return procedure


@router.post("/{int:plan_id}/milestones", response={201: MilestoneOut, **WRITE_ERRORS}, summary="新增方案节点")
def milestone_add(request: HttpRequest, plan_id: int, payload: MilestoneIn):
    plan = _visible(request, plan_id)
    _may(request, plan, "plan_draft", _("安排节点"))
    milestone = services.milestone_add(
        actor=actor(request), plan=plan, title=payload.title,
        due_date=_date(payload.due_date, "due_date", _("计划完成日期")),
    )
    return Status(201, _milestone(milestone))


@router.patch("/milestones/{int:milestone_id}", response={200: MilestoneOut, **WRITE_ERRORS}, summary="调整方案节点")
def milestone_update(request: HttpRequest, milestone_id: int, payload: MilestonePatch):
    milestone = _visible_milestone(request, milestone_id)
    _may(request, milestone.plan, "plan_draft", _("调整节点"))
    due_date = milestone.due_date if payload.due_date is None else _date(
        payload.due_date, "due_date", _("计划完成日期"),
    )
    updated = services.milestone_update(
        actor=actor(request), milestone=milestone,
        title=milestone.title if payload.title is None else payload.title, due_date=due_date,
    )
    return _milestone(updated)


@router.post("/milestones/{int:milestone_id}/met", response={200: MilestoneOut, **WRITE_ERRORS},
             summary="登记节点完成（附佐证材料）")
def milestone_meet(request: HttpRequest, milestone_id: int, payload: MilestoneMetIn):
    """The plan must be confirmed; evidence are attachments of the same project uploaded first."""
    milestone = _visible_milestone(request, milestone_id)
    _may(request, milestone.plan, "plan_draft", _("登记节点完成"))
    met = services.milestone_meet(
        actor=actor(request), milestone=milestone, met_date=_date(payload.met_date, "met_date", _("实际完成日期")),
        evidence_ids=payload.evidence,
    )
    return _milestone(met)


@router.post("/{int:plan_id}/procedures", response={201: ProcedureOut, **WRITE_ERRORS},
             summary="登记待补手续（完善手续）")
def procedure_add(request: HttpRequest, plan_id: int, payload: ProcedureIn):
    """A 完善手续 plan needs at least one before it can be submitted."""
    plan = _visible(request, plan_id)
    _may(request, plan, "plan_draft", _("登记待补手续"))
    procedure = services.procedure_add(
        actor=actor(request), plan=plan, kind=payload.kind.strip(), name=payload.name, authority=payload.authority,
    )
    return Status(201, _procedure(procedure))


@router.post("/procedures/{int:procedure_id}/done", response={200: ProcedureOut, **WRITE_ERRORS},
             summary="登记手续办结")
def procedure_done(request: HttpRequest, procedure_id: int, payload: ProcedureDoneIn):
    procedure = _visible_procedure(request, procedure_id)
    _may(request, procedure.plan, "plan_draft", _("登记手续办结"))
    done = services.procedure_done(
        actor=actor(request), procedure=procedure, done_date=_date(payload.done_date, "done_date", _("办结日期")),
        document_no=payload.document_no,
    )
    return _procedure(done)


@router.post("/{int:plan_id}/resume", response={200: PlanDetail, **WRITE_ERRORS}, summary="登记复工（复工续建）")
def plan_resume(request: HttpRequest, plan_id: int, payload: ResumeIn):
    """Only a confirmed 复工续建 plan whose appraisal passed and was confirmed by the authority; the day is kept
    in `facts.resumed_date`."""
    plan = _visible(request, plan_id)
    _may(request, plan, "plan_draft", _("登记复工"))
    try:
        services.record_resumption(actor=actor(request), plan=plan, date=_date(payload.date, "date", _("复工日期")))
    except ServiceError as exc:
        if exc.field == "facts.resumed_date":  # the day itself is wrong: name the body's key
            raise ServiceError(exc.message, field="date") from exc
        raise
    return _detail(request, plan_id)
