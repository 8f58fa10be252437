"""The JSON API /api/v1/: authentication, scope per role, filters, pagination, writes and errors."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from halfbuilt.accounts.models import ApiToken
from halfbuilt.audit.models import ChangeLog
from halfbuilt.ledger.dictionary import KEYS
from halfbuilt.ledger.models import Project

from .conftest import PASSWORD

API = "/api/v1"
# role → fixture projects visible through the API (the same as the UI's scope, test_scope.py)
VISIBLE = {
    "office": {"in_scope", "elsewhere"},
    "department": {"in_scope", "elsewhere"},
    "department_baotou": {"in_scope"},
    "department_gat": {"classified"},
    "region": {"in_scope"},
    "county": {"in_scope"},
    "unit": {"in_scope"},
    "sysadmin": set(),
    "auditor": set(),
}


def bearer(user) -> Client:
    return Client(headers={"authorization": f"Bearer {ApiToken.issue(user)}"})


def post(client: Client, url: str, data: dict | None = None, method: str = "post"):
    body = json.dumps(data) if data is not None else ""
    return getattr(client, method)(url, body, content_type="application/json")


def all_pages(client: Client, url: str) -> list[dict]:
    results, seen = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        results += body["results"]
        url = body["next"]
        seen += 1
        assert seen < 100, "pagination does not end"
    return results


def new_project_data(**overrides) -> dict:
    data = {
        "name": "东河区第二幼儿园",
        "region_code": "150202",
        "category_code": "A03",
        "kind": "stalled",
        "total_investment": "1260万元",
        "completed_investment": 300.5,
        "approval_date": "2018-06",
        "start_date": 2019,
        "responsible_unit": "东河区教育局",
    }
    data.update(overrides)
    return data


# --- authentication -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method,url", [
    ("get", "/projects"), ("get", "/projects/1"), ("post", "/projects"), ("patch", "/projects/1"),
    ("post", "/projects/1/actions/confirm"), ("get", "/regions"), ("get", "/categories"),
])
def test_anonymous_gets_401_json(db, method, url):
    response = post(Client(), API + url, {}, method) if method != "get" else Client().get(API + url)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "登录" in response.json()["detail"]


def test_bad_token_is_401_even_with_a_session(users, projects):
    client = Client(headers={"authorization": "Bearer hb_not-a-real-token"})
    client.force_login(users["office"])
    response = client.get(f"{API}/projects")
    assert response.status_code == 401
    assert "令牌无效" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_of_inactive_user_is_refused(users, projects):
    client = bearer(users["office"])
    users["office"].is_active = False
    users["office"].save()
    assert client.get(f"{API}/projects").status_code == 401


def test_bearer_token_works_and_records_last_use(users, projects):
    client = bearer(users["office"])
    assert ApiToken.objects.get(user=users["office"]).last_used_at is None
    response = client.get(f"{API}/projects")
    assert response.status_code == 200
    assert {p["id"] for p in response.json()["results"]} == {projects["in_scope"].pk, projects["elsewhere"].pk}
    assert ApiToken.objects.get(user=users["office"]).last_used_at is not None


def test_session_auth_reads(users, projects):
    client = Client()
    form = {"username": "gov_baotou", "password": PASSWORD, "next": f"{API}/regions"}
    signed_in = client.post("/accounts/login/", form)
    assert signed_in.status_code == 302
    response = client.get(f"{API}/projects/{projects['in_scope'].pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "东河区第一中学教学楼"


def test_session_writes_need_csrf(users, reference):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["county"])
    response = post(client, f"{API}/projects", new_project_data())
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Project.objects.exists()

    token = "k" * 32  # what a page's csrftoken cookie holds; the header must repeat it
    client.cookies["csrftoken"] = token
    response = client.post(f"{API}/projects", json.dumps(new_project_data()), content_type="application/json",
                           headers={"X-CSRFToken": token})
    assert response.status_code == 201, response.content
    assert Project.objects.count() == 1


# --- reading: scope, 404s, filters, pagination -----------------------------------------------------------------


@pytest.mark.parametrize("role", VISIBLE)
def test_list_and_detail_follow_the_scope(users, projects, role):
    client = bearer(users[role])
    listed = {p["id"] for p in all_pages(client, f"{API}/projects")}
    assert listed == {projects[name].pk for name in VISIBLE[role]}
    for name, project in projects.items():
        response = client.get(f"{API}/projects/{project.pk}")
        expected = 200 if name in VISIBLE[role] else 404
        assert response.status_code == expected, (role, name)
        assert response["Content-Type"].startswith("application/json")
        if expected == 404:
            assert "不存在" in response.json()["detail"]


def test_items_carry_id_and_dictionary_keys(users, projects):
    client = bearer(users["region"])
    item = client.get(f"{API}/projects").json()["results"][0]
    assert set(KEYS) <= set(item)
    assert item["id"] == projects["in_scope"].pk
    assert item["region_code"] == "150202"
    assert item["total_investment"] == 1000
    detail = client.get(f"{API}/projects/{item['id']}").json()
    assert detail["region_name"] == "包头市东河区"
    assert detail["version"] == 1
    assert detail["allowed_actions"] == ["void"]  # the league may void, only the department confirms


def test_filters_are_the_list_pages(users, projects, make_project):
    make_project(name="东河区体育馆", category_id="A08", kind="idle", approval_date="2012-05",
                 total_investment=Decimal("80"), completed_investment=Decimal("80"))
    client = bearer(users["office"])

    def names(query: str) -> set[str]:
        return {p["name"] for p in all_pages(client, f"{API}/projects?{query}")}

    assert names("region=150400") == {"红山区幼儿园"}
    assert names("region=150200&kind=idle") == {"东河区体育馆"}
    assert names("category=A08") == {"东河区体育馆"}
    assert names("q=体育") == {"东河区体育馆"}
    assert names("year_to=2015") == {"东河区体育馆"}
    assert names("total_min=500") == {"东河区第一中学教学楼", "红山区幼儿园"}
    assert names("status=in_ledger") == set()


@pytest.mark.parametrize("query,message", [
    ("year_from=20x5", "审批年份起“20x5”应为四位年份"),
    ("total_max=many", "总投资上限“many”不是数字"),
    ("kind=broken", "类型“broken”无效"),
    ("page_size=0", "每页条数 page_size不能小于 1"),
    ("page_size=500", "每页条数 page_size不能大于 200"),
    ("cursor=garbage", "翻页游标 cursor 无效"),
])
def test_bad_filters_are_400_in_chinese(users, projects, query, message):
    response = bearer(users["office"]).get(f"{API}/projects?{query}")
    assert response.status_code == 400
    assert message in json.dumps(response.json(), ensure_ascii=False)


@pytest.mark.parametrize("sort", ["", "name", "-name", "total", "-total", "approval", "-approval", "ledger_no",
                                  "updated", "-updated"])
def test_pagination_walks_every_row_once_and_ends_with_null(users, projects, make_project, sort):
    totals = [None, Decimal("5"), Decimal("5"), None, Decimal("70"), Decimal("5"), Decimal("900")]
    for n, total in enumerate(totals):
        make_project(name=f"分页项目{n % 3}", total_investment=total, completed_investment=None,
                     approval_date=["2018", "2018-06", ""][n % 3])
    client = bearer(users["region"])
    expected = list(Project.objects.restrict(users["region"]).values_list("pk", flat=True))
    pages = []
    url = f"{API}/projects?page_size=3&sort={sort}"
    while url:
        body = client.get(url).json()
        pages.append([p["id"] for p in body["results"]])
        url = body["next"]
        if url:
            assert url.startswith("http://testserver/api/v1/projects?") and f"sort={sort}" in url
    ids = [pk for page in pages for pk in page]
    assert sorted(ids) == sorted(expected) and len(ids) == len(set(ids))
    assert [len(page) for page in pages] == [3, 3, 2]
    assert body["next"] is None
    first = client.get(f"{API}/projects?sort={sort}&page_size=200").json()["results"]
    assert [p["id"] for p in first] == ids  # pages concatenate to the unpaginated order


def test_count_on_request(users, projects):
    body = bearer(users["office"]).get(f"{API}/projects?count=true&page_size=1").json()
    assert body["count"] == 2 and len(body["results"]) == 1 and body["next"]


def test_reference_lists(users, reference):
    client = bearer(users["unit"])
    regions = {r["code"]: r for r in client.get(f"{API}/regions").json()}
    assert regions["150202"] == {"code": "150202", "name": "东河区", "parent_code": "150200", "level": "county",
                                 "is_functional_zone": False}
    assert regions["150000"]["parent_code"] is None
    assert any(r["is_functional_zone"] for r in regions.values())
    categories = {c["code"]: c for c in client.get(f"{API}/categories").json()}
    assert categories["A03"]["name"] == "教育" and categories["A03"]["default_department"] == "JYT"
    assert categories["A02"]["default_department"] is None
    assert len(categories) >= 10


# --- writing -----------------------------------------------------------------------------------------------------


def test_create_in_scope(users, reference):
    response = post(bearer(users["county"]), f"{API}/projects", new_project_data(owner_uscc="91150200MA0N000000"))
    assert response.status_code == 201, response.content
    body = response.json()
    project = Project.objects.get(pk=body["id"])
    assert project.ledger_no == body["ledger_no"] == "150202-00001"
    assert project.total_investment == Decimal("1260") and project.completed_investment == Decimal("300.5")
    assert project.approval_date == body["approval_date"] == "2018-06"
    assert project.start_date == "2019"
    assert project.department_id == "JYT"  # the category's default
    assert project.status == "candidate" and body["status"] == "candidate"
    assert body["warnings"][0]["field"] == "owner_uscc" and "校验位" in body["warnings"][0]["message"]
    log = ChangeLog.objects.get(object_type="project", object_id=project.pk)
    assert log.action == "create" and log.via == "api" and log.username == "gov_donghe"


def test_create_outside_scope_is_403(users, reference):
    response = post(bearer(users["county"]), f"{API}/projects", new_project_data(region_code="150402"))
    assert response.status_code == 403
    assert "无权在“赤峰市红山区”填报" in response.json()["detail"]
    assert not Project.objects.exists()


@pytest.mark.parametrize("role", ["unit", "sysadmin", "auditor"])
def test_roles_without_submission_cannot_create(users, reference, role):
    assert post(bearer(users[role]), f"{API}/projects", new_project_data()).status_code == 403
    assert not Project.objects.exists()


def test_create_reports_every_field_error_in_chinese(users, reference):
    data = new_project_data(
        name=" ", category_code="Z99", total_investment="很多", approval_date="2018年13月",
        project_code="2018-15", kind="半拉子", status="in_ledger",
    )
    response = post(bearer(users["county"]), f"{API}/projects", data)
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["detail"]}
    assert set(errors) == {"status"}  # the shape is checked first: a read-only key
    assert "actions" in errors["status"]
    del data["status"]
    response = post(bearer(users["county"]), f"{API}/projects", data)
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["detail"]}
    assert set(errors) == {"name", "category_code", "total_investment", "approval_date", "project_code", "kind"}
    assert errors["name"] == "请填写项目名称"
    assert "Z99" in errors["category_code"]
    assert "金额“很多”无法识别" in errors["total_investment"]
    assert "不存在" in errors["approval_date"]
    assert "YYYY-RRRRRR" in errors["project_code"]
    assert "stalled" in errors["kind"]
    assert not Project.objects.exists()


def test_create_type_errors_and_missing_keys(users, reference):
    response = post(bearer(users["county"]), f"{API}/projects", {"name": ["x"], "classified": "maybe"})
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["detail"]}
    assert errors["name"] == "项目名称应为文本"
    assert errors["region_code"] == "所在地区代码必填"
    assert errors["classified"] == "涉密应为 true 或 false"
    response = bearer(users["county"]).post(f"{API}/projects", "{not json", content_type="application/json")
    assert response.status_code == 400 and "JSON" in response.json()["detail"]


def test_create_cross_field_rule(users, reference):
    data = new_project_data(total_investment=100, completed_investment=200)
    response = post(bearer(users["county"]), f"{API}/projects", data)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "completed_investment", "message": "已完成投资 200 万元大于总投资 100 万元"}
    ]


def test_update_with_version(users, projects):
    project = projects["in_scope"]
    client = bearer(users["region"])
    response = post(client, f"{API}/projects/{project.pk}",
                    {"version": 1, "name": "东河区第一中学新教学楼", "stop_date": "2020年3月", "reason": "更正名称"},
                    "patch")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2 and response.json()["stop_date"] == "2020-03"
    project.refresh_from_db()
    assert project.name == "东河区第一中学新教学楼" and project.total_investment == Decimal("1000")
    assert ChangeLog.objects.filter(object_id=project.pk, action="update", reason="更正名称").exists()

    stale = post(client, f"{API}/projects/{project.pk}", {"version": 1, "name": "别人的改动"}, "patch")
    assert stale.status_code == 409
    assert "已被" in stale.json()["detail"] and "版本" in stale.json()["detail"]
    project.refresh_from_db()
    assert project.name == "东河区第一中学新教学楼"


def test_update_needs_version_and_valid_values(users, projects):
    url = f"{API}/projects/{projects['in_scope'].pk}"
    missing = post(bearer(users["office"]), url, {"name": "x"}, "patch")
    assert missing.status_code == 422
    assert missing.json()["detail"] == [{"field": "version", "message": "版本号 version必填"}]
    bad = post(bearer(users["office"]), url, {"version": 1, "completed_investment": 5000, "region_code": None},
               "patch")
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["detail"]} == {"region_code"}


@pytest.mark.parametrize("role,project,status", [
    ("unit", "in_scope", 403),  # visible but not changeable
    ("region", "elsewhere", 404),
    ("region", "classified", 404),
    ("office", "classified", 404),
    ("county", "in_scope", 200),
    ("department_gat", "classified", 200),
])
def test_update_permissions(users, projects, role, project, status):
    response = post(bearer(users[role]), f"{API}/projects/{projects[project].pk}", {"version": 1, "phone": "123"},
                    "patch")
    assert response.status_code == status
    projects[project].refresh_from_db()
    assert (projects[project].phone == "123") == (status == 200)


def test_update_cannot_move_project_out_of_scope(users, projects):
    url = f"{API}/projects/{projects['in_scope'].pk}"
    response = post(bearer(users["region"]), url, {"version": 1, "region_code": "150402"}, "patch")
    assert response.status_code == 403
    projects["in_scope"].refresh_from_db()
    assert projects["in_scope"].region_id == "150202"


def test_actions(users, projects):
    project = projects["in_scope"]
    url = f"{API}/projects/{project.pk}/actions"
    assert post(bearer(users["region"]), f"{url}/confirm").status_code == 403
    assert post(bearer(users["unit"]), f"{url}/void", {"reason": "重复"}).status_code == 403
    assert post(bearer(users["region"]), f"{url}/explode").status_code == 404
    no_reason = post(bearer(users["department"]), f"{url}/reject", {})
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["field"] == "reason"

    confirmed = post(bearer(users["department_baotou"]), f"{url}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "in_ledger"
    again = post(bearer(users["department"]), f"{url}/confirm")
    assert again.status_code == 409 and "已入账" in again.json()["detail"]
    voided = post(bearer(users["region"]), f"{url}/void", {"reason": "重复填报"})
    assert voided.status_code == 200
    assert voided.json()["status"] == "voided" and voided.json()["status_reason"] == "重复填报"
    assert post(bearer(users["region"]), f"{API}/projects/{projects['classified'].pk}/actions/void",
                {"reason": "x"}).status_code == 404


# --- the schema and the edges --------------------------------------------------------------------------------------


def test_openapi_schema_lists_the_paths(db, users):
    response = Client().get(f"{API}/openapi.json", headers={"authorization": f"Bearer {ApiToken.issue(users['unit'])}"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert {"/api/v1/projects", "/api/v1/projects/{project_id}", "/api/v1/projects/{project_id}/actions/{action}",
            "/api/v1/regions", "/api/v1/categories"} <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/projects"]) == {"get", "post"}
    assert {"BearerToken", "SessionAuth"} == set(schema["components"]["securitySchemes"])


def test_the_schema_and_the_docs_page_need_a_signed_in_user_or_a_token(db, users):
    anonymous = Client()
    refused = anonymous.get(f"{API}/openapi.json")
    assert refused.status_code == 401 and refused.json()["detail"] == "请先登录，或使用 API 令牌"
    wrong = anonymous.get(f"{API}/openapi.json", headers={"authorization": "Bearer hb_nope"})
    assert wrong.status_code == 401 and "令牌无效" in wrong.json()["detail"]
    page = anonymous.get(f"{API}/docs")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/")
    anonymous.force_login(users["unit"])
    assert anonymous.get(f"{API}/docs").status_code == 200


def test_docs_page_loads_nothing_from_a_cdn(db, users):
    client = Client()
    client.force_login(users["unit"])
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "http://" not in html and "https://" not in html and "//cdn" not in html


@pytest.mark.parametrize("url", ["/", "/nope", "/projects/abc", "/projects/999999", "/projects/1/actions/confirm/x"])
def test_unknown_addresses_are_json_404(users, url):
    response = bearer(users["office"]).get(API + url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_update_clears_keys_sent_as_null_and_accepts_county_wording(users, projects):
    project = projects["in_scope"]
    response = post(bearer(users["county"]), f"{API}/projects/{project.pk}", {
        "version": 1, "completed_investment": None, "total_investment": "0.126亿元", "approval_level": "旗县",
        "kind": "已竣工未投用", "department": None, "responsible_unit": "",
    }, "patch")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["completed_investment"] is None and body["total_investment"] == 1260
    assert body["approval_level"] == "county" and body["kind"] == "idle"
    assert body["department"] is None and body["department_name"] == "待指定"
    project.refresh_from_db()
    assert project.responsible_unit == "" and project.responsible_org is None


def test_unsupported_method_is_json_405_and_nothing_is_deleted(users, projects):
    response = bearer(users["office"]).delete(f"{API}/projects/{projects['in_scope'].pk}")
    assert response.status_code == 405
    assert "DELETE" in response.json()["detail"] and "PATCH" in response["Allow"]
    assert Project.objects.filter(pk=projects["in_scope"].pk).exists()


def test_chinese_is_sent_as_utf8_not_escaped(users, projects):
    response = bearer(users["region"]).get(f"{API}/projects")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "东河区第一中学教学楼" in response.content.decode("utf-8")
