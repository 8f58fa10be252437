"""No 500s: every hostile or absurd input a user (or a script) can send gets a 4xx with a Chinese message naming
the field, at the layer the user meets it: the web form, the API, the command line's importer."""

import base64
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from halfbuilt.accounts.models import ApiToken
from halfbuilt.ledger.models import Project

API = "/api/v1"
HUGE = str(10**25)
CODE = "2018-150202-47-01-012345"
ABSURD_AMOUNTS = [1e300, -2.5e259, 1e24, 10**25, "1234567890123456789012345", "NaN", "Infinity", "-Infinity"]


def bearer(user) -> Client:
    return Client(headers={"authorization": f"Bearer {ApiToken.issue(user)}"})


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def post_json(client: Client, url: str, body) -> tuple[int, dict]:
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    response = client.post(url, text, content_type="application/json")
    return response.status_code, response.json()


def new_project(**fields) -> dict:
    return {"name": "东河区第二幼儿园", "region_code": "150202", "category_code": "A03", "kind": "stalled", **fields}


def form_data(**fields) -> dict:
    return {"name": "东河区第二幼儿园", "region": "150202", "category": "A03", "kind": "stalled", **fields}


def messages_of(body: dict) -> dict[str, str]:
    return {e["field"]: e["message"] for e in body["detail"]}


# --- 1. a duplicate 项目代码 ---------------------------------------------------------------------------------

def test_a_duplicate_project_code_in_the_form_is_a_message_at_the_field(users, projects, make_project):
    make_project(project_code=CODE)
    response = signed_in(users["county"]).post("/ledger/new/", form_data(project_code=CODE))
    assert response.status_code == 200
    assert response.context["form"].errors["project_code"] == [f"项目代码“{CODE}”已被其他项目使用"]
    assert Project.objects.filter(project_code=CODE).count() == 1


