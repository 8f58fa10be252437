"""Permission matrix of the closure app: every page and API route × every role × in-scope / out-of-scope /
classified object, asserting status codes and effects.

Expectations are written out here, not derived from `accounts/scope.py`: the responsible unit and its regions
request closure, the competent department reviews, the office closes and runs 回头看.
"""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from halfbuilt.closure.models import ClosureRequest, FollowUpCheck, FollowUpSample
from halfbuilt.ledger.models import Project
from tests.test_permission_matrix import OBJECTS, ROLES, acts, assert_login_redirect, visible

REQUESTERS = {"region", "county", "unit"}
REVIEWERS = {"department", "department_baotou", "department_gat"}
CLOSERS = {"office"}
FOLLOWUP = {"office"}
CLOSURE_WORKERS = {"office", "department", "department_baotou", "department_gat", "region", "county", "unit"}
YESTERDAY = (timezone.localdate() - timedelta(days=1)).isoformat()


@pytest.fixture
def client_for(users):
    def make(role):
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        return client
    return make


def may(role, obj, actors):
    return acts(role, obj, actors, self_service=actors is REQUESTERS or actors is CLOSERS)


@pytest.fixture
def disposing(projects, closure_stage):
    return {name: closure_stage(p) for name, p in projects.items()}


@pytest.fixture
def closures(projects, closure_stage, closure_evidence):
    """A request awaiting review for each object (made directly: nobody may request for a classified one)."""
    def make(status="requested"):
        result = {}
        for name, project in projects.items():
            closure_stage(project, "closing")
            closure = ClosureRequest.objects.create(
                project=project, outcome="in_use", outcome_date=YESTERDAY, description="已投入使用",
                requested_by="unit_school", status=status,
            )
            closure.evidence.set([closure_evidence(project)])
            result[name] = closure
        return result
    return make


@pytest.fixture
def sample(projects, closure_stage, users):
    """A 回头看 sample with a pending check on each object (the classified one as if classified after the draw)."""
    drawn = FollowUpSample.objects.create(drawn_by=users["office"], share="1", population=3, seed="matrix",
                                          population_ids=sorted(p.pk for p in projects.values()))
    checks = {}
    for name, project in projects.items():
        closure_stage(project, "closed")
        checks[name] = FollowUpCheck.objects.create(sample=drawn, project=project)
    return drawn, checks


def expect(response, role, obj, actors, ok=302):
    """anonymous → sign-in; invisible → 404; visible but not this role's work → 403 (pages) / 403 (API)."""
    if role == "anonymous":
        return assert_login_redirect(response)
    if not visible(role, obj):
        assert response.status_code == 404, (role, obj, response.status_code)
    elif not may(role, obj, actors):
        assert response.status_code == 403, (role, obj, response.status_code)
    else:
        assert response.status_code == ok, (role, obj, response.status_code)


# --- pages --------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_queue_lists_each_roles_own_work(client_for, users, closures, role):
    requests = closures()
    response = client_for(role).get("/closure/")
    if role == "anonymous":
        return assert_login_redirect(response)
    if role not in CLOSURE_WORKERS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    text = response.content.decode()
    for obj in OBJECTS:
        listed = f"/closure/{requests[obj].pk}/" in text
        # Requesters see their own requests in progress; reviewers those awaiting their review.
        assert listed == may(role, obj, REQUESTERS | REVIEWERS), (role, obj)


