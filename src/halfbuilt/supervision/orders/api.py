"""The /api/v1/orders endpoints (督办): list, issue, detail, reply, accept, return; mounted by halfbuilt.api.api.

Same scope as the pages (`SupervisionOrder.objects.restrict`); writes go through `services`, whose errors become
JSON 4xx via `api/errors.py` (invisible: 404; never allowed: 403; not in this state: 409; bad field: 422)."""

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import ConfigDict

from halfbuilt.api.common import READ_ERRORS, WRITE_ERRORS, actor, local_iso, user
from halfbuilt.api.pagination import Page, PageParams, cursor_page
from halfbuilt.api.schemas import DbInt, Id
from halfbuilt.ledger.models import Project

from . import selectors, services
from .models import OrderStatus, SupervisionOrder
from .workflow import ORDER_FLOW

router = Router(tags=["orders"])


class EventOut(Schema):
    kind: str = Field(description="reply 回复 / return 退回 / accept 办结")
    text: str
    by: str
    at: str
    late: bool = Field(description="回复时已逾期")
    evidence: list[str] = Field(description="证明材料（附件 id）")


class OrderOut(Schema):
    id: int
    doc_no: str = Field(description="文号，如 内半办督〔2026〕3号")
    project_id: int | None = Field(description="督办的项目；对组织的督办为 null")
    subject_id: int | None = Field(description="督办对象（组织）；对项目的督办为 null")
    target_name: str
    issuer_org: str
    addressee_id: int
    addressee: str
    reason: str
    requirements: str
    issued_on: date
    deadline: date
    deadline_workdays: int = Field(description="回复期限（工作日，按国家法定节假日和调休计算）")
    overdue: bool = Field(description="已过回复期限仍未回复")
    listed: bool = Field(description="挂牌督办")
    status: str = Field(description="issued 待回复 / replied 已回复待审核 / returned 已退回待重新回复 / closed 已办结")
    status_label: str
    version: int
    events: list[EventOut]
    allowed_actions: list[str] = Field(description="当前用户现在可执行的操作：reply / accept / return")


class IssueIn(Schema):
    model_config = ConfigDict(extra="forbid")

    project_id: Id | None = Field(None, description="督办的项目 id；与 subject_id 二选一")
    subject_id: Id | None = Field(None, description="督办对象（盟市、旗县政府或部门）的组织 id；与 project_id 二选一")
    addressee_id: Id | None = Field(None, description="主送单位的组织 id；对组织的督办可省略（主送该组织）")
    reason: str = Field(description="督办事由")
    requirements: str = Field(description="工作要求")
    deadline_workdays: DbInt | None = Field(None, description="回复期限：督办日起的工作日数；与 deadline 二选一")
    deadline: str | None = Field(None, description="回复期限：截止日期 YYYY-MM-DD；与 deadline_workdays 二选一")
    listed: bool = Field(False, description="挂牌督办")


class ReplyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    measures: str = Field(description="整改措施及成效")
    evidence: list[str] = Field([], description="证明材料：本项目已上传附件的 id（先通过 /api/v1/files 上传）；"
                                           "对组织的督办不能引用附件（422），请在页面回复时上传文件")
    version: DbInt | None = Field(None, description="您看到的版本；已被他人修改时 409")


class OrderCommentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field("", description="意见；退回（return）必填")
    version: DbInt | None = None


class ListParams(PageParams):
    box: str = Field("", description="issued 本单位下达的 / addressed 主送本单位的；省略：您可见的全部")
    status: str = Field("", description="issued / replied / returned / closed")
    overdue: str = Field("", description="1 已逾期 / 0 未逾期")
    listed: str = Field("", description="1 挂牌 / 0 一般")


def _order(request: HttpRequest, order: SupervisionOrder) -> dict:
    who = user(request)
    actions = [t.action for t in ORDER_FLOW.allowed(who, order)]
    return {
        "id": order.pk, "doc_no": order.doc_no, "project_id": order.project_id, "subject_id": order.subject_id,
        "target_name": order.target_name, "issuer_org": order.issuer_org.name, "addressee_id": order.addressee_id,
        "addressee": order.addressee.name, "reason": order.reason, "requirements": order.requirements,
        "issued_on": order.issued_on, "deadline": order.deadline, "deadline_workdays": order.deadline_workdays,
        "overdue": order.is_overdue, "listed": order.listed, "status": order.status,
        "status_label": order.get_status_display(), "version": order.version,
        "events": [{"kind": e.kind, "text": e.text, "by": e.by.get_username(), "at": local_iso(e.at), "late": e.late,
                    "evidence": [str(a.pk) for a in e.evidence.all()]}
                   for e in order.events.select_related("by").prefetch_related("evidence")],
        "allowed_actions": actions,
    }


