"""The campaign's scope (起底范围) at its boundary — approved 2015-12-31 vs 2016-01-01, county-level approval,
影响较大 with and without a reason — on the form (a warning naming the rule), the importer (a warning naming the
row) and the list (a badge and the 超出起底范围 filter, whose count equals the list)."""

import csv
import re

import pytest
from django.contrib.messages import get_messages
from django.db.models import Q
from django.test import Client

from halfbuilt.campaign.loader import load_campaign
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger import coverage
from halfbuilt.ledger.exports import labels as export_labels
from halfbuilt.ledger.intake.headers import match_header
from halfbuilt.ledger.intake.plan import ImportContext, build_plan
from halfbuilt.ledger.intake.reader import read_workbook
from halfbuilt.ledger.intake.template import build_template
from halfbuilt.ledger.models import Project
from halfbuilt.regions.models import Region

# (approval level, approval date, 影响较大, reason) → outside the scope?
BOUNDARY = [
    ("prefecture", "2016-01-01", False, "", False),
    ("prefecture", "2015-12-31", False, "", True),
    ("region", "2016", False, "", False),  # a year only: 2016 is inside
    ("region", "2015-12", False, "", True),
    ("county", "2020-05-01", False, "", True),
    ("county", "2020-05-01", True, "群众反映强烈，影响城市形象", False),
    ("county", "2020-05-01", True, "", True),  # marked, but no reason
    ("prefecture", "2015-12-31", True, "省级重点民生工程", False),
    ("", "", False, "", True),  # nothing known of the approval
]
IDS = [f"{level or 'none'}-{date or 'none'}-{'marked' if marked else 'plain'}{'-why' if why else ''}"
       for level, date, marked, why, _ in BOUNDARY]


@pytest.fixture
def campaign(reference):
    return load_campaign()[0]


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(("level", "date", "marked", "why", "outside"), BOUNDARY, ids=IDS)
def test_the_rule_and_its_expression_agree(campaign, make_project, level, date, marked, why, outside):
    project = make_project(approval_level=level, approval_date=date, high_impact=marked, high_impact_reason=why)
    rule = coverage.current_rule()
    assert Project.objects.filter(coverage.outside_q(), pk=project.pk).exists() is outside
    message = rule.warning(approval_level=level, approval_date=date, high_impact=marked, high_impact_reason=why)
    assert bool(message) is outside


def _form(level, date, marked, why) -> dict:
    data = {"name": "东河区文化中心", "region": "150202", "category": "A08", "kind": "stalled",
            "approval_level": level, "approval_date": date, "high_impact_reason": why}
    if marked:
        data["high_impact"] = "on"
    return data


@pytest.mark.parametrize(("level", "date", "marked", "why", "outside"), BOUNDARY, ids=IDS)
def test_the_form_keeps_the_project_and_warns_naming_the_rule(campaign, users, level, date, marked, why, outside):
    response = _signed_in(users["region"]).post("/ledger/new/", _form(level, date, marked, why))
    assert response.status_code == 302
    project = Project.objects.get(name="东河区文化中心")
    assert (project.high_impact, project.high_impact_reason) == (marked, why)
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    flagged = [w for w in warnings if "超出起底范围" in w]
    if outside:
        assert len(flagged) == 1 and "2016年以来自治区、盟市审批的项目" in flagged[0]
        if marked:
            assert "未填写理由" in flagged[0]
    else:
        assert flagged == []
    page = _signed_in(users["region"]).get(f"/ledger/{project.pk}/")
    assert ('id="scope-warning"' in page.content.decode()) is outside


def test_the_importer_warns_per_row_and_imports_all(campaign, users, tmp_path):
    path = tmp_path / "ledger.csv"
    header = ["项目名称", "所在地区", "项目类别", "类型", "审批层级", "审批时间", "是否影响较大", "影响较大理由"]
    rows = [
        ["甲学校", "东河区", "A03", "未完工停建", "盟市", "2016-01-01", "否", ""],
        ["乙学校", "东河区", "A03", "未完工停建", "盟市", "2015-12-31", "否", ""],
        ["丙学校", "东河区", "A03", "未完工停建", "旗县", "2019-03", "是", "群众反映强烈"],
        ["丁学校", "东河区", "A03", "未完工停建", "旗县", "2019-03", "是", ""],
    ]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    ctx = ImportContext.for_user(Actor(users["region"]), Region.objects.get(code="150200"))
    plan = build_plan(read_workbook(path), ctx)
    assert plan.errors == []
    flagged = [(w.row, w.column) for w in plan.warnings if "超出起底范围" in w.message]
    assert flagged == [(3, "审批时间"), (5, "审批时间")]  # 乙 (2015-12-31) and 丁 (marked without a reason)
    assert len(plan.creates) == 4  # kept, never silently dropped


