"""The progress pages and API as a user meets them: the queue with late and missing, the prefilled form,
drafts, the project page's panel and history, the office's roll-up list, the API."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project
from halfbuilt.progress import periods, services
from halfbuilt.progress.models import ProgressReport

PAST = periods.shift(periods.current_period(), -3)
LAST = periods.open_period()
NOW = periods.current_period()


@pytest.fixture
def school(projects):
    Project.objects.filter(pk=projects["in_scope"].pk).update(status="in_ledger", stage="disposing")
    projects["in_scope"].refresh_from_db()
    return projects["in_scope"]


@pytest.fixture
def unit_client(users):
    client = Client()
    client.force_login(users["unit"])
    return client


def test_queue_shows_missing_late_and_due(school, unit_client, make_project, orgs, progress_report):
    late_one = make_project(name="逾期报送的项目", responsible_org=orgs["unit"], status="in_ledger", stage="disposing")
    progress_report(late_one, PAST, submitted_at=timezone.now())
    page = unit_client.get(f"/progress/?period={PAST}").content.decode()
    assert "逾期未报" in page and school.name in page
    assert "逾期报送" in page and late_one.name in page
    current = unit_client.get(f"/progress/?period={NOW}").content.decode()
    assert "待报送" in current and f"/progress/project/{school.pk}/{NOW}/" in current
    bad = unit_client.get("/progress/?period=2026-99")
    assert bad.status_code == 200 and "格式不正确" in bad.content.decode()


def test_the_form_comes_prefilled_and_a_draft_then_a_submission_go_through(school, unit_client, users):
    services.report_submit(actor=Actor(users["unit"]), project=school, period=PAST, data={
        "progress": "完成鉴定", "physical_progress": "42.5", "investment_month": "60", "problems": "缺少施工许可"})
    url = f"/progress/project/{school.pk}/{LAST}/"
    page = unit_client.get(url).content.decode()
    assert 'value="42.50"' in page and "缺少施工许可" in page and "460" in page  # 400 + 60 carried over
    form = {"progress": "", "physical_progress": "45", "investment_month": "15", "problems": "缺少施工许可",
            "action": "save"}
    assert unit_client.post(url, form).status_code == 302
    draft = ProgressReport.objects.get(project=school, period=LAST)
    assert draft.status == "draft" and draft.version == 1
    page = unit_client.get(url).content.decode()
    assert 'value="45.00"' in page and "已载入您保存的草稿" in page
    empty = unit_client.post(url, {**form, "action": "submit", "version": "1"})
    assert "请填写本月进展" in empty.content.decode()
    refused = unit_client.post(url, {**form, "progress": "返工", "physical_progress": "40", "action": "submit",
                                     "version": "1"})
    assert refused.status_code == 200 and "低于上次报送的 42.50%" in refused.content.decode()
    done = unit_client.post(url, {**form, "progress": "主体施工", "action": "submit", "version": "1"})
    report = ProgressReport.objects.get(project=school, period=LAST)
    assert done["Location"] == f"/progress/{report.pk}/"
    assert report.status == "submitted" and report.investment_cumulative == Decimal("475")
    assert unit_client.get(url)["Location"] == f"/progress/{report.pk}/"  # final: the form sends you to it
    detail = unit_client.get(f"/progress/{report.pk}/").content.decode()
    assert "主体施工" in detail and "475" in detail


def test_a_stale_draft_version_is_a_conflict(school, unit_client, users):
    services.report_save(actor=Actor(users["unit"]), project=school, period=NOW, data={"physical_progress": "1"})
    services.report_save(actor=Actor(users["county"]), project=school, period=NOW, data={"physical_progress": "2"})
    response = unit_client.post(f"/progress/project/{school.pk}/{NOW}/",
                                {"physical_progress": "3", "action": "save", "version": "1"})
    assert response.status_code == 200 and "请刷新后重新填写" in response.content.decode()


def test_form_for_a_project_not_in_disposal_sends_you_back(projects, unit_client):
    Project.objects.filter(pk=projects["in_scope"].pk).update(status="in_ledger", stage="planning")
    response = unit_client.get(f"/progress/project/{projects['in_scope'].pk}/{NOW}/")
    assert response["Location"] == f"/progress/project/{projects['in_scope'].pk}/"
    assert unit_client.get(f"/progress/project/{projects['in_scope'].pk}/2026-13/").status_code == 404


def test_project_page_panel_and_history_show_the_reports(school, unit_client, progress_report):
    report = progress_report(school, PAST, submitted_at=timezone.now(), physical="55")
    page = unit_client.get(f"/ledger/{school.pk}/").content.decode()
    assert "月度进展" in page and f"/progress/{report.pk}/" in page and "逾期报送" in page
    assert f"/progress/project/{school.pk}/{LAST}/" in page  # the unit may report: link to the open month
    history = unit_client.get(f"/progress/project/{school.pk}/").content.decode()
    assert periods.label(PAST) in history and "55" in history


def test_office_sees_every_rollup_of_the_month_and_who_has_not_submitted(school, users, orgs, progress_report):
    services.rollup_submit(actor=Actor(users["region"]), organization=orgs["region"], period=LAST, progress="包头")
    services.rollup_submit(actor=Actor(users["department"]), organization=orgs["department"], period=LAST,
                           progress="教育厅")
    client = Client()
    client.force_login(users["office"])
    page = client.get(f"/progress/rollups/?period={LAST}").content.decode()
    assert "包头市人民政府" in page and "内蒙古自治区教育厅" in page
    assert "尚未报送汇总的盟市" in page and "赤峰市人民政府" in page
    assert "全区汇总" in page
    county = Client()
    county.force_login(users["county"])
    assert "包头市人民政府" not in county.get(f"/progress/rollups/?period={LAST}").content.decode()


# --- API -------------------------------------------------------------------------------------------------

def test_api_submit_prefills_what_is_omitted(school, unit_client, users, settings):
    settings.PROGRESS_DUE_DAY = 31  # last month's report is due at the end of this month: on time, whatever the day
    services.report_submit(actor=Actor(users["unit"]), project=school, period=PAST, data={
        "progress": "鉴定", "physical_progress": "20", "investment_month": "100", "problems": "资金缺口"})
    response = unit_client.post("/api/v1/progress", json.dumps({
        "project_id": school.pk, "period": LAST, "progress": "复工", "investment_month": "12.5"}),
        content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["investment_cumulative"] == "512.5" and body["physical_progress"] == "20.00"
    assert body["problems"] == "资金缺口" and body["state"] == "on_time"
    listed = unit_client.get(f"/api/v1/progress?project={school.pk}").json()["results"]
    assert [r["period"] for r in listed] == [LAST, PAST]
    assert unit_client.get(f"/api/v1/progress?period={PAST}").json()["results"][0]["id"] != body["id"]
    assert unit_client.get(f"/api/v1/progress/{body['id']}").json()["progress"] == "复工"


def test_api_errors_are_chinese_json(school, unit_client):
    post = lambda payload: unit_client.post("/api/v1/progress", json.dumps(payload),  # noqa: E731
                                            content_type="application/json")
    base = {"project_id": school.pk, "period": NOW, "progress": "x"}
    bad = post({**base, "physical_progress": 120})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "physical_progress"
    future = post({**base, "period": periods.shift(NOW, 2)})
    assert future.status_code == 422 and "尚未到来" in future.json()["detail"][0]["message"]
    extra = post({**base, "status": "submitted"})
    assert extra.status_code == 422
    assert unit_client.get("/api/v1/progress?period=2026").status_code == 400
    assert unit_client.get("/api/v1/progress/rollups?period=x").status_code == 400
    assert not ProgressReport.objects.exists()