def test_a_duplicate_project_code_in_an_edit_is_a_message_at_the_field(users, projects, make_project):
    make_project(project_code=CODE)
    school = projects["in_scope"]
    data = form_data(project_code=CODE, version=school.version, total_investment="1000", completed_investment="400")
    response = signed_in(users["county"]).post(f"/ledger/{school.pk}/edit/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["project_code"] == [f"项目代码“{CODE}”已被其他项目使用"]


# --- 2. pages past the end -------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/ledger/", "/disposal/", "/notifications/"])
def test_a_page_past_the_end_shows_the_last_page(users, projects, settings, url):
    settings.LEDGER_EXACT_COUNT_MAX = 0  # the ledger counts only a few pages ahead of the one asked
    response = signed_in(users["office"]).get(f"{url}?page={10**20}")
    assert response.status_code == 200
    page = response.context["page"]
    assert page.number == page.paginator.num_pages


def test_the_ledger_page_past_the_end_lists_the_last_pages_projects(users, projects, settings):
    settings.LEDGER_EXACT_COUNT_MAX = 0
    response = signed_in(users["office"]).get(f"/ledger/?page={10**20}")
    assert projects["in_scope"].name in response.content.decode()


def test_an_absurd_page_size_in_the_api_is_a_400_naming_it(users, projects):
    response = bearer(users["office"]).get(f"{API}/projects?page_size={10**20}")
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "page_size"


# --- 3. absurd amounts -----------------------------------------------------------------------------------

@pytest.mark.parametrize("amount", ABSURD_AMOUNTS, ids=str)
def test_an_absurd_amount_in_the_api_is_a_422_naming_the_field(users, projects, amount):
    status, body = post_json(bearer(users["county"]), f"{API}/projects", new_project(total_investment=amount))
    assert status == 422
    assert "金额" in messages_of(body)["total_investment"]
    assert not Project.objects.filter(name="东河区第二幼儿园").exists()


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_json_number_literals_past_a_float_are_a_422(users, projects, literal):
    text = json.dumps(new_project()).replace('"stalled"', f'"stalled", "funds_in_place": {literal}')
    status, body = post_json(bearer(users["county"]), f"{API}/projects", text)
    assert status == 422 and "金额" in messages_of(body)["funds_in_place"]


@pytest.mark.parametrize("amount", ["1234567890123456789012345", "99999999999999999999999999.5"])
def test_an_absurd_amount_in_the_form_is_a_message_at_the_field(users, projects, amount):
    response = signed_in(users["county"]).post("/ledger/new/", form_data(unpaid_amount=amount))
    assert response.status_code == 200
    assert response.context["form"].errors["unpaid_amount"] == ["金额过大，请检查单位（应为万元）"]


def test_an_absurd_amount_in_an_imported_file_is_an_error_of_its_cell(reference, tmp_path):
    path = tmp_path / "台账.csv"
    path.write_text("项目名称,所在区,项目类别,类型,总投资（万元）\n"
                    "东河区实验幼儿园,包头市东河区,幼儿园,未完工停建,1234567890123456789012345\n", encoding="utf-8-sig")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("ledger", "import", str(path), "--region", "150200", "--json", stdout=out, stderr=io.StringIO())
    assert exit_.value.code == 1
    (error,) = json.loads(out.getvalue())["errors"]
    assert error["column"] == "总投资（万元）" and "金额过大" in error["message"]
    assert not Project.objects.exists()


def test_an_absurd_amount_in_a_plans_facts_is_a_422_naming_the_fact(users, disposal_projects):
    body = {"project_id": disposal_projects["in_scope"].pk, "method": "revitalise", "lead_unit": "东河区教育局",
            "responsible_person": "张三", "deadline": "2026-12-31",
            "facts": {"route": "debt_restructuring", "new_funds": 1e300, "funds_source": "专项债券"}}
    status, answer = post_json(signed_in(users["unit"]), f"{API}/plans", body)
    assert status == 422
    assert "金额过大" in json.dumps(answer, ensure_ascii=False)


# --- 4. cursors ------------------------------------------------------------------------------------------

def _cursor(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize("payload", [
    ["total", 1, "NaN"], ["total", 1, "Infinity"], ["new", 10**30], ["total", 10**30, "1"], ["name", 1, "a\x00"],
    ["new"], {"a": 1}, "not a list",
], ids=str)
def test_a_malformed_cursor_is_a_400_with_a_message(users, projects, payload):
    sort = payload[0] if isinstance(payload, list) else "new"
    response = bearer(users["office"]).get(f"{API}/projects?sort={sort}&cursor={_cursor(payload)}")
    assert response.status_code == 400
    assert response.json() == {"detail": "翻页游标 cursor 无效，请从第一页重新开始"}


# --- 5. bodies past the limits ---------------------------------------------------------------------------

def test_an_11_mb_api_body_is_a_413_in_json(users, projects):
    response = bearer(users["county"]).post(f"{API}/projects", b"x" * (11 * 1024 * 1024),
                                            content_type="application/json")
    assert response.status_code == 413
    assert response.json()["detail"].startswith("请求体过大")


def test_an_11_mb_form_is_a_413_page_in_chinese(users, projects):
    response = signed_in(users["county"]).post("/ledger/new/", b"x" * (11 * 1024 * 1024),
                                               content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "请求体过大" in response.content.decode()


def test_a_multipart_body_past_the_request_limit_is_a_413(users, projects, settings):
    settings.REQUEST_MAX_MB = 1
    response = bearer(users["unit"]).post(f"{API}/files", b"x" * (2 * 1024 * 1024),
                                          content_type="multipart/form-data; boundary=abc")
    assert response.status_code == 413


# --- 6. out-of-range integers ----------------------------------------------------------------------------

@pytest.mark.parametrize("url, key", [
    ("/progress", "project"), ("/plans", "project_id"), ("/closure", "project_id"), ("/files", "project"),
])
def test_an_out_of_range_id_filter_is_a_400_naming_it(users, projects, url, key):
    response = bearer(users["office"]).get(f"{API}{url}?{key}={HUGE}")
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == key


@pytest.mark.parametrize("url", [
    f"/progress/project/{HUGE}/", f"/disposal/project/{HUGE}/new/", f"/closure/new/{HUGE}/", f"/ledger/{HUGE}/",
    f"{API}/projects/{HUGE}", f"{API}/plans/{HUGE}",
])
def test_an_out_of_range_id_in_an_address_is_a_404(users, projects, url):
    assert signed_in(users["office"]).get(url).status_code == 404


def test_an_out_of_range_id_in_a_body_is_a_422_naming_it(users, projects):
    status, body = post_json(signed_in(users["unit"]), f"{API}/plans", {"project_id": int(HUGE), "method": "resume"})
    assert status == 422 and "project_id" in messages_of(body)


# --- 7. multipart without a boundary ---------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/ledger/new/", f"{API}/files"])
def test_multipart_without_a_boundary_is_a_400_with_a_message(users, projects, url):
    response = bearer(users["unit"]).post(url, b"abc", content_type="multipart/form-data")
    assert response.status_code == 400
    assert "boundary" in response.content.decode()


# --- 8. NUL characters -----------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["q=a%00b", "region=15%000200", "total_min=1%00"])
def test_a_nul_in_a_filter_is_a_400_naming_it(users, projects, query):
    key = query.split("=")[0]
    api = bearer(users["office"]).get(f"{API}/projects?{query}")
    assert api.status_code == 400
    assert api.json()["detail"] == [{"field": key, "message": f"“{key}”含有空字符（\\x00），请删除后重新提交"}]
    page = signed_in(users["office"]).get(f"/ledger/?{query}")
    assert page.status_code == 400 and f"“{key}”含有空字符" in page.content.decode()


@pytest.mark.parametrize("field", ["name", "region_code", "content"])
def test_a_nul_in_an_api_body_is_a_400_naming_the_field(users, projects, field):
    status, body = post_json(bearer(users["county"]), f"{API}/projects", new_project(**{field: "15\x000202"}))
    assert status == 400 and messages_of(body) == {field: f"“{field}”含有空字符（\\x00），请删除后重新提交"}
    assert not Project.objects.filter(region_id="150202", name="东河区第二幼儿园").exists()


def test_a_nul_in_an_imported_file_refuses_the_file_with_a_message(reference, tmp_path):
    """A NUL makes a .csv binary: the file is refused as a whole (a cell of .xlsx cannot hold one)."""
    path = tmp_path / "台账.csv"
    path.write_text("项目名称,所在区,项目类别,类型\n东河区\x00幼儿园,包头市东河区,幼儿园,未完工停建\n",
                    encoding="utf-8-sig")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("ledger", "import", str(path), "--region", "150200", "--json", stdout=out, stderr=io.StringIO())
    assert exit_.value.code == 2  # a file that cannot be read: the README's usage error
    (error,) = json.loads(out.getvalue())["errors"]
    assert error["message"].startswith("文件内容与扩展名 .csv 不符")
    assert not Project.objects.exists()


def test_a_nul_in_a_form_field_is_a_400_naming_it(users, projects):
    response = signed_in(users["county"]).post("/ledger/new/", form_data(category="A\x0003"))
    assert response.status_code == 400 and "“category”含有空字符" in response.content.decode()


# --- 9. unknown API addresses ----------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["get", "post", "delete"])
@pytest.mark.parametrize("url", [f"{API}/nope", f"{API}/projects/1/nope/deeper", "/api/v2/projects", "/api/"])
def test_an_unknown_api_address_is_a_json_404_for_every_method(users, url, method):
    client = signed_in(users["office"], enforce_csrf_checks=True)  # a browser's session: CSRF is on
    response = getattr(client, method)(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到：地址不存在，或该项目不存在、您无权查看"}


# --- 11. long texts --------------------------------------------------------------------------------------

def test_a_plans_long_fact_past_its_limit_is_a_422_naming_it(users, disposal_projects):
    body = {"project_id": disposal_projects["in_scope"].pk, "method": "resume", "lead_unit": "东河区教育局",
            "responsible_person": "张三", "deadline": "2026-12-31",
            "facts": {"continuing_entity": "某建设集团", "committed_completion_date": "2026-10-31",
                      "continuation_plan": "续" * 2001}}
    status, answer = post_json(signed_in(users["unit"]), f"{API}/plans", body)
    assert status == 422
    assert "续建方案不能超过 2000 字（现有 2001 字）" in json.dumps(answer, ensure_ascii=False)


def test_a_9_mb_construction_content_is_refused_by_form_and_api(users, projects):
    content = "建" * (3 * 1024 * 1024)  # 9 MB of UTF-8
    status, body = post_json(bearer(users["county"]), f"{API}/projects", new_project(content=content))
    assert status == 422 and messages_of(body)["content"].startswith("建设内容及规模不能超过 10000 字")
    response = signed_in(users["county"]).post("/ledger/new/", form_data(content=content))
    assert response.status_code == 200 and "content" in response.context["form"].errors


# --- what the fuzzing found ------------------------------------------------------------------------------

def _openapi(client: Client) -> dict:
    return client.get(f"{API}/openapi.json").json()


def _body_schema(spec: dict, path: str, method: str) -> dict:
    schema = spec["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    (ref,) = [option["$ref"] for option in schema["anyOf"] if "$ref" in option]  # the body is optional
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_a_closure_action_is_documented_with_its_own_body_not_the_orders(users):
    spec = _openapi(signed_in(users["office"]))
    closure = _body_schema(spec, "/api/v1/closure/{closure_id}/actions/{action}", "post")
    order = _body_schema(spec, "/api/v1/orders/{order_id}/actions/{action}", "post")
    assert set(closure["properties"]) == {"comment"}  # a "version" here was refused by the closure's own check
    assert set(order["properties"]) == {"comment", "version"}


def test_a_400_with_a_list_of_fields_is_what_the_schema_declares(users, projects):
    client = bearer(users["office"])
    response = client.get(f"{API}/projects?page_size=x")
    assert response.status_code == 400 and response.json()["detail"][0]["field"] == "page_size"
    spec = _openapi(client)
    ref = spec["paths"]["/api/v1/projects"]["get"]["responses"]["400"]["content"]["application/json"]["schema"]
    detail = spec["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]["properties"]["detail"]
    assert {option.get("type") for option in detail["anyOf"]} == {"string", "array"}
