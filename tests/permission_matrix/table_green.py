"""The 绿色通道 rows of the permission table (imported at the end of table.py), and the states they start from.

Each project gets a request with one item, 建设工程规划许可证, addressed to its county's 自然资源局 (the
authorities' own columns — who is addressed and who is not — are in table_greenchannel.py, run by the same test
module). Who sees a request and its items: whoever sees its project; the classified one only its department.
Nobody of these roles acts on an item (that is the authority's); the unit and its regions file and supply
补正; the office and the regions record a 联审会; the office edits the procedures' time limits.
"""

from __future__ import annotations

from . import checks as c
from .grid import State
from .table import pdf_upload, row
from .world import _each

AUTHORITY_ORGS = {"150202": "包头市东河区自然资源局", "150402": "赤峰市红山区自然资源局"}


def _authorities():
    from halfbuilt.accounts.models import Organization, OrgKind
    from halfbuilt.greenchannel.loader import load_procedures
    from halfbuilt.greenchannel.models import Authority

    load_procedures()
    made = {}
    for region, name in AUTHORITY_ORGS.items():
        org, _ = Organization.objects.get_or_create(name=name, region_id=region, defaults={"kind": OrgKind.AUTHORITY})
        Authority.objects.get_or_create(organization=org, defaults={"kind_id": "ZRZY"})
        made[region] = org
    return made


def _disposing(world) -> None:
    from halfbuilt.ledger.models import Project

    Project.objects.filter(pk__in=world.projects.values()).update(status="in_ledger", stage="disposing")


def green(status: str) -> State:
    def setup(world):
        from django.utils import timezone

        from halfbuilt.greenchannel.models import GreenRequest, Item
        from halfbuilt.ledger.models import Project

        orgs, today = _authorities(), timezone.localdate()
        _disposing(world)

        def make(kind, pk):
            project = Project.objects.get(pk=pk)
            filer = world.users["department_gat" if kind == "classified" else "unit"]
            request = GreenRequest.objects.create(project=project, filer_org=filer.role_assignments.get().organization,
                                                  filed_by=filer, filed_on=today)
            authority = orgs["150402" if kind == "elsewhere" else "150202"]
            item = Item.objects.create(request=request, project=project, procedure_type_id="planning_permit",
                                       authority=authority, time_limit=10, received_on=today, clock_from=today,
                                       deadline=today, status=status)
            return {"request": request.pk, "item": item.pk}

        return _each(world, make)

    return State(f"绿色通道 {status}", setup)


def _filing(world):
    _authorities()
    _disposing(world)
    return _each(world, lambda kind, pk: {})


PENDING, SUPPLEMENT = green("pending"), green("supplement")
FILING = State("projects in disposal to file on", _filing)
PROCEDURES = State("the procedures' table", lambda world: (_authorities(), {"none": {}})[1])


def item_has(**fields):
    return c.exists("greenchannel.Item", pk="{item}", **fields)


def _review(ids) -> dict:
    return {"held_on": "2026-01-05", "attendees": "自然资源局", f"conclusion_{ids['item']}": "同意容缺受理"}


def _complete(ids) -> dict:
    from django.utils import timezone

    return {"doc_no": "建字1号", "done_on": timezone.localdate().isoformat(), "document": pdf_upload()}


SEES = dict(  # whoever sees the project sees its request and items
    in_scope="  200  200  200  404  200  200  200  403  403  403  login",
    elsewhere=" 200  200  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    200  404  .    .    .    .    .    .")