def test_the_list_filter_and_badge(campaign, users, make_project):
    inside = make_project(name="范围内项目", approval_level="prefecture", approval_date="2016-01-01")
    make_project(name="二〇一五年项目", approval_level="prefecture", approval_date="2015-12-31")
    make_project(name="旗县审批项目", approval_level="county", approval_date="2020")
    make_project(name="影响较大项目", approval_level="county", approval_date="2020", high_impact=True,
                 high_impact_reason="影响较大")
    client = _signed_in(users["office"])
    listed = client.get("/ledger/?scope=outside").content.decode()
    names = set(re.findall(r'<a href="/ledger/\d+/">([^<]+)</a>', listed))
    assert {"二〇一五年项目", "旗县审批项目"} <= names
    assert not names & {"范围内项目", "影响较大项目"}
    expected = Project.objects.restrict(users["office"]).filter(coverage.outside_q()).count()
    count = client.get("/ledger/count/?scope=outside", HTTP_ACCEPT="application/json").json()["count"]
    assert count == expected == len(names)
    everything = client.get("/ledger/").content.decode()
    row = everything.split(f'/ledger/{inside.pk}/')[1].split("</tr>")[0]
    assert "badge-outside" not in row
    assert everything.count('class="badge badge-outside"') == expected


def test_the_list_filter_is_one_query(campaign, users, django_assert_max_num_queries, make_project):
    for year in range(2010, 2030):
        make_project(approval_level="prefecture", approval_date=str(year))
    queryset = Project.objects.restrict(users["office"]).filter(coverage.outside_q())  # reads the rule once
    with django_assert_max_num_queries(1):  # then one query, whatever the number of rows
        assert len(list(queryset.values_list("pk", flat=True))) == 6  # approved 2010..2015


def test_an_unknown_scope_filter_is_named_and_ignored(campaign, users):
    response = _signed_in(users["office"]).get("/ledger/?scope=inside")
    assert response.status_code == 200
    assert "起底范围筛选“inside”无效，已忽略" in response.content.decode()


def test_without_a_campaign_nothing_is_flagged(reference, make_project):
    make_project(approval_level="county", approval_date="2001")
    assert coverage.outside_q() == Q(pk__in=[])
    assert not Project.objects.filter(coverage.outside_q()).exists()



def test_the_import_template_the_headers_and_the_export_carry_the_new_fields(reference, tmp_path):
    template = tmp_path / "template.xlsx"
    template.write_bytes(build_template([]))
    header = [str(cell) for cell in read_workbook(template)[0].rows[0]]
    assert "影响较大" in header and "影响较大的理由" in header
    keys = [match_header(h)[0] for h in ("影响较大", "是否影响较大", "影响较大的理由", "影响较大原因")]
    assert keys == ["high_impact", "high_impact", "high_impact_reason", "high_impact_reason"]
    assert {"影响较大", "影响较大的理由"} <= set(export_labels())



def test_the_api_keeps_the_project_and_warns(campaign, users):
    from halfbuilt.accounts.models import ApiToken

    client = Client(headers={"authorization": f"Bearer {ApiToken.issue(users['region'])}"})
    body = {"name": "东河区图书馆", "region_code": "150202", "category_code": "A08", "kind": "stalled",
            "approval_level": "county", "approval_date": "2019"}
    response = client.post("/api/v1/projects", body, content_type="application/json")
    assert response.status_code == 201
    (warning,) = response.json()["warnings"]
    assert warning["field"] == "approval_date" and "超出起底范围" in warning["message"]
    body = {"version": 1, "high_impact": True, "high_impact_reason": "群众反映强烈"}
    patched = client.patch(f"/api/v1/projects/{response.json()['id']}", body, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["warnings"] == []
    assert patched.json()["high_impact"] is True
