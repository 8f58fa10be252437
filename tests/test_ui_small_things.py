"""Small things a new user tripped on: a bare 405, no favicon, datetimes without a space, money columns with
ragged decimals, 抽取比例 as a fraction, a hex seed shown to clerks, "尚未修订" on a plan never confirmed."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from halfbuilt.closure.models import FollowUpCheck, FollowUpSample
from halfbuilt.progress.models import Rollup


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


# --- a direct GET of an action address -------------------------------------------------------------------------

def test_a_get_of_an_action_shows_a_chinese_page_with_a_way_back(users, projects):
    project = projects["in_scope"]
    back = f"http://testserver/ledger/{project.pk}/"
    response = client_for(users["office"]).get(f"/ledger/{project.pk}/confirm/", HTTP_REFERER=back)
    assert response.status_code == 405 and "POST" in response["Allow"]
    html = response.content.decode()
    assert "<h1>请通过页面上的按钮办理</h1>" in html and "不会执行任何操作" in html
    assert f'<a href="{back}">返回上一页</a>' in html and 'href="/"' in html
    assert project.name not in html  # nothing about the project, and it stays a candidate
    project.refresh_from_db()
    assert project.status == "candidate"


def test_the_way_back_never_leads_off_the_site(users, projects):
    response = client_for(users["office"]).get(f"/ledger/{projects['in_scope'].pk}/void/",
                                               HTTP_REFERER="https://evil.example/")
    html = response.content.decode()
    assert response.status_code == 405 and "evil.example" not in html and "返回上一页" not in html


def test_signing_out_by_link_is_explained_too(users):
    response = client_for(users["unit"]).get("/accounts/logout/")
    assert response.status_code == 405 and "请通过页面上的按钮办理" in response.content.decode()


def test_the_api_keeps_its_own_405(users):
    response = client_for(users["office"]).delete("/api/v1/projects")
    assert response.status_code == 405 and "请通过页面上的按钮办理" not in response.content.decode()


# --- favicon ---------------------------------------------------------------------------------------------------

def test_every_page_links_the_favicon(users):
    html = Client().get("/accounts/login/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/halfbuilt/favicon[^"]*\.svg" type="image/svg\+xml">', html)
    assert finders.find("halfbuilt/favicon.svg")


# --- datetimes, money, shares ----------------------------------------------------------------------------------

def test_the_rollups_computation_time_has_a_space(users, orgs):
    rollup = Rollup.objects.create(
        organization=orgs["region"], period="2026-05", progress="有序推进", status="submitted",
        submitted_at=timezone.now(), submitted_by="gov_baotou",
        figures={"due": 0, "submitted": 0, "on_time": 0, "late": 0, "missing": 0, "pending": 0,
                 "investment_month": "0", "investment_cumulative": "0", "new_funds": "0", "milestones_met": 0,
                 "computed_at": "2026-06-01T13:53:07+08:00"},
    )
    html = client_for(users["region"]).get(f"/progress/rollups/{rollup.pk}/").content.decode()
    assert "计算时间 2026-06-01 13:53）" in html


def test_the_ledger_lists_money_with_two_decimals_in_every_row(users, make_project):
    for name, amount in (("整数项目", "1000"), ("四位小数项目", "15835.4891"), ("三位小数项目", "113.425")):
        make_project(name=name, total_investment=Decimal(amount), completed_investment=None)
    html = client_for(users["office"]).get("/ledger/").content.decode()
    cells = re.findall(r'<td class="num">([^<]*)</td>', html)
    assert sorted(cells) == ["1,000.00", "113.43", "15,835.49"]


def test_the_project_page_keeps_the_exact_amount(users, make_project):
    project = make_project(total_investment=Decimal("15835.4891"), completed_investment=None)
    html = client_for(users["office"]).get(f"/ledger/{project.pk}/").content.decode()
    assert "<dd>15,835.4891</dd>" in html


@pytest.fixture
def sample(users, make_project, closure_stage):
    project = closure_stage(make_project(name="已销号的学校"), "closed")
    drawn = FollowUpSample.objects.create(drawn_by=users["office"], share=Decimal("0.125"), population=1,
                                          seed="9f2c4e0a1b3d5f7e9f2c4e0a1b3d5f7e", population_ids=[project.pk])
    FollowUpCheck.objects.create(sample=drawn, project=project)
    return drawn


def test_the_sample_pages_show_the_share_as_a_percentage(users, sample):
    office = client_for(users["office"])
    assert "<dt>抽取比例</dt><dd>12.5%</dd>" in office.get(f"/closure/samples/{sample.pk}/").content.decode()
    assert '<td class="num">12.5%</td>' in office.get("/closure/samples/").content.decode()


def test_the_seed_is_kept_for_audit_behind_a_details_element(users, sample):
    html = client_for(users["office"]).get(f"/closure/samples/{sample.pk}/").content.decode()
    details = re.search(r'<details class="audit-details">(.*?)</details>', html, re.S)
    assert details and "<summary>抽样复核信息</summary>" in details.group(1)
    assert sample.seed in details.group(1)
    outside = html.replace(details.group(0), "")
    assert sample.seed not in outside and "随机种子" not in outside
    assert "可复现" in outside


# --- "尚未修订" ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("status,says", [
    ("draft", "尚未确认"),
    ("submitted", "尚未确认"),
    ("confirmed", "确认后尚未修订"),
])
def test_not_yet_revised_only_after_a_confirmation(users, disposal_projects, disposal_make_plan, status, says):
    plan = disposal_make_plan(disposal_projects["in_scope"], status=status, deadline=dt.date(2027, 6, 30))
    office = client_for(users["office"])
    for url in (f"/disposal/{plan.pk}/", f"/disposal/{plan.pk}/revisions/"):
        html = office.get(url).content.decode()
        assert says in html
        assert ("尚未修订" in html) == (status == "confirmed")


def test_the_timeline_shows_lists_as_words_not_python(users, projects):
    from halfbuilt.audit.models import ChangeLog

    project = projects["in_scope"]
    ChangeLog.objects.create(username="unit_school", action="milestone_meet", object_type="milestone",
                             object_id="1", object_repr="主体完工", project_id=project.pk,
                             before={"evidence": []}, after={"evidence": ["现场照片.png", "验收单.pdf"]})
    html = client_for(users["office"]).get(f"/ledger/{project.pk}/").content.decode()
    assert "（空）</span> → " in html and "现场照片.png、验收单.pdf</span>" in html
    assert "[&#x27;" not in html and "[]" not in html
