"""The JSON API, `/api/v1/`: the ledger's projects, regions and categories. See docs/api.md.

Handlers are thin: visibility through `Project.objects.restrict(user, action)`, writes through
`ledger.services`, the same filters as the list page (`ledger.filters`).
"""


from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Status
from ninja.errors import HttpError
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from halfbuilt.ledger import contacts, services
from halfbuilt.ledger.coverage import scope_warnings
from halfbuilt.ledger.dictionary import project_record
from halfbuilt.ledger.filters import DEFAULT_SORT, SORTS, apply_filters
from halfbuilt.ledger.models import Project
from halfbuilt.ledger.workflow import PROJECT_STATUS
from halfbuilt.regions.models import Category, Region

from . import errors
from .auth import bearer_token, session_auth, signed_in_for_docs
from .common import READ_ERRORS, WRITE_ERRORS, actor, user
from .pagination import Order, PageParams, cursor_page
from .payload import clean_payload
from .schemas import (
    CategoryOut,
    Error,
    ProjectCreate,
    ProjectDetail,
    ProjectPage,
    ProjectPatch,
    RegionOut,
    TransitionIn,
)


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 Chinese as is rather than \\uXXXX escapes: readable in curl, and half the bytes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="半拉子工程大起底管理平台 API",
    version="1",
    description="台账项目、行政区划与项目类别。认证：登录会话（写操作须带 CSRF）或 Authorization: Bearer <令牌>。",
    urls_namespace="api",
    auth=[bearer_token, session_auth],
    # Swagger UI from the ninja package's own static files (no CDN); the validator badge would call out.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url="/docs",
    docs_decorator=signed_in_for_docs,
    renderer=ChineseJSONRenderer(),
)
errors.install(api)
api.add_router("/plans", "halfbuilt.disposal.api.router")
api.add_router("/progress", "halfbuilt.progress.api.router")
api.add_router("/closure", "halfbuilt.closure.api.router")
api.add_router("/files", "halfbuilt.files.api.router")
api.add_router("/orders", "halfbuilt.supervision.orders.api.router")
api.add_router("/green", "halfbuilt.greenchannel.api.router")

# The list page's sorts as keyset orders (only the total investment may be empty).
PROJECT_ORDERS = {
    name: Order(name, spec.lstrip("-").replace("id", "pk"), spec.startswith("-"), spec.endswith("total_investment"))
    for name, spec in SORTS.items()
}


class ListParams(PageParams):
    region: str = Field("", description="地区代码（含下级），如 150200")
    category: str = Field("", description="项目类别代码，如 A03")
    kind: str = Field("", description="stalled / idle")
    status: str = Field("", description="candidate / in_ledger / rejected / voided")
    department: str = Field("", description="行业主管部门代码；unassigned 表示待指定")
    year_from: str = Field("", description="审批年份起，如 2015")
    year_to: str = Field("", description="审批年份止，如 2020")
    total_min: str = Field("", description="总投资下限（万元）")
    total_max: str = Field("", description="总投资上限（万元）")
    q: str = Field("", description="关键词：项目名称包含，或项目代码、台账编号完全相同")
    sort: str = Field("", description="new（默认）、ledger_no、name、total、approval、updated，前加 - 为倒序")
    count: bool = Field(False, description="为 true 时另算总数 count（大数据量时较慢）")


def _visible(request: HttpRequest, project_id: int) -> Project:
    project = (
        Project.objects.restrict(user(request))
        .select_related("region__parent", "category", "department")
        .filter(pk=project_id)
        .first()
    )
    if project is None:
        raise HttpError(404, _("项目不存在，或您无权查看"))
    return project


def _item(project: Project, *, masked: bool = True) -> dict:
    """A project as the API gives it; its contact masked unless the caller maintains it (ledger/contacts.py)."""
    return {"id": project.pk, "version": project.version, **project_record(project, masked=masked)}


def _detail(request: HttpRequest, project: Project, warnings: list | None = None) -> dict:
    return {
        **_item(project, masked=not contacts.in_full(user(request), project)),
        "region_name": project.region.full_name,
        "category_name": project.category.name,
        "department_name": project.department.name if project.department_id else _("待指定"),
        "status_reason": project.status_reason,
        "created_at": timezone.localtime(project.created_at).isoformat(),
        "updated_at": timezone.localtime(project.updated_at).isoformat(),
        "allowed_actions": PROJECT_STATUS.action_names(user(request), project),
        # Outside the campaign's scope (起底范围): kept, and said so, as on the project page.
        "warnings": [*(warnings or []), *({"field": "approval_date", "message": m} for m in scope_warnings(project))],
    }


