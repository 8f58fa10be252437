"""The audit admin's pages: change log search (classified entries hidden, only counted) and the sign-in log."""

import pytest
from django.urls import reverse

from halfbuilt.accounts.models import SignInEvent
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger import services

SEARCH = reverse("audit:changelog_search")
SIGNINS = reverse("audit:signin_events")


@pytest.fixture
def history(users, projects):
    """A few business writes by different people, one on a classified project."""
    office = Actor(user=users["office"], ip="10.1.2.3")
    services.project_update(actor=office, project=projects["in_scope"], data={"address": "东河区巴彦塔拉大街"},
                            version=1, reason="核对地址")
    services.project_transition(actor=Actor(user=users["department"]), project=projects["elsewhere"],
                                action="reject", reason="不属于政府投资")
    services.project_update(actor=Actor(user=users["department_gat"]), project=projects["classified"],
                            data={"address": "秘密地址"}, version=1, reason="涉密理由")
    return projects


@pytest.mark.parametrize("role", ["office", "department", "region", "unit", "sysadmin", "secadmin"])
@pytest.mark.parametrize("url", [SEARCH, SIGNINS])
def test_audit_pages_are_404_for_everyone_but_the_auditor(client, users, role, url):
    client.force_login(users[role])
    assert client.get(url).status_code == 404


def test_auditor_sees_entries_but_not_classified_ones(client, users, history):
    client.force_login(users["auditor"])
    response = client.get(SEARCH)
    html = response.content.decode()
    assert response.status_code == 200
    assert "核对地址" in html and "10.1.2.3" in html and "东河区第一中学教学楼" in html and "建设地点" in html
    assert "不属于政府投资" in html and "不予认定" in html
    assert "涉密理由" not in html and "某业务技术用房" not in html
    assert "另有 1 条涉密记录未显示" in html
    assert "保留期限 190 天" in html


@pytest.mark.parametrize(("params", "present", "absent"), [
    ({"user": "office"}, "核对地址", "不属于政府投资"),
    ({"action": "reject"}, "不属于政府投资", "核对地址"),
    ({"obj": "红山"}, "不属于政府投资", "核对地址"),
    ({"q": "地址"}, "核对地址", "不属于政府投资"),
    ({"date_from": "2000-01-01", "date_to": "2000-12-31"}, "没有符合条件的记录", "核对地址"),
])
def test_search_narrows(client, users, history, params, present, absent):
    client.force_login(users["auditor"])
    html = client.get(SEARCH, params).content.decode()
    assert present in html and absent not in html


def test_hidden_count_ignores_keyword_so_it_cannot_probe_classified_text(client, users, history):
    client.force_login(users["auditor"])
    with_word = client.get(SEARCH, {"q": "涉密理由"}).content.decode()
    without = client.get(SEARCH, {"q": "完全无关"}).content.decode()
    assert "另有 1 条涉密记录未显示" in with_word and "另有 1 条涉密记录未显示" in without


@pytest.mark.parametrize("params", [
    {"date_from": "2026-13-01"}, {"date_to": "abc"}, {"date_from": "0001-01-01"}, {"date_to": "9999-12-31"},
    {"obj": "99999999999999999999999"}, {"action": "drop"}, {"page": "x"},
    {"date_from": "2026-05-01", "date_to": "2026-01-01"},
])
def test_bad_search_input_is_a_message_not_a_500(client, users, history, params):
    client.force_login(users["auditor"])
    assert client.get(SEARCH, params).status_code == 200
    assert client.get(SIGNINS, params).status_code == 200


def test_bad_date_is_explained_in_chinese(client, users, history):
    client.force_login(users["auditor"])
    html = client.get(SEARCH, {"date_from": "2026-05-01", "date_to": "2026-01-01"}).content.decode()
    assert "截止日期不能早于起始日期" in html


def test_changelog_is_paginated(client, users, projects):
    project = projects["in_scope"]
    actor = Actor(user=users["office"])
    for n in range(55):
        project = services.project_update(actor=actor, project=project, data={"phone": f"0472-{n:07d}"},
                                          version=project.version)
    client.force_login(users["auditor"])
    first = client.get(SEARCH)
    assert len(first.context["page"].object_list) == 50 and "第 1 / 2 页" in first.content.decode()
    assert len(client.get(SEARCH, {"page": "2"}).context["page"].object_list) == 5


def test_signin_log_lists_attempts_and_filters_failures(client, users):
    SignInEvent.objects.create(username="gov_baotou", succeeded=True, ip="10.0.0.8")
    SignInEvent.objects.create(username="gov_baotou", succeeded=False, ip="10.0.0.9", detail="用户名或密码错误")
    client.force_login(users["auditor"])
    html = client.get(SIGNINS).content.decode()
    assert "10.0.0.8" in html and "10.0.0.9" in html and "用户名或密码错误" in html
    failed = client.get(SIGNINS, {"result": "failed"}).content.decode()
    assert "10.0.0.9" in failed and "10.0.0.8" not in failed


def test_classifying_a_project_hides_its_whole_history_from_the_search_at_once(client, users, make_project):
    """The entries written before the project was classified carried the flag as it was then: the auditor read
    their names and reasons afterwards (issue 8)."""
    project = make_project(name="某看守所监管用房改造", department_id="GAT", classified=False)
    services.project_update(actor=Actor(user=users["department_gat"]), project=project,
                            data={"address": "公开时的地址"}, version=1, reason="公开时的理由")
    client.force_login(users["auditor"])
    assert "公开时的理由" in client.get(SEARCH).content.decode()
    project.refresh_from_db()
    services.project_update(actor=Actor(user=users["department_gat"]), project=project, data={"classified": True},
                            version=project.version, reason="定密")
    html = client.get(SEARCH).content.decode()
    assert "某看守所监管用房改造" not in html and "公开时的理由" not in html and "定密" not in html
    project.refresh_from_db()
    services.project_update(actor=Actor(user=users["department_gat"]), project=project, data={"classified": False},
                            version=project.version, reason="解密")
    assert "公开时的理由" in client.get(SEARCH).content.decode()