def _visible(request: HttpRequest, pk: int) -> SupervisionOrder:
    order = selectors.visible(user(request)).filter(pk=pk).first()
    if order is None:
        raise HttpError(404, str(services.NOT_FOUND))
    return order


@router.get("", response={200: Page[OrderOut], **READ_ERRORS}, summary="督办列表")
def order_list(request: HttpRequest, params: Query[ListParams]):
    """The orders you may see, newest first; page by the `next` link."""
    who = user(request)
    boxes = {"": selectors.visible, "issued": selectors.issued_by, "addressed": selectors.addressed_to}
    if params.box not in boxes:
        raise HttpError(400, _("box“{box}”无效，应为 issued 或 addressed").format(box=params.box[:20]))
    if params.status and params.status not in OrderStatus.values:
        raise HttpError(400, _("status“{status}”无效，应为 issued、replied、returned 或 closed").format(
            status=params.status[:20]))
    for name in ("overdue", "listed"):
        if getattr(params, name) not in ("", "0", "1"):
            raise HttpError(400, _("{name} 应为 1 或 0").format(name=name))
    queryset = selectors.filtered(boxes[params.box](who), status=params.status, overdue=params.overdue,
                                  listed=params.listed)
    rows, envelope = cursor_page(request, queryset, params)
    return {"results": [_order(request, o) for o in rows], **envelope}


@router.post("", response={201: OrderOut, **WRITE_ERRORS}, summary="下达督办（领导小组办公室、行业主管部门）")
def order_issue(request: HttpRequest, payload: IssueIn):
    """Numbered at issue (文号 per issuer and year); the deadline in working days or as a date."""
    who = user(request)
    if payload.project_id is not None and not Project.objects.restrict(who).filter(pk=payload.project_id).exists():
        raise HttpError(404, str(services.PROJECT_NOT_FOUND))
    made = services.issue_order(
        actor=actor(request), project=payload.project_id, subject=payload.subject_id, addressee=payload.addressee_id,
        reason=payload.reason, requirements=payload.requirements, deadline_workdays=payload.deadline_workdays,
        deadline=payload.deadline, listed=payload.listed)
    return Status(201, _order(request, _visible(request, made.pk)))


@router.get("/{int:order_id}", response={200: OrderOut, **READ_ERRORS}, summary="督办详情")
def order_detail(request: HttpRequest, order_id: int):
    return _order(request, _visible(request, order_id))


@router.post("/{int:order_id}/reply", response={200: OrderOut, **WRITE_ERRORS}, summary="回复督办（主送单位）")
def order_reply(request: HttpRequest, order_id: int, payload: ReplyIn):
    order = _visible(request, order_id)
    services.reply_order(actor=actor(request), order=order, measures=payload.measures, evidence_ids=payload.evidence,
                         version=payload.version)
    return _order(request, _visible(request, order_id))


@router.post("/{int:order_id}/reply/files", response={200: OrderOut, **WRITE_ERRORS},
             summary="回复督办并上传证明材料（主送单位；multipart/form-data：measures、files、version）")
def order_reply_with_files(request: HttpRequest, order_id: int, measures: Form[str],
                           files: File[list[UploadedFile]] = None, version: Form[int | None] = None):
    """The reply with its files in one request: the way to answer an order on an organisation with evidence (its
    files belong to no project, so they cannot be uploaded through /files first). A refused file refuses the reply
    and stores nothing."""
    order = _visible(request, order_id)
    services.reply_order(actor=actor(request), order=order, measures=measures, uploads=files or [],
                         version=version)
    return _order(request, _visible(request, order_id))


@router.post("/{int:order_id}/actions/{action}", response={200: OrderOut, **WRITE_ERRORS},
             summary="办理（督办单位）：accept 办结（摘牌） / return 退回")
def order_action(request: HttpRequest, order_id: int, action: str, payload: OrderCommentIn | None = None):
    order = _visible(request, order_id)
    if action not in ("accept", "return"):
        raise HttpError(404, _("未知操作“{action}”，应为 accept 或 return").format(action=action[:20]))
    services.review_order(actor=actor(request), order=order, action=action,
                          comment=payload.comment if payload else "", version=payload.version if payload else None)
    return _order(request, _visible(request, order_id))