@pytest.mark.parametrize("role", ROLES)
def test_queue_lists_projects_to_request_and_approved_requests_to_close(client_for, users, disposing, closures,
                                                                         role):
    response = client_for(role).get("/closure/")
    if role == "anonymous":
        return assert_login_redirect(response)
    if role not in CLOSURE_WORKERS:
        return
    text = response.content.decode()
    for obj in OBJECTS:
        assert (f"/closure/new/{disposing[obj].pk}/" in text) == may(role, obj, REQUESTERS), (role, obj)
    approved = closures("approved")
    text = client_for(role).get("/closure/").content.decode()
    for obj in OBJECTS:
        assert (f"/closure/{approved[obj].pk}/" in text) == (may(role, obj, CLOSERS) or may(role, obj, REQUESTERS))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_request_form(client_for, users, disposing, closure_evidence, role, obj):
    project = disposing[obj]
    client = client_for(role)
    url = f"/closure/new/{project.pk}/"
    expect(client.get(url), role, obj, REQUESTERS, ok=200)
    evidence = closure_evidence(project)
    response = client.post(url, {"outcome": "in_use", "outcome_date": YESTERDAY, "description": "已投入使用",
                                 "existing": [evidence.pk]})
    expect(response, role, obj, REQUESTERS)
    created = ClosureRequest.objects.filter(project=project).exists()
    assert created == may(role, obj, REQUESTERS)
    assert Project.objects.get(pk=project.pk).stage == ("closing" if created else "disposing")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_request_page(client_for, users, closures, role, obj):
    response = client_for(role).get(f"/closure/{closures()[obj].pk}/")
    if role == "anonymous":
        return assert_login_redirect(response)
    assert response.status_code == (200 if visible(role, obj) else 404)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
@pytest.mark.parametrize("action,start,target,actors", [
    ("approve", "requested", "approved", REVIEWERS),
    ("return", "requested", "returned", REVIEWERS),
    ("close", "approved", "closed", CLOSERS),
])
def test_request_actions(client_for, users, closures, role, obj, action, start, target, actors):
    closure = closures(start)[obj]
    response = client_for(role).post(f"/closure/{closure.pk}/{action}/", {"comment": "矩阵测试"})
    if role == "anonymous":
        assert_login_redirect(response)
    else:
        assert response.status_code == (302 if visible(role, obj) else 404)
    status = ClosureRequest.objects.get(pk=closure.pk).status
    assert (status == target) == may(role, obj, actors), (role, obj, status)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ["/closure/samples/", "/closure/samples/new/"])
def test_sample_pages_are_the_offices(client_for, users, url, role):
    response = client_for(role).get(url)
    if role == "anonymous":
        return assert_login_redirect(response)
    assert response.status_code == (200 if role in FOLLOWUP else 403)


@pytest.mark.parametrize("role", ROLES)
def test_drawing_a_sample(client_for, users, projects, closure_stage, role):
    for project in projects.values():
        closure_stage(project, "closed")
    response = client_for(role).post("/closure/samples/new/", {"share": "1", "note": ""})
    if role == "anonymous":
        assert_login_redirect(response)
    else:
        assert response.status_code == (302 if role in FOLLOWUP else 403)
    drawn = FollowUpSample.objects.first()
    assert (drawn is not None) == (role in FOLLOWUP)
    if drawn:  # the office's own visible closed projects only: never the classified one
        assert set(drawn.checks.values_list("project_id", flat=True)) == {
            projects["in_scope"].pk, projects["elsewhere"].pk}


@pytest.mark.parametrize("role", ROLES)
def test_sample_page(client_for, users, sample, role):
    drawn, checks = sample
    response = client_for(role).get(f"/closure/samples/{drawn.pk}/")
    if role == "anonymous":
        return assert_login_redirect(response)
    assert response.status_code == (200 if role in FOLLOWUP else 404)
    if role in FOLLOWUP:
        text = response.content.decode()
        for obj in OBJECTS:
            assert (f'id="check-{checks[obj].pk}"' in text) == visible(role, obj), obj


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_recording_a_check(client_for, users, sample, role, obj):
    check = sample[1][obj]
    response = client_for(role).post(f"/closure/checks/{check.pk}/", {"result": "failed", "finding": "仍闲置"})
    allowed = may(role, obj, FOLLOWUP)
    if role == "anonymous":
        assert_login_redirect(response)
    else:
        assert response.status_code == (302 if allowed else 404)
    assert FollowUpCheck.objects.get(pk=check.pk).result == ("failed" if allowed else "pending")
    assert Project.objects.get(pk=check.project_id).stage == ("disposing" if allowed else "closed")


