"""The /api/v1/green endpoints (绿色通道): requests (list, file, detail) and items (list, detail, accept, ask for
补正, complete with the 文号 and the document, refuse, supply) — so an authority's own approval system can post
its results. Mounted by halfbuilt.api.api; same scope as the pages (`restrict`); writes go through `services`,
whose errors become JSON 4xx via `api/errors.py`."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import ConfigDict

from halfbuilt.api.common import READ_ERRORS, WRITE_ERRORS, actor, user
from halfbuilt.api.pagination import Page, PageParams, cursor_page
from halfbuilt.api.schemas import DbInt, Id
from halfbuilt.ledger.models import Project

from . import clocks, selectors, services
from .models import GreenRequest, Item
from .states import ItemStatus
from .workflow import ITEM_FLOW

router = Router(tags=["green"])


class GreenItemOut(Schema):
    id: int
    request_id: int
    project_id: int
    project: str
    procedure: str = Field(description="手续代码（参考表）")
    procedure_name: str
    authority_id: int
    authority: str
    status: str = Field(description="pending 待受理 / processing 办理中 / supplement 需补正 / done 已办结 / "
                                    "refused 不予办理")
    status_label: str
    time_limit: int = Field(description="办理时限（工作日）")
    received_on: date
    deadline: date | None = Field(description="办理期限；需补正（暂停计时）时为 null")
    remaining_workdays: int = Field(description="剩余工作日；负数为已超期的工作日数")
    used_workdays: int
    overdue: bool
    missing: str = Field(description="需补正的材料")
    doc_no: str
    done_on: date | None
    document_id: str | None = Field(description="批准文件（附件 id）")
    refusal_reason: str
    legal_basis: str
    version: int
    allowed_actions: list[str] = Field(description="当前用户现在可执行的操作：accept / supplement / complete / "
                                                   "refuse / supply")


class GreenRequestOut(Schema):
    id: int
    project_id: int
    project: str
    filer_org: str
    filed_on: date
    note: str
    status: str = Field(description="open 办理中 / concluded 已办结")
    status_label: str
    items: list[GreenItemOut] = Field(description="您可见的事项（审批部门只见送达本单位的）")


class GreenFileIn(Schema):
    model_config = ConfigDict(extra="forbid")

    project_id: Id
    procedures: list[str] = Field(description="手续代码，如 planning_permit、fire_acceptance")
    note: str = ""
    documents: list[str] = Field([], description="申请材料：本项目已上传附件的 id（先通过 /api/v1/files 上传）")


class GreenCommentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field("", description="需补正的材料（supplement 必填）")
    version: DbInt | None = None


class GreenRefuseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str
    legal_basis: str
    version: DbInt | None = None


class GreenItemParams(PageParams):
    status: str = Field("", description="pending / processing / supplement / done / refused")
    overdue: str = Field("", description="1：只列已超期的")


def _item(request: HttpRequest, item: Item) -> dict:
    clock = clocks.clock_of(item)
    return {
        "id": item.pk, "request_id": item.request_id, "project_id": item.project_id, "project": item.project.name,
        "procedure": item.procedure_type_id, "procedure_name": item.procedure_type.name,
        "authority_id": item.authority_id, "authority": item.authority.name, "status": item.status,
        "status_label": item.get_status_display(), "time_limit": item.time_limit, "received_on": item.received_on,
        "deadline": clock.deadline, "remaining_workdays": clock.remaining, "used_workdays": clock.used,
        "overdue": clock.overdue, "missing": item.missing, "doc_no": item.doc_no, "done_on": item.done_on,
        "document_id": str(item.document_id) if item.document_id else None, "refusal_reason": item.refusal_reason,
        "legal_basis": item.legal_basis, "version": item.version,
        "allowed_actions": [t.action for t in ITEM_FLOW.allowed(user(request), item)],
    }


def _request_out(request: HttpRequest, found: GreenRequest) -> dict:
    items = selectors.items(user(request)).filter(request=found)
    return {"id": found.pk, "project_id": found.project_id, "project": found.project.name,
            "filer_org": found.filer_org.name, "filed_on": found.filed_on, "note": found.note,
            "status": found.status, "status_label": found.get_status_display(),
            "items": [_item(request, i) for i in items]}


def _visible_request(request: HttpRequest, pk: int) -> GreenRequest:
    found = selectors.requests(user(request)).filter(pk=pk).first()
    if found is None:
        raise HttpError(404, str(services.NOT_FOUND))
    return found


def _visible_item(request: HttpRequest, pk: int) -> Item:
    found = selectors.items(user(request)).filter(pk=pk).first()
    if found is None:
        raise HttpError(404, str(services.ITEM_NOT_FOUND))
    return found


@router.get("/requests", response={200: Page[GreenRequestOut], **READ_ERRORS}, summary="绿色通道申请列表")
def request_list(request: HttpRequest, params: Query[PageParams]):
    rows, envelope = cursor_page(request, selectors.requests(user(request)), params)
    return {"results": [_request_out(request, r) for r in rows], **envelope}


@router.post("/requests", response={201: GreenRequestOut, **WRITE_ERRORS}, summary="申请绿色通道（责任单位或所在地区）")
def request_file(request: HttpRequest, payload: GreenFileIn):
    """One item per procedure, each sent to its authority at once, its clock started today. Documents: upload
    them to /api/v1/files for the project first and name them in `documents`."""
    if not Project.objects.restrict(user(request)).filter(pk=payload.project_id).exists():
        raise HttpError(404, str(services.PROJECT_NOT_FOUND))
    made = services.file_request(actor=actor(request), project=payload.project_id, procedures=payload.procedures,
                                 note=payload.note, document_ids=payload.documents)
    return Status(201, _request_out(request, _visible_request(request, made.pk)))


@router.get("/requests/{int:request_id}", response={200: GreenRequestOut, **READ_ERRORS}, summary="绿色通道申请详情")
def request_detail(request: HttpRequest, request_id: int):
    return _request_out(request, _visible_request(request, request_id))


@router.get("/items", response={200: Page[GreenItemOut], **READ_ERRORS},
            summary="事项列表（审批部门：送达本单位的事项）")
def item_list(request: HttpRequest, params: Query[GreenItemParams]):
    if params.status and params.status not in ItemStatus.values:
        raise HttpError(400, _("status“{status}”无效").format(status=params.status[:20]))
    if params.overdue not in ("", "1"):
        raise HttpError(400, _("overdue 应为 1 或省略"))
    queryset = selectors.filtered(selectors.items(user(request)), status=params.status, overdue=params.overdue)
    rows, envelope = cursor_page(request, queryset, params)
    return {"results": [_item(request, i) for i in rows], **envelope}


@router.get("/items/{int:item_id}", response={200: GreenItemOut, **READ_ERRORS}, summary="事项详情")
def item_detail(request: HttpRequest, item_id: int):
    return _item(request, _visible_item(request, item_id))


@router.post("/items/{int:item_id}/actions/{action}", response={200: GreenItemOut, **WRITE_ERRORS},
             summary="审批部门：accept 受理 / supplement 需补正（暂停计时）")
def item_action(request: HttpRequest, item_id: int, action: str, payload: GreenCommentIn | None = None):
    found = _visible_item(request, item_id)
    if action not in ("accept", "supplement"):
        raise HttpError(404, _("未知操作“{action}”，应为 accept 或 supplement").format(action=action[:20]))
    services.act(actor=actor(request), item=found, action=action, comment=payload.comment if payload else "",
                 version=payload.version if payload else None)
    return _item(request, _visible_item(request, item_id))


@router.post("/items/{int:item_id}/complete", response={200: GreenItemOut, **WRITE_ERRORS},
             summary="审批部门：办结（multipart/form-data：doc_no、done_on、document）")
def item_complete(request: HttpRequest, item_id: int, doc_no: Form[str], done_on: Form[str],
                  document: File[UploadedFile], version: Form[int | None] = None):
    """The plan's procedure is marked done in the same transaction; the unit is told."""
    found = _visible_item(request, item_id)
    services.complete(actor=actor(request), item=found, doc_no=doc_no, done_on=done_on, document=document,
                      version=version)
    return _item(request, _visible_item(request, item_id))


@router.post("/items/{int:item_id}/refuse", response={200: GreenItemOut, **WRITE_ERRORS},
             summary="审批部门：不予办理（理由、法律依据）")
def item_refuse(request: HttpRequest, item_id: int, payload: GreenRefuseIn):
    found = _visible_item(request, item_id)
    services.refuse(actor=actor(request), item=found, reason=payload.reason, legal_basis=payload.legal_basis,
                    version=payload.version)
    return _item(request, _visible_item(request, item_id))


@router.post("/items/{int:item_id}/supply", response={200: GreenItemOut, **WRITE_ERRORS},
             summary="责任单位：提交补正材料（multipart/form-data：note、files），恢复计时")
def item_supply(request: HttpRequest, item_id: int, note: Form[str], files: File[list[UploadedFile]] = None,
                version: Form[int | None] = None):
    found = _visible_item(request, item_id)
    services.supply(actor=actor(request), item=found, note=note, uploads=files or [], version=version)
    return _item(request, _visible_item(request, item_id))
