"""The permission matrix of the disposal app: every page and API route × every role × in-scope / out-of-scope /
classified plan, asserting status codes and effects.

Expectations are written out here, not derived from `accounts/scope.py`: the responsible unit and the
governments of its region draft (草拟), the competent department reviews (审核), the office confirms (确认); a
plan is visible exactly when its project is (test_permission_matrix.VISIBLE); invisible plans are 404.
"""

import datetime as dt
import json

import pytest
from django.test import Client

from halfbuilt.disposal.models import Milestone, Plan, PlanStatus, Procedure
from halfbuilt.ledger.models import Project, Stage
from tests.test_permission_matrix import OBJECTS, ROLES, acts, assert_login_redirect, visible

DRAFTERS = {"region", "county", "unit"}
REVIEWERS = {"department", "department_baotou", "department_gat"}
CONFIRMERS = {"office"}
RESUME_FACTS = {
    "appraisal_date": "2025-03-01", "appraisal_agency": "某检测中心", "appraisal_conclusion": "qualified",
    "authority_confirmed_by": "东河区住建局", "authority_confirmed_date": "2025-03-10",
    "continuing_entity": "某建设集团", "committed_completion_date": "2026-09-30",
}


@pytest.fixture
def client_for(users):
    def make(role):
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        return client
    return make


@pytest.fixture
def plans(disposal_projects, disposal_make_plan):
    """make(status, method) → {obj: plan} for the three fixture projects, at the stage that status implies."""

    def make(status=PlanStatus.DRAFT, method="revitalise", facts=None):
        stage = Stage.DISPOSING if status == PlanStatus.CONFIRMED else Stage.PLANNING
        Project.objects.filter(pk__in=[p.pk for p in disposal_projects.values()]).update(stage=stage)
        return {obj: disposal_make_plan(disposal_projects[obj], method=method, facts=facts, status=status)
                for obj in OBJECTS}

    return make


def may(role, obj, roles):
    return acts(role, obj, roles, self_service=roles is DRAFTERS or roles is CONFIRMERS)


def check_post(response, role, obj, roles, effect):
    """A POST page: anonymous → sign in; invisible → 404; visible → back to the plan (302), effect iff allowed."""
    if role == "anonymous":
        assert_login_redirect(response)
    elif not visible(role, obj):
        assert response.status_code == 404
    else:
        assert response.status_code == 302
    assert effect == may(role, obj, roles), (role, obj, effect)


# --- pages -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_queue_and_list(client_for, plans, role):
    made = plans(PlanStatus.SUBMITTED)
    response = client_for(role).get("/disposal/")
    if role == "anonymous":
        return assert_login_redirect(response)
    assert response.status_code == 200
    shown = {p.pk for p in response.context["page"].object_list}
    assert shown == {made[o].pk for o in OBJECTS if visible(role, o)}
    waiting = {r.pk for s in response.context["sections"] for r in s["rows"]}
    assert waiting == {made[o].pk for o in OBJECTS if may(role, o, REVIEWERS)}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
