"""The permission matrix: every route × every role × in-scope / out-of-scope / classified object.

The expectations below are written out independently of `accounts/scope.py` (NetBox-style): who sees what
and who may do what, as the work plan and DESIGN.md say. Together with test_zz_url_coverage.py, a new URL
that this matrix does not exercise fails the suite.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from halfbuilt.ledger.models import ImportJob, Project, Status

ROLES = ["office", "department", "department_baotou", "department_gat", "region", "county", "unit",
         "sysadmin", "secadmin", "auditor", "anonymous"]
OBJECTS = ["in_scope", "elsewhere", "classified"]
VISIBLE = {
    "office": {"in_scope", "elsewhere"},
    "department": {"in_scope", "elsewhere"},
    "department_baotou": {"in_scope"},
    "department_gat": {"classified"},
    "region": {"in_scope"},
    "county": {"in_scope"},
    "unit": {"in_scope"},
}
CHANGERS = {"office", "department", "department_baotou", "department_gat", "region", "county"}
CONFIRMERS = {"office", "department", "department_baotou", "department_gat"}
VOIDERS = CHANGERS
SUBMITTERS = CHANGERS
# Who may create the API test project (Donghe district, education, JYT) — the GAT line may not.
CREATORS_DONGHE_JYT = {"office", "department", "department_baotou", "region", "county"}


def visible(role, obj):
    return obj in VISIBLE.get(role, set())


# The owning department (公安厅) clears its classified projects itself: for them it also does the unit's,
# the region's and the office's part of disposal (accounts/scope.CLASSIFIED_SELF_SERVICE).
OWNING_DEPARTMENT = {"classified": "department_gat"}


def acts(role, obj, roles, self_service=False):
    """May `role` take an action granted to `roles` on `obj`?"""
    return visible(role, obj) and (role in roles or (self_service and OWNING_DEPARTMENT.get(obj) == role))


@pytest.fixture
def client_for(users):
    def make(role):
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        return client
    return make


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- pages -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_home_and_login_pages(client_for, users, role):
    client = client_for(role)
    response = client.get("/")
    if role == "anonymous":
        assert_login_redirect(response)
    else:
        assert response.status_code == 302
        assert response["Location"] == ("/audit/" if role == "auditor" else "/ledger/")
    assert client.get("/accounts/login/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ["/ledger/", "/ledger/export/?format=csv"])
def test_list_and_export_show_exactly_the_visible_projects(client_for, projects, role, url):
    response = client_for(role).get(url)
    if role == "anonymous":
        return assert_login_redirect(response)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    for obj in OBJECTS:
        assert (projects[obj].name in text) == visible(role, obj), (role, obj)


@pytest.mark.parametrize("role", ROLES)
def test_list_count_counts_only_visible_projects(client_for, projects, role):
    response = client_for(role).get("/ledger/count/")
    if role == "anonymous":
        return assert_login_redirect(response)
    assert response.json() == {"count": len(VISIBLE.get(role, set()))}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_project_page(client_for, projects, role, obj):
    response = client_for(role).get(f"/ledger/{projects[obj].pk}/")
    if role == "anonymous":
        return assert_login_redirect(response)
    assert response.status_code == (200 if visible(role, obj) else 404)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_edit_page(client_for, projects, role, obj):
    response = client_for(role).get(f"/ledger/{projects[obj].pk}/edit/")
    if role == "anonymous":
        return assert_login_redirect(response)
    allowed = visible(role, obj) and role in CHANGERS
    assert response.status_code == (200 if allowed else 404)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
@pytest.mark.parametrize("action,target,allowed_roles", [
    ("confirm", Status.IN_LEDGER, CONFIRMERS),
    ("void", Status.VOIDED, VOIDERS),
])
def test_status_actions(client_for, projects, role, obj, action, target, allowed_roles):
    project = projects[obj]
    response = client_for(role).post(f"/ledger/{project.pk}/{action}/", {"reason": "矩阵测试"})
    status = Project.objects.get(pk=project.pk).status
    if role == "anonymous":
        assert_login_redirect(response)
    elif not visible(role, obj):
        assert response.status_code == 404
    else:
        assert response.status_code == 302
    assert (status == target) == (visible(role, obj) and role in allowed_roles), (role, obj, status)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ["/ledger/new/", "/ledger/import/", "/ledger/import/template.xlsx"])
def test_submission_pages(client_for, users, role, url):
    response = client_for(role).get(url)
    if role == "anonymous":
        return assert_login_redirect(response)
    assert response.status_code == (200 if role in SUBMITTERS else 403)


@pytest.mark.parametrize("role", ROLES)
def test_import_job_pages_belong_to_their_uploader(client_for, users, role):
    owner = client_for("county")
    bad_csv = "项目名称,所在地区,项目类别,类型,总投资（万元）\n东河区某中学,东河区,A03,停建,不知道\n"
    upload = SimpleUploadedFile("台账.csv", bad_csv.encode("utf-8"), content_type="text/csv")
    response = owner.post("/ledger/import/", {"region": "150202", "file": upload})
    assert response.status_code == 302
    job = ImportJob.objects.get(user=users["county"])
    base = f"/ledger/import/{job.pk}/"
    client = owner if role == "county" else client_for(role)
    responses = [client.get(base), client.get(base + "status.json"), client.get(base + "errors.xlsx"),
                 client.post(base + "confirm/")]
    if role == "anonymous":
        for response in responses:
            assert_login_redirect(response)
    elif role == "county":
        assert [r.status_code for r in responses[:3]] == [200, 200, 200]
        assert responses[3].status_code in (302, 400)  # a file with errors cannot be confirmed
        assert not Project.objects.filter(name="东河区某中学").exists()
    else:
        assert [r.status_code for r in responses] == [404, 404, 404, 404]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ["/audit/", "/audit/signins/"])
def test_audit_pages_only_for_the_audit_admin(client_for, users, role, url):
    response = client_for(role).get(url)
    if role == "anonymous":
        return assert_login_redirect(response)
    assert response.status_code == (200 if role == "auditor" else 404)


# --- API -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_api_list(client_for, projects, role):
    response = client_for(role).get("/api/v1/projects?page_size=200")
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["results"]}
    assert ids == {projects[o].pk for o in OBJECTS if visible(role, o)}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_api_detail(client_for, projects, role, obj):
    response = client_for(role).get(f"/api/v1/projects/{projects[obj].pk}")
    if role == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == (200 if visible(role, obj) else 404)
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_api_update(client_for, projects, role, obj):
    project = projects[obj]
    response = client_for(role).patch(
        f"/api/v1/projects/{project.pk}", json.dumps({"version": project.version, "name": "改名后的项目"}),
        content_type="application/json",
    )
    renamed = Project.objects.get(pk=project.pk).name == "改名后的项目"
    if role == "anonymous":
        assert response.status_code == 401
    elif not visible(role, obj):
        assert response.status_code == 404
    elif role not in CHANGERS:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
    assert renamed == (visible(role, obj) and role in CHANGERS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_api_void(client_for, projects, role, obj):
    project = projects[obj]
    response = client_for(role).post(
        f"/api/v1/projects/{project.pk}/actions/void", json.dumps({"reason": "重复录入"}),
        content_type="application/json",
    )
    voided = Project.objects.get(pk=project.pk).status == Status.VOIDED
    if role == "anonymous":
        assert response.status_code == 401
    elif not visible(role, obj):
        assert response.status_code == 404
    elif role not in VOIDERS:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
    assert voided == (visible(role, obj) and role in VOIDERS)


@pytest.mark.parametrize("role", ROLES)
def test_api_create(client_for, reference, users, role):
    payload = {"name": "东河区新建项目", "region_code": "150202", "category_code": "A03", "department": "JYT",
               "kind": "stalled", "total_investment": 100}
    response = client_for(role).post("/api/v1/projects", json.dumps(payload), content_type="application/json")
    created = Project.objects.filter(name="东河区新建项目").exists()
    if role == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == (201 if role in CREATORS_DONGHE_JYT else 403), response.content
    assert created == (role in CREATORS_DONGHE_JYT)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ["/api/v1/regions", "/api/v1/categories"])
def test_api_reference_data(client_for, reference, users, role, url):
    response = client_for(role).get(url)
    assert response.status_code == (401 if role == "anonymous" else 200)


@pytest.mark.parametrize("role", ROLES)
def test_api_schema_docs_and_unknown_paths(client_for, users, role):
    client = client_for(role)
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and "/api/v1/projects" in schema.json()["paths"]
    assert client.get("/api/v1/docs").status_code == 200
    assert client.get("/api/v1/").status_code in (200, 404)
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404 and missing["Content-Type"].startswith("application/json")
