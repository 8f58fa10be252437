"""The office configures the campaign in pages (phases, dates, targets, scope rule), with the change log; the
deadlines the other apps read follow at once; nobody else may; bad input is named in Chinese."""

import datetime as dt

import pytest
from django.test import Client

from halfbuilt.accounts.navigation import entries_for
from halfbuilt.audit.models import ChangeLog
from halfbuilt.campaign import selectors
from halfbuilt.campaign.loader import load_campaign
from halfbuilt.campaign.models import Phase, Target
from halfbuilt.ledger import coverage
from halfbuilt.ledger.models import Project


@pytest.fixture
def campaign(reference):
    return load_campaign()[0]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _phase_form(phase, **overrides) -> dict:
    data = {"name": phase.name, "starts": phase.starts.isoformat(), "ends": phase.ends.isoformat(),
            "due": "", "due_label": "", "note": phase.note}
    return {**data, **overrides}


def test_the_office_moves_the_plan_deadline(campaign, users):
    phase = Phase.objects.get(campaign=campaign, key="plan")
    office = _client(users["office"])
    assert office.get(f"/campaign/phases/{phase.pk}/").status_code == 200
    response = office.post(f"/campaign/phases/{phase.pk}/", _phase_form(phase, ends="2022-11-30"))
    assert response.status_code == 302
    assert selectors.deadline("plan") == dt.date(2022, 11, 30)
    entry = ChangeLog.objects.get(action="phase_update")
    assert (entry.before, entry.after) == ({"ends": "2022-10-31"}, {"ends": "2022-11-30"})
    assert "2022-11-30" in office.get("/campaign/").content.decode()


@pytest.mark.parametrize(("overrides", "field_message"), [
    ({"ends": "2022-08-01"}, "结束日期不能早于开始日期"),
    ({"ends": "30/11/2022"}, "输入一个有效的日期"),
    ({"due": "2023-01-05"}, "截止日期应在本阶段的开始和结束日期之间"),
    ({"name": ""}, "errorlist"),
])
def test_bad_dates_are_named_and_nothing_is_saved(campaign, users, overrides, field_message):
    phase = Phase.objects.get(campaign=campaign, key="plan")
    response = _client(users["office"]).post(f"/campaign/phases/{phase.pk}/", _phase_form(phase, **overrides))
    assert response.status_code == 200 and field_message in response.content.decode()
    assert selectors.deadline("plan") == dt.date(2022, 10, 31) and not ChangeLog.objects.exists()


def test_the_office_edits_a_target_and_the_scope_rule(campaign, users, make_project):
    office = _client(users["office"])
    target = Target.objects.get(key="all_closed")
    response = office.post(f"/campaign/targets/{target.pk}/", {"text": "2023年底前全部销号", "metric": "closure_rate",
                                                               "value": "abc", "due": "2023-12-31"})
    assert "目标值应为数字" in response.content.decode()
    office.post(f"/campaign/targets/{target.pk}/", {"text": "2023年底前全部销号", "metric": "closure_rate",
                                                    "value": "98", "due": "2023-12-31"})
    assert str(selectors.target("all_closed").value) == "98.00"
    county = make_project(approval_level="county", approval_date="2019")
    response = office.post("/campaign/edit/", {"name": campaign.name, "scope_since": "2016", "version": 1,
                                               "scope_levels": ["region", "prefecture", "county"], "scope_text": ""})
    assert response.status_code == 302
    assert not Project.objects.filter(coverage.outside_q(), pk=county.pk).exists()
    stale = office.post("/campaign/edit/", {"name": "旧名称", "scope_since": "2016", "version": 1,
                                            "scope_levels": ["region"], "scope_text": ""})
    assert "已被他人修改" in stale.content.decode()


@pytest.mark.parametrize("role", ["department", "region", "county", "unit", "sysadmin", "auditor"])
def test_only_the_office_configures(campaign, users, role):
    phase = Phase.objects.get(campaign=campaign, key="plan")
    client = _client(users[role])
    assert client.post(f"/campaign/phases/{phase.pk}/", _phase_form(phase, ends="2022-11-30")).status_code == 403
    assert client.get("/campaign/edit/").status_code == 403
    assert selectors.deadline("plan") == dt.date(2022, 10, 31)


def test_the_menu(campaign, users):
    labels = {role: [str(e.label) for e in entries_for(users[role])] for role in users}
    assert {"起底行动", "实施方案", "行业标准"} <= set(labels["office"])
    assert {"起底行动", "实施方案", "行业标准"} <= set(labels["region"])
    assert "实施方案" not in labels["unit"] and "起底行动" in labels["unit"]
    assert not {"起底行动", "实施方案", "行业标准"} & set(labels["sysadmin"])


def test_without_a_campaign_the_page_says_so(reference, users):
    response = _client(users["office"]).get("/campaign/")
    assert response.status_code == 200 and "尚未配置起底行动" in response.content.decode()
    assert _client(users["office"]).get("/campaign/edit/").status_code == 404