@pytest.mark.parametrize("suffix", ["", "revisions/", "plan.docx"])
def test_read_pages(client_for, plans, role, obj, suffix):
    plan = plans(PlanStatus.CONFIRMED)[obj]
    response = client_for(role).get(f"/disposal/{plan.pk}/{suffix}")
    if role == "anonymous":
        return assert_login_redirect(response)
    assert response.status_code == (200 if visible(role, obj) else 404)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_create_page_and_post(client_for, disposal_projects, role, obj):
    project = disposal_projects[obj]
    client = client_for(role)
    url = f"/disposal/project/{project.pk}/new/"
    page = client.get(url)
    response = client.post(url, {"method": "judicial", "judicial__route": "judgment", "judicial__court": "某法院",
                                 "lead_unit": "某单位", "responsible_person": "某人", "deadline": "2026-12-31"})
    created = Plan.objects.filter(project=project).exists()
    if role == "anonymous":
        assert_login_redirect(page)
        assert_login_redirect(response)
    else:
        expected = 200 if may(role, obj, DRAFTERS) else 404
        assert page.status_code == expected
        assert response.status_code == (302 if expected == 200 else 404)
    assert created == may(role, obj, DRAFTERS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
@pytest.mark.parametrize("suffix,status", [("edit/", PlanStatus.DRAFT), ("revise/", PlanStatus.CONFIRMED)])
def test_edit_and_revise_pages(client_for, plans, role, obj, suffix, status):
    plan = plans(status)[obj]
    client = client_for(role)
    page = client.get(f"/disposal/{plan.pk}/{suffix}")
    data = {"method": "revitalise", "revitalise__route": "bankruptcy", "lead_unit": "东河区教育局",
            "responsible_person": "新责任人", "deadline": "2026-12-31", "version": plan.version, "reason": "人员调整"}
    response = client.post(f"/disposal/{plan.pk}/{suffix}", data)
    changed = Plan.objects.get(pk=plan.pk).responsible_person == "新责任人"
    if role == "anonymous":
        assert_login_redirect(page)
        assert_login_redirect(response)
    else:
        expected = 200 if may(role, obj, DRAFTERS) else 404
        assert page.status_code == expected
        assert response.status_code == (302 if expected == 200 else 404)
    assert changed == may(role, obj, DRAFTERS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
@pytest.mark.parametrize("action,start,target,roles", [
    ("submit", PlanStatus.DRAFT, PlanStatus.SUBMITTED, DRAFTERS),
    ("return", PlanStatus.SUBMITTED, PlanStatus.RETURNED, REVIEWERS),
    ("approve", PlanStatus.SUBMITTED, PlanStatus.APPROVED, REVIEWERS),
    ("confirm", PlanStatus.APPROVED, PlanStatus.CONFIRMED, CONFIRMERS),
])
def test_review_actions(client_for, plans, role, obj, action, start, target, roles):
    plan = plans(start)[obj]
    response = client_for(role).post(f"/disposal/{plan.pk}/{action}/", {"comment": "矩阵测试"})
    check_post(response, role, obj, roles, Plan.objects.get(pk=plan.pk).status == target)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_milestone_routes(client_for, plans, closure_evidence, role, obj):
    plan = plans(PlanStatus.CONFIRMED)[obj]
    client = client_for(role)
    response = client.post(f"/disposal/{plan.pk}/milestones/", {"title": "新节点", "due_date": "2026-03-31"})
    check_post(response, role, obj, DRAFTERS, Milestone.objects.filter(plan=plan, title="新节点").exists())

    milestone = Milestone.objects.create(plan=plan, title="原节点", due_date=dt.date(2025, 6, 30))
    response = client.post(f"/disposal/milestones/{milestone.pk}/", {"title": "改后节点", "due_date": "2025-07-31"})
    check_post(response, role, obj, DRAFTERS, Milestone.objects.get(pk=milestone.pk).title == "改后节点")

    evidence = closure_evidence(plan.project)
    response = client.post(f"/disposal/milestones/{milestone.pk}/met/",
                           {"date": "2025-06-01", "evidence_id": str(evidence.pk)})
    check_post(response, role, obj, DRAFTERS, Milestone.objects.get(pk=milestone.pk).met_date is not None)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_procedure_routes(client_for, plans, role, obj):
    plan = plans(PlanStatus.CONFIRMED, method="procedures")[obj]
    client = client_for(role)
    response = client.post(f"/disposal/{plan.pk}/procedures/", {"kind": "land_use", "authority": "自然资源局"})
    check_post(response, role, obj, DRAFTERS, Procedure.objects.filter(plan=plan, kind="land_use").exists())

    procedure = Procedure.objects.create(plan=plan, kind="fire_acceptance")
    response = client.post(f"/disposal/procedures/{procedure.pk}/done/", {"date": "2025-06-01"})
    check_post(response, role, obj, DRAFTERS, Procedure.objects.get(pk=procedure.pk).done_date is not None)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_record_resumption(client_for, plans, role, obj):
    plan = plans(PlanStatus.CONFIRMED, method="resume", facts=RESUME_FACTS)[obj]
    response = client_for(role).post(f"/disposal/{plan.pk}/resume/", {"date": "2025-04-01"})
    check_post(response, role, obj, DRAFTERS, "resumed_date" in Plan.objects.get(pk=plan.pk).facts)


# --- API -------------------------------------------------------------------------------------------

def api(client, method, url, body=None):
    return getattr(client, method)(url, json.dumps(body) if body is not None else None,
                                   content_type="application/json")


def check_api(response, role, obj, roles, effect, ok=200):
    if role == "anonymous":
        assert response.status_code == 401
    elif not visible(role, obj):
        assert response.status_code == 404
    elif not may(role, obj, roles):
        assert response.status_code == 403, response.content
    else:
        assert response.status_code == ok, response.content
    assert response["Content-Type"].startswith("application/json")
    assert effect == may(role, obj, roles), (role, obj, effect)


@pytest.mark.parametrize("role", ROLES)
def test_api_list_and_methods(client_for, plans, role):
    made = plans(PlanStatus.SUBMITTED)
    client = client_for(role)
    response = client.get("/api/v1/plans?page_size=200")
    methods = client.get("/api/v1/plans/methods")
    if role == "anonymous":
        assert response.status_code == 401 and methods.status_code == 401
        return
    assert response.status_code == 200 and methods.status_code == 200
    assert {p["id"] for p in response.json()["results"]} == {made[o].pk for o in OBJECTS if visible(role, o)}
    assert [m["label"] for m in methods.json()] == ["完善手续", "复工续建", "引导盘活", "司法处置", "依法拆除"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_api_detail(client_for, plans, role, obj):
    plan = plans()[obj]
    response = client_for(role).get(f"/api/v1/plans/{plan.pk}")
    if role == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == (200 if visible(role, obj) else 404)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_api_create(client_for, disposal_projects, role, obj):
    project = disposal_projects[obj]
    response = api(client_for(role), "post", "/api/v1/plans", {
        "project_id": project.pk, "method": "demolish", "facts": {"fails_safety": True},
        "lead_unit": "某单位", "responsible_person": "某人", "deadline": "2026-12-31",
    })
    check_api(response, role, obj, DRAFTERS, Plan.objects.filter(project=project).exists(), ok=201)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_api_update(client_for, plans, role, obj):
    plan = plans()[obj]
    response = api(client_for(role), "patch", f"/api/v1/plans/{plan.pk}",
                   {"version": plan.version, "measures": "矩阵措施"})
    check_api(response, role, obj, DRAFTERS, Plan.objects.get(pk=plan.pk).measures == "矩阵措施")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
@pytest.mark.parametrize("action,start,target,roles", [
    ("submit", PlanStatus.DRAFT, PlanStatus.SUBMITTED, DRAFTERS),
    ("return", PlanStatus.SUBMITTED, PlanStatus.RETURNED, REVIEWERS),
    ("approve", PlanStatus.SUBMITTED, PlanStatus.APPROVED, REVIEWERS),
    ("confirm", PlanStatus.APPROVED, PlanStatus.CONFIRMED, CONFIRMERS),
])
def test_api_actions(client_for, plans, role, obj, action, start, target, roles):
    plan = plans(start)[obj]
    response = api(client_for(role), "post", f"/api/v1/plans/{plan.pk}/actions/{action}", {"comment": "矩阵测试"})
    check_api(response, role, obj, roles, Plan.objects.get(pk=plan.pk).status == target)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_api_revise(client_for, plans, role, obj):
    plan = plans(PlanStatus.CONFIRMED)[obj]
    response = api(client_for(role), "post", f"/api/v1/plans/{plan.pk}/revise",
                   {"version": plan.version, "reason": "人员调整", "responsible_person": "新责任人"})
    check_api(response, role, obj, DRAFTERS, Plan.objects.get(pk=plan.pk).revision == 1)