NOT_THEIRS = dict(  # an item's decision is its authority's: the others who see it are refused
    in_scope="  403  403  403  404  403  403  403  403  403  403  login",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    403  404  .    .    .    .    .    .")
API_SEES = {k: v.replace("403", "404").replace("login", "401") for k, v in SEES.items()}
API_NOT_THEIRS = dict(
    in_scope="  403  403  403  404  403  403  403  404  404  404  401",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    403  404  .    .    .    .    .    .")

#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("green/", "GET", "/green/", state=PENDING, listed=c.links('id="item-{item}"'),
    rule="the list holds the items of the projects the user sees; roles without projects are refused",
    listing="ie ie i c i i i 403 403 403 login")
row("green/<int:pk>/", "GET", "/green/{request}/", state=PENDING, rule="a request: whoever sees its project", **SEES)
row("green/<int:pk>/docx/", "GET", "/green/{request}/docx/", state=PENDING, rule="its summary: as its page",
    **SEES)
row("green/<int:pk>/review/", "GET", "/green/{request}/review/", state=PENDING,
    rule="a 联审会 is recorded by the office or the project's region (not for a classified project)",
    in_scope="  200  403  403  404  200  200  403  403  403  403  login",
    elsewhere=" 200  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    403  404  .    .    .    .    .    .")
row("green/<int:pk>/review/", "POST", "/green/{request}/review/", state=PENDING, data=_review,
    effect=c.exists("greenchannel.JointReview", request_id="{request}"), redirect="/green/{request}/",
    rule="recording a 联审会 writes it for the office or the region only",
    in_scope="  302+ 403  403  404  302+ 302+ 403  403  403  403  login",
    elsewhere=" 302+ 403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    403  404  .    .    .    .    .    .")
row("green/items/<int:pk>/", "GET", "/green/items/{item}/", state=PENDING, rule="an item: as its request",
    **SEES)
row("green/items/<int:pk>/<str:action>/", "POST", "/green/items/{item}/accept/", state=PENDING,
    effect=item_has(status="processing"), redirect="/green/items/{item}/",
    rule="受理 is the authority's: whoever else sees the item is told no",
    in_scope="  302  302  302  404  302  302  302  403  403  403  login",
    elsewhere=" 302  302  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    302  404  .    .    .    .    .    .")
row("green/items/<int:pk>/<str:action>/", "POST", "/green/items/{item}/delete/", state=PENDING,
    rule="there is no such action", in_scope="  404  .    .    .    .    .    .    .    .    .    login")
row("green/items/<int:pk>/complete/", "GET", "/green/items/{item}/complete/", state=PENDING,
    rule="the 办结 form is the authority's", **NOT_THEIRS)
row("green/items/<int:pk>/complete/", "POST", "/green/items/{item}/complete/", state=PENDING, data=_complete,
    effect=item_has(status="done"), rule="办结 is the authority's", **NOT_THEIRS)
row("green/items/<int:pk>/refuse/", "GET", "/green/items/{item}/refuse/", state=PENDING,
    rule="the 不予办理 form is the authority's", **NOT_THEIRS)
row("green/items/<int:pk>/refuse/", "POST", "/green/items/{item}/refuse/", state=PENDING,
    data={"reason": "不具备条件", "legal_basis": "《城乡规划法》"}, effect=item_has(status="refused"),
    rule="不予办理 is the authority's", **NOT_THEIRS)
row("green/items/<int:pk>/supply/", "GET", "/green/items/{item}/supply/", state=SUPPLEMENT,
    rule="the 补正 form: the unit and its regions (a classified project has no green channel)",
    in_scope="  403  403  403  404  200  200  200  403  403  403  login",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    403  404  .    .    .    .    .    .")
row("green/items/<int:pk>/supply/", "POST", "/green/items/{item}/supply/", state=SUPPLEMENT,
    data={"note": "已补充"}, effect=item_has(status="processing"), redirect="/green/items/{item}/",
    rule="the unit or its regions supply what is missing",
    in_scope="  403  403  403  404  302+ 302+ 302+ 403  403  403  login",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    403  404  .    .    .    .    .    .")
row("green/new/<int:project_id>/", "GET", "/green/new/{project}/", state=FILING,
    rule="the unit or its regions file; who else sees the project is refused",
    in_scope="  403  403  403  404  200  200  200  403  403  403  login",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    403  404  .    .    .    .    .    .")
row("green/new/<int:project_id>/", "POST", "/green/new/{project}/", state=FILING,
    data={"procedures": "planning_permit", "note": "申请联审"},
    effect=c.exists("greenchannel.GreenRequest", project_id="{project}"),
    redirect=c.to_new("greenchannel.GreenRequest", "/green/{pk}/", project_id="{project}"),
    rule="filing writes a request for the unit or its regions only",
    in_scope="  403  403  403  404  302+ 302+ 302+ 403  403  403  login",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    403  404  .    .    .    .    .    .")
row("green/ledger.xlsx", "GET", "/green/ledger.xlsx", state=PENDING,
    rule="the 台账 of the items one sees: every role with projects",
    none="200 200 200 200 200 200 200 403 403 403 login")
row("green/procedures/", "GET", "/green/procedures/", state=PROCEDURES,
    rule="the procedures' table: every role with projects",
    none="200 200 200 200 200 200 200 403 403 403 login")
row("green/procedures/<str:code>/", "GET", "/green/procedures/eia/", state=PROCEDURES,
    rule="editing a time limit is the office's", none="200 403 403 403 403 403 403 403 403 403 login")
row("green/procedures/<str:code>/", "POST", "/green/procedures/eia/", state=PROCEDURES,
    data={"time_limit": "33", "active": "on"}, effect=c.exists("greenchannel.ProcedureType", code="eia", time_limit=33),
    redirect="/green/procedures/", rule="the office edits a time limit",
    none="302+ 403 403 403 403 403 403 403 403 403 login")

row("api/v1/green/items", "GET", "/api/v1/green/items?page_size=200", state=PENDING, listed=c.json_ids("item"),
    rule="the API lists exactly the items the user may see", listing="ie ie i c i i i - - - 401")
row("api/v1/green/items/<int:item_id>", "GET", "/api/v1/green/items/{item}", state=PENDING,
    rule="an item's record: as its page", **API_SEES)
row("api/v1/green/items/<int:item_id>/actions/<action>", "POST", "/api/v1/green/items/{item}/actions/accept",
    state=PENDING, body="json", data={}, effect=item_has(status="processing"),
    rule="受理 through the API is the authority's", **API_NOT_THEIRS)
row("api/v1/green/items/<int:item_id>/complete", "POST", "/api/v1/green/items/{item}/complete", state=PENDING,
    data=_complete, effect=item_has(status="done"), rule="办结 through the API is the authority's",
    **API_NOT_THEIRS)
row("api/v1/green/items/<int:item_id>/refuse", "POST", "/api/v1/green/items/{item}/refuse", state=PENDING,
    body="json", data={"reason": "不具备条件", "legal_basis": "《城乡规划法》"}, effect=item_has(status="refused"),
    rule="不予办理 through the API is the authority's", **API_NOT_THEIRS)
row("api/v1/green/items/<int:item_id>/supply", "POST", "/api/v1/green/items/{item}/supply", state=SUPPLEMENT,
    data={"note": "已补充"}, effect=item_has(status="processing"), rule="补正 through the API: the unit or its regions",
    in_scope="  403  403  403  404  200+ 200+ 200+ 404  404  404  401",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    403  404  .    .    .    .    .    .")
row("api/v1/green/requests", "GET", "/api/v1/green/requests?page_size=200", state=PENDING,
    listed=c.json_ids("request"), rule="the API lists exactly the requests the user may see",
    listing="ie ie i c i i i - - - 401")
row("api/v1/green/requests", "POST", "/api/v1/green/requests", state=FILING, body="json",
    data=lambda ids: {"project_id": ids["project"], "procedures": ["planning_permit"]},
    effect=c.exists("greenchannel.GreenRequest", project_id="{project}"),
    rule="filing through the API: the unit or its regions; a classified project is refused with the reason",
    in_scope="  403  403  403  404  201+ 201+ 201+ 404  404  404  401",
    elsewhere=" 403  403  404  .    404  .    .    .    .    .    .",
    classified="404  404  .    409  404  .    .    .    .    .    .")
row("api/v1/green/requests/<int:request_id>", "GET", "/api/v1/green/requests/{request}", state=PENDING,
    rule="a request's record: as its page", **API_SEES)
