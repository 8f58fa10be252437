"""People and organisations appear by name ("包头市东河区人民政府 · 张伟"), never by login name, and the way an
entry was made in Chinese (接口, 命令行, 演示数据; nothing for the web)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from halfbuilt.accounts.models import RoleAssignment, User
from halfbuilt.audit.models import ChangeLog
from halfbuilt.closure.models import ClosureRequest


def named(user, last, first):
    user.last_name, user.first_name = last, first
    user.save(update_fields=["last_name", "first_name"])
    return user


def log(project, username, via="web", action="update"):
    return ChangeLog.objects.create(
        username=username, via=via, action=action, object_type="project", object_id=str(project.pk),
        object_repr=project.name, project_id=project.pk, before={"name": "旧名"}, after={"name": project.name},
    )


def page(user, url):
    client = Client()
    client.force_login(user)
    return client.get(url).content.decode()


@pytest.fixture
def people(users):
    named(users["county"], "张", "伟")
    named(users["unit"], "王", "芳")
    named(users["department"], "李", "娜")
    return users


def test_the_timeline_names_people_and_says_how_in_chinese(people, projects):
    project = projects["in_scope"]
    log(project, "gov_donghe")
    log(project, "unit_school", via="api")
    log(project, "gov_baotou", via="cli")
    log(project, "demo", via="demo")
    log(project, "system", via="cli")
    html = page(people["office"], f"/ledger/{project.pk}/")
    assert re.search(r"· 包头市东河区人民政府 · 张伟\s*</div>", html)  # the web says nothing about how
    assert "东河区第一中学 · 王芳 · 接口" in html
    assert "包头市人民政府 · 命令行" in html
    assert re.search(r"· 演示数据\s*</div>", html) and "系统 · 命令行" in html
    for login in ("gov_donghe", "unit_school", "gov_baotou", "途径", "demo"):
        assert login not in html


def test_the_user_box_names_the_signed_in_user_and_organisation(people):
    html = page(people["unit"], "/")
    assert '<span class="visually-hidden">当前用户：</span>东河区第一中学 · 王芳</span>' in html
    assert "unit_school" not in html


def test_names_cost_one_query_per_page_not_one_per_person(people, projects, make_user, orgs):
    project = projects["in_scope"]
    log(project, "gov_donghe")

    def queries():
        client = Client()
        client.force_login(people["office"])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/ledger/{project.pk}/").status_code == 200
        return len(captured)

    one = queries()
    for i in range(6):
        log(project, make_user("region", orgs["county"], f"clerk{i}").username)
    assert queries() == one


def test_closure_request_shows_who_requested_reviewed_and_closed_by_name(people, projects, closure_stage):
    project = closure_stage(projects["in_scope"], "closed")
    request = ClosureRequest.objects.create(
        project=project, outcome="in_use", outcome_date=dt.date(2026, 3, 1), description="已投入使用",
        status="closed", requested_by="unit_school", reviewed_by="dept_jyt", closed_by="office",
        reviewed_at=timezone.now(), closed_at=timezone.now(),
    )
    html = page(people["office"], f"/closure/{request.pk}/")
    assert "东河区第一中学 · 王芳（" in html
    assert "内蒙古自治区教育厅 · 李娜（" in html
    assert "<dd>半拉子工程大起底工作领导小组办公室（" in html
    assert "unit_school" not in html and "dept_jyt" not in html
    project_page = page(people["office"], f"/ledger/{project.pk}/")
    assert "由 半拉子工程大起底工作领导小组办公室 销号" in project_page


def test_the_audit_log_names_the_actor_and_keeps_the_account_for_the_search(people, projects):
    log(projects["in_scope"], "unit_school", via="api")
    html = page(people["auditor"], "/audit/")
    assert "东河区第一中学 · 王芳<div class=\"subtle\">账号 unit_school</div>" in html
    assert "（接口）" in html


def test_a_user_with_several_roles_is_named_by_the_first(people, orgs):
    RoleAssignment.objects.create(user=people["unit"], role="region", organization=orgs["county"])
    from halfbuilt.accounts.people import People

    assert People().name("unit_school") == "东河区第一中学 · 王芳"
    assert People().name("no_such_user") == "no_such_user"  # a deleted account keeps its frozen name
    assert User.objects.filter(username="no_such_user").count() == 0