def _reloaded(request: HttpRequest, project_id: int, warnings: list | None = None) -> dict:
    return _detail(request, _visible(request, project_id), warnings)


@api.get("/projects", response={200: ProjectPage, **READ_ERRORS}, tags=["projects"], summary="项目列表")
def project_list(request: HttpRequest, params: Query[ListParams]):
    """The ledger list's filters over the projects you may see, newest first; page by the `next` link."""
    queryset, state = apply_filters(Project.objects.restrict(user(request)), request.GET)
    if problems := state.problems:
        raise HttpError(400, _("查询参数有误：{problems}").format(problems="；".join(problems)))
    order = PROJECT_ORDERS[state.values.get("sort") or DEFAULT_SORT]
    rows, envelope = cursor_page(request, queryset, params, order, count=params.count)
    return {"results": [_item(p) for p in rows], **envelope}


@api.get("/projects/{int:project_id}", response={200: ProjectDetail, **READ_ERRORS}, tags=["projects"],
         summary="项目详情")
def project_detail(request: HttpRequest, project_id: int):
    return _detail(request, _visible(request, project_id))


@api.post("/projects", response={201: ProjectDetail, **WRITE_ERRORS}, tags=["projects"], summary="新建项目")
def project_create(request: HttpRequest, payload: ProjectCreate):
    """Create a candidate (待核实) project in a region you may submit for."""
    data, warnings = clean_payload(payload.model_dump(exclude_unset=True), user=user(request))
    project = services.project_create(actor=actor(request), data=data)
    return Status(201, _reloaded(request, project.pk, warnings))


@api.patch("/projects/{int:project_id}", response={200: ProjectDetail, **WRITE_ERRORS}, tags=["projects"],
           summary="修改项目（部分字段）")
def project_update(request: HttpRequest, project_id: int, payload: ProjectPatch):
    """Change the keys given; `version` must be the one you read (else 409, nothing is saved)."""
    project = _visible(request, project_id)
    if not Project.objects.restrict(user(request), "change").filter(pk=project.pk).exists():
        raise HttpError(403, _("您无权修改该项目"))
    raw = payload.model_dump(exclude_unset=True)
    version, reason = raw.pop("version"), raw.pop("reason", "")
    data, warnings = clean_payload(raw, user=user(request), project=project)
    services.project_update(actor=actor(request), project=project, data=data, version=version, reason=reason)
    return _reloaded(request, project.pk, warnings)


@api.post("/projects/{int:project_id}/actions/{action}", response={200: ProjectDetail, **WRITE_ERRORS},
          tags=["projects"], summary="状态操作：confirm 纳入台账 / reject 不予认定 / void 作废")
def project_action(request: HttpRequest, project_id: int, action: str, payload: TransitionIn | None = None):
    project = _visible(request, project_id)
    if action not in PROJECT_STATUS.actions:
        raise HttpError(
            404,
            _("未知操作“{action}”，应为 {allowed}").format(
                action=action, allowed="、".join(PROJECT_STATUS.button_actions()),
            ),
        )
    reason = payload.reason if payload else ""
    services.project_transition(actor=actor(request), project=project, action=action, reason=reason)
    return _reloaded(request, project.pk)


@api.get("/regions", response={200: list[RegionOut], 401: Error}, tags=["reference"], summary="行政区划")
def region_list(request: HttpRequest):
    """Every region, parents before children (sorted by code); build the tree from parent_code."""
    return [
        {"code": r.code, "name": r.name, "parent_code": r.parent_id, "level": r.level,
         "is_functional_zone": r.is_functional_zone}
        for r in Region.objects.order_by("code")
    ]


@api.get("/categories", response={200: list[CategoryOut], 401: Error}, tags=["reference"], summary="项目类别")
def category_list(request: HttpRequest):
    return [
        {"code": c.code, "group": c.group, "name": c.name, "examples": c.examples,
         "default_department": c.default_department_id}
        for c in Category.objects.order_by("code")
    ]
