"""Permission matrix of the progress app: every route × every role × in-scope / out-of-scope / classified.

Expectations are written out here, not derived from `accounts/scope.py`: reports follow their project's
visibility (invisible → 404); only the unit and the governments report (visible but not a reporter → 403);
roll-ups are read by the office and by their own organization, submitted only by their own region or
department users.
"""

import json

import pytest
from django.test import Client
from django.utils import timezone

from halfbuilt.ledger.models import Project
from halfbuilt.progress import periods
from halfbuilt.progress.models import ProgressReport, Rollup
from tests.test_permission_matrix import OBJECTS, ROLES, acts, assert_login_redirect, visible

REPORTERS = {"region", "county", "unit"}
PAST = periods.shift(periods.current_period(), -2)
NOW = periods.current_period()
# Whose organization holds a roll-up role: role → the `orgs` fixture key of their organization.
ROLLUP_ORG = {"region": "region", "county": "county", "department": "department",
              "department_baotou": "department_baotou", "department_gat": "department_gat"}
ROLLUP_READERS = {"office", "region"}  # of the Baotou government's roll-up


@pytest.fixture
def client_for(users):
    def make(role):
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        return client
    return make


@pytest.fixture
def world(projects, orgs, progress_report, users):
    Project.objects.filter(pk__in=[p.pk for p in projects.values()]).update(status="in_ledger", stage="disposing")
    reports = {name: progress_report(project, PAST, submitted_at=timezone.now(), month="5", cumulative="405")
               for name, project in projects.items()}
    rollup = Rollup.objects.create(organization=orgs["region"], period=PAST, progress="包头市进展", status="submitted",
                                   submitted_at=timezone.now(), figures={"due": 1})
    return {"projects": projects, "reports": reports, "rollup": rollup, "orgs": orgs}


def _check(response, role, allowed, *, denied=404, ok=200):
    if role == "anonymous":
        return assert_login_redirect(response)
    assert response.status_code == (ok if allowed else denied), (role, response.status_code)


# --- pages -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_queue_lists_only_what_the_user_reports(client_for, world, role):
    response = client_for(role).get(f"/progress/?period={PAST}")
    if role == "anonymous":
        return assert_login_redirect(response)
    assert response.status_code == 200
    text = response.content.decode()
    for obj in OBJECTS:
        expected = acts(role, obj, REPORTERS, self_service=True)
        assert (world["projects"][obj].name in text) == expected, (role, obj)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_report_detail_and_history(client_for, world, role, obj):
    client = client_for(role)
    _check(client.get(f"/progress/{world['reports'][obj].pk}/"), role, visible(role, obj))
    _check(client.get(f"/progress/project/{world['projects'][obj].pk}/"), role, visible(role, obj))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_report_form_and_submission(client_for, world, role, obj):
    client = client_for(role)
    project = world["projects"][obj]
    url = f"/progress/project/{project.pk}/{NOW}/"
    allowed = acts(role, obj, REPORTERS, self_service=True)
    denied = 403 if visible(role, obj) else 404
    _check(client.get(url), role, allowed, denied=denied)
    response = client.post(url, {"progress": "矩阵测试", "physical_progress": "20", "action": "submit"})
    _check(response, role, allowed, denied=denied, ok=302)
    created = ProgressReport.objects.filter(project=project, period=NOW, status="submitted").exists()
    assert created == allowed


@pytest.mark.parametrize("role", ROLES)
def test_rollup_list(client_for, world, role):
    response = client_for(role).get(f"/progress/rollups/?period={PAST}")
    if role == "anonymous":
        return assert_login_redirect(response)
    assert response.status_code == 200
    assert (f"/progress/rollups/{world['rollup'].pk}/" in response.content.decode()) == (role in ROLLUP_READERS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("suffix", ["", "rollup.docx", "rollup.xlsx"])
def test_rollup_detail_and_downloads(client_for, world, role, suffix):
    response = client_for(role).get(f"/progress/rollups/{world['rollup'].pk}/{suffix}")
    _check(response, role, role in ROLLUP_READERS)


@pytest.mark.parametrize("role", ROLES)
def test_rollup_form_only_for_ones_own_organization(client_for, world, role):
    client = client_for(role)
    baotou = world["orgs"]["region"]
    # Baotou's roll-up for PAST is submitted: its own users are sent to it, everyone else gets a 404.
    response = client.get(f"/progress/rollups/new/{baotou.pk}/{PAST}/")
    _check(response, role, role == "region", ok=302)
    response = client.post(f"/progress/rollups/new/{baotou.pk}/{NOW}/", {"progress": "冒名报送", "action": "submit"})
    _check(response, role, role == "region", ok=302)
    assert Rollup.objects.filter(organization=baotou, period=NOW).exists() == (role == "region")
    if role in ROLLUP_ORG:
        own = world["orgs"][ROLLUP_ORG[role]]
        assert client.get(f"/progress/rollups/new/{own.pk}/{NOW}/").status_code in (200, 302)


# --- API -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_api_list(client_for, world, role):
    response = client_for(role).get(f"/api/v1/progress?period={PAST}")
    if role == "anonymous":
        assert response.status_code == 401
        return
    ids = {item["id"] for item in response.json()["results"]}
    assert ids == {world["reports"][o].pk for o in OBJECTS if visible(role, o)}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_api_detail(client_for, world, role, obj):
    response = client_for(role).get(f"/api/v1/progress/{world['reports'][obj].pk}")
    if role == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == (200 if visible(role, obj) else 404)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_api_submit(client_for, world, role, obj):
    project = world["projects"][obj]
    payload = {"project_id": project.pk, "period": NOW, "progress": "接口报送"}
    response = client_for(role).post("/api/v1/progress", json.dumps(payload), content_type="application/json")
    allowed = acts(role, obj, REPORTERS, self_service=True)
    if role == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == (201 if allowed else 403 if visible(role, obj) else 404), response.content
    assert ProgressReport.objects.filter(project=project, period=NOW).exists() == allowed


@pytest.mark.parametrize("role", ROLES)
def test_api_rollups(client_for, world, role):
    response = client_for(role).get(f"/api/v1/progress/rollups?period={PAST}")
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert [r["id"] for r in response.json()["results"]] == ([world["rollup"].pk] if role in ROLLUP_READERS else [])


@pytest.mark.parametrize("role", ROLES)
def test_api_rollup_submit_only_for_ones_own_organization(client_for, world, role):
    baotou = world["orgs"]["region"]
    payload = {"organization_id": baotou.pk, "period": NOW, "progress": "接口报送的汇总"}
    response = client_for(role).post("/api/v1/progress/rollups", json.dumps(payload),
                                     content_type="application/json")
    if role == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == (201 if role == "region" else 403), (role, response.content)
    assert Rollup.objects.filter(organization=baotou, period=NOW).exists() == (role == "region")
