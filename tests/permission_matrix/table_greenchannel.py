"""The green channel's permission table: every route × role → what the user gets (written as data).

The world (tests/greenchannel_helpers.py on tests/world.py): the in_scope project (Donghe school, education) has
a request R with two items, P (建设工程规划许可证, to Donghe's 自然资源局 `zrzy`) and F (消防验收, to Donghe's
消防救援大队 `xf`); the classified GAT project has a request K (made straight in the database: the services
never file one) with item C addressed to `zrzy` too — which it must never see. `chifeng_zrzy` is an authority
nothing is addressed to. Roles are the columns of ROLES; tokens: a status code, `+` when the row's effect happened
(writes) — without it the effect must not have happened —, `login` for the sign-in redirect. A listing row says
instead which of the world's objects (letters P F C for items, R K for requests) the answer lists, `-` for none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("office", "department", "department_gat", "region", "unit", "zrzy", "xf", "chifeng_zrzy", "sysadmin",
         "anonymous")


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # formatted with the world's ids: {R} {K} {P} {F} {C} {project}
    grid: str  # one token per role
    rule: str
    data: dict | Callable | None = None
    effect: Callable | None = None  # effect(world) -> bool, for writes
    listing: str = ""  # "items" / "requests": the grid says which objects are listed
    setup: Callable | None = None  # setup(world): the state the row starts from
    multipart: bool = False
    tokens: list[str] = field(default_factory=list)

    def cells(self) -> dict[str, str]:
        tokens = self.grid.split()
        assert len(tokens) == len(ROLES), f"{self.method} {self.path}: {len(tokens)} tokens"
        return dict(zip(ROLES, tokens, strict=True))


def _status(key: str, status: str):
    def check(world) -> bool:
        from halfbuilt.greenchannel.models import Item

        return Item.objects.filter(pk=world.ids[key], status=status).exists()

    return check


def _supplement(world) -> None:
    from halfbuilt.greenchannel.models import Item

    Item.objects.filter(pk=world.ids["P"]).update(status="supplement", missing="缺少总平面图")


def _filed(world) -> bool:
    from halfbuilt.greenchannel.models import Item

    return Item.objects.filter(project_id=world.ids["project"], procedure_type_id="completion_acceptance").exists()


def _reviewed(world) -> bool:
    from halfbuilt.greenchannel.models import JointReview

    return JointReview.objects.filter(request_id=world.ids["R"]).exists()


def _limit_changed(world) -> bool:
    from halfbuilt.greenchannel.models import ProcedureType

    return ProcedureType.objects.get(code="eia").time_limit == 33


def _pdf():
    from tests.greenchannel_helpers import pdf

    return pdf()


REVIEW = lambda ids: {"held_on": "2026-01-05", "attendees": "自然资源局、消防救援大队",  # noqa: E731
                      f"conclusion_{ids['P']}": "同意容缺受理"}
def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


COMPLETE = lambda ids: {"doc_no": "建字第0012号", "done_on": _today(), "document": _pdf()}  # noqa: E731

#              office dept dept_gat region unit zrzy xf chifeng sysadm anon
TABLE: tuple[Row, ...] = (
    Row("GET", "/green/", "PF PF C PF PF P F - 403 login", listing="items",
        rule="the list holds the items of the projects one sees; an authority only those addressed to it, never "
             "a classified project's"),
    Row("GET", "/green/", "R R K R R - - - 403 login", listing="requests",
        rule="the requests of the projects one sees (an authority sees its items' queue instead)"),
    Row("GET", "/green/{R}/", "PF PF 404 PF PF P F 404 403 login", listing="items",
        rule="a request's page lists the items the user sees: an authority only its own"),
    Row("GET", "/green/{K}/", "404 404 C 404 404 404 404 404 403 login", listing="items",
        rule="a classified project's request exists only for its owning department, not for the authority "
             "addressed"),
    Row("GET", "/green/{R}/docx/", "200 200 404 200 200 200 200 404 403 login", rule="the summary: as the page"),
    Row("GET", "/green/items/{P}/", "200 200 404 200 200 200 404 404 403 login",
        rule="an item: whoever sees its project, and its authority; another authority gets a 404"),
    Row("GET", "/green/items/{C}/", "404 404 200 404 404 404 404 404 403 login",
        rule="the classified project's item: its owning department only"),
    Row("POST", "/green/items/{P}/accept/", "302 302 404 302 302 302+ 404 404 403 login",
        effect=_status("P", "processing"), rule="only the addressed authority accepts (受理)"),
    Row("POST", "/green/items/{P}/supplement/", "302 302 404 302 302 302+ 404 404 403 login",
        data={"comment": "缺少总平面图"}, effect=_status("P", "supplement"),
        rule="only the addressed authority asks for 补正"),
    Row("POST", "/green/items/{P}/withdraw/", "404 404 404 404 404 404 404 404 403 login",
        rule="an action the table does not have is a 404"),
    Row("GET", "/green/items/{P}/complete/", "403 403 404 403 403 200 404 404 403 login",
        rule="the 办结 form: the addressed authority"),
    Row("POST", "/green/items/{P}/complete/", "403 403 404 403 403 302+ 404 404 403 login", data=COMPLETE,
        multipart=True, effect=_status("P", "done"), rule="办结 with 文号, date and document: the authority"),
    Row("GET", "/green/items/{P}/refuse/", "403 403 404 403 403 200 404 404 403 login",
        rule="the 不予办理 form: the addressed authority"),
    Row("POST", "/green/items/{P}/refuse/", "403 403 404 403 403 302+ 404 404 403 login",
        data={"reason": "不具备条件", "legal_basis": "《城乡规划法》第四十条"}, effect=_status("P", "refused"),
        rule="不予办理 with reason and legal basis: the authority"),
    Row("GET", "/green/items/{P}/supply/", "403 403 404 200 200 403 404 404 403 login", setup=_supplement,
        rule="the 补正 form: the unit or its region, on an item in 需补正"),
    Row("POST", "/green/items/{P}/supply/", "403 403 404 302+ 302+ 403 404 404 403 login", setup=_supplement,
        data={"note": "已补充总平面图"}, multipart=True, effect=_status("P", "processing"),
        rule="the unit or its region supply what is missing; the clock runs again"),
    Row("GET", "/green/new/{project}/", "403 403 404 200 200 403 403 404 403 login",
        rule="filing: the unit or its region; those who see the project otherwise are refused"),
    Row("POST", "/green/new/{project}/", "403 403 404 302+ 302+ 403 403 404 403 login",
        data={"procedures": "completion_acceptance", "note": "请求联审"}, multipart=True, effect=_filed,
        rule="filing writes a request for the unit or its region only"),
    Row("GET", "/green/{R}/review/", "200 403 404 200 403 403 403 404 403 login",
        rule="联审会: the office or the project's region convenes"),
    Row("POST", "/green/{R}/review/", "302+ 403 404 302+ 403 403 403 404 403 login", data=REVIEW,
        effect=_reviewed, rule="a 联审会 is recorded by the office or the region"),
    Row("GET", "/green/ledger.xlsx", "PF PF C PF PF P F - 403 login", listing="xlsx",
        rule="the 台账 holds the items one sees: an authority's only its own"),
    Row("GET", "/green/procedures/", "200 200 200 200 200 200 200 200 403 login",
        rule="the procedures' table: everyone with projects"),
    Row("GET", "/green/procedures/eia/", "200 403 403 403 403 403 403 403 403 login",
        rule="editing a time limit: the office"),
    Row("POST", "/green/procedures/eia/", "302+ 403 403 403 403 403 403 403 403 login",
        data={"time_limit": "33", "active": "on"}, effect=_limit_changed, rule="the office edits a time limit"),
    # The API: same scope; a token of the authority's own system acts as its users do.
    Row("GET", "/api/v1/green/items", "PF PF C PF PF P F - - 401", listing="api_items",
        rule="the API lists what the pages list"),
    Row("GET", "/api/v1/green/requests", "R R K R R R R - - 401", listing="api_requests",
        rule="an authority's API lists the requests its items belong to (their other items left out)"),
    Row("GET", "/api/v1/green/requests/{R}", "200 200 404 200 200 200 200 404 404 401",
        rule="a request: as its page"),
    Row("GET", "/api/v1/green/items/{P}", "200 200 404 200 200 200 404 404 404 401", rule="an item: as its page"),
    Row("GET", "/api/v1/green/items/{C}", "404 404 200 404 404 404 404 404 404 401",
        rule="the classified project's item: its owning department only"),
    Row("POST", "/api/v1/green/items/{P}/actions/accept", "403 403 404 403 403 200+ 404 404 404 401",
        effect=_status("P", "processing"), rule="only the addressed authority accepts"),
    Row("POST", "/api/v1/green/items/{P}/complete", "403 403 404 403 403 200+ 404 404 404 401", data=COMPLETE,
        multipart=True, effect=_status("P", "done"), rule="an authority's system posts its result"),
    Row("POST", "/api/v1/green/items/{P}/refuse", "403 403 404 403 403 200+ 404 404 404 401",
        data={"reason": "不具备条件", "legal_basis": "《城乡规划法》"}, effect=_status("P", "refused"),
        rule="不予办理 through the API"),
    Row("POST", "/api/v1/green/items/{P}/supply", "403 403 404 200+ 200+ 403 404 404 404 401", setup=_supplement,
        data={"note": "已补充"}, multipart=True, effect=_status("P", "processing"), rule="补正 through the API"),
    Row("POST", "/api/v1/green/requests", "403 403 404 201+ 201+ 403 403 404 404 401",
        data=lambda ids: {"project_id": ids["project"], "procedures": ["completion_acceptance"]}, effect=_filed,
        rule="filing through the API: the unit or its region"),
)