# --- API ----------------------------------------------------------------------------------------

def post_json(client, url, payload=None):
    return client.post(url, json.dumps(payload) if payload is not None else "", content_type="application/json")


def expect_api(response, role, obj, actors, ok=200):
    if role == "anonymous":
        assert response.status_code == 401
    elif not visible(role, obj):
        assert response.status_code == 404, (role, obj, response.content)
    elif not may(role, obj, actors):
        assert response.status_code == 403, (role, obj, response.content)
    else:
        assert response.status_code == ok, (role, obj, response.content)


@pytest.mark.parametrize("role", ROLES)
def test_api_list(client_for, users, closures, role):
    requests = closures()
    response = client_for(role).get("/api/v1/closure?page_size=200")
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    assert {r["id"] for r in response.json()["results"]} == {requests[o].pk for o in OBJECTS if visible(role, o)}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_api_detail(client_for, users, closures, role, obj):
    response = client_for(role).get(f"/api/v1/closure/{closures()[obj].pk}")
    if role == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == (200 if visible(role, obj) else 404)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_api_request(client_for, users, disposing, closure_evidence, role, obj):
    project = disposing[obj]
    evidence = closure_evidence(project)
    response = post_json(client_for(role), "/api/v1/closure", {
        "project_id": project.pk, "outcome": "demolished", "outcome_date": YESTERDAY, "description": "已依法拆除",
        "evidence": [str(evidence.pk)]})
    expect_api(response, role, obj, REQUESTERS, ok=201)
    assert ClosureRequest.objects.filter(project=project).exists() == may(role, obj, REQUESTERS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
@pytest.mark.parametrize("action,start,target,actors", [
    ("approve", "requested", "approved", REVIEWERS),
    ("return", "requested", "returned", REVIEWERS),
    ("close", "approved", "closed", CLOSERS),
])
def test_api_actions(client_for, users, closures, role, obj, action, start, target, actors):
    closure = closures(start)[obj]
    response = post_json(client_for(role), f"/api/v1/closure/{closure.pk}/actions/{action}", {"comment": "矩阵"})
    expect_api(response, role, obj, actors)
    status = ClosureRequest.objects.get(pk=closure.pk).status
    assert (status == target) == may(role, obj, actors)


@pytest.mark.parametrize("role", ROLES)
def test_api_samples(client_for, users, sample, role):
    drawn, checks = sample
    client = client_for(role)
    listing, detail = client.get("/api/v1/closure/samples"), client.get(f"/api/v1/closure/samples/{drawn.pk}")
    if role == "anonymous":
        assert (listing.status_code, detail.status_code) == (401, 401)
    elif role in FOLLOWUP:
        assert (listing.status_code, detail.status_code) == (200, 200)
        ids = {c["project_id"] for c in detail.json()["checks"]}
        assert ids == {checks[o].project_id for o in OBJECTS if visible(role, o)}
    else:
        assert (listing.status_code, detail.status_code) == (403, 404)


@pytest.mark.parametrize("role", ROLES)
def test_api_draw(client_for, users, projects, closure_stage, role):
    for project in projects.values():
        closure_stage(project, "closed")
    response = post_json(client_for(role), "/api/v1/closure/samples", {"share": "1"})
    if role == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == (201 if role in FOLLOWUP else 403), response.content
    assert FollowUpSample.objects.exists() == (role in FOLLOWUP)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_api_record_check(client_for, users, sample, role, obj):
    check = sample[1][obj]
    response = post_json(client_for(role), f"/api/v1/closure/checks/{check.pk}", {"passed": True})
    allowed = may(role, obj, FOLLOWUP)
    if role == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == (200 if allowed else 404), response.content
    assert FollowUpCheck.objects.get(pk=check.pk).result == ("passed" if allowed else "pending")
