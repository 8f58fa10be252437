"""The ledger pages as a user meets them: list, filters, sorting, paging, project page, forms, actions, export."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from halfbuilt.audit.models import ChangeLog
from halfbuilt.ledger.models import Project

LIST = reverse("ledger:project_list")


def listed(client, **params) -> list[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [p.name for p in response.context["projects"]]


@pytest.fixture
def office_client(client, users):
    client.force_login(users["office"])
    return client


@pytest.fixture
def varied(make_project):
    """Projects that differ in one attribute each from the plain one."""
    return {
        "plain": make_project(name="东河区第二中学教学楼", approval_date="2018-06", total_investment=Decimal("1000")),
        "chifeng": make_project(name="红山区敬老院", region_id="150402", category_id="A06", department_id="MZT"),
        "idle": make_project(name="昆区体育馆", region_id="150203", kind="idle", category_id="A08",
                             department_id=None, total_investment=Decimal("5000"), approval_date="2021"),
        "confirmed": make_project(name="青山区幼儿园", region_id="150204", status="in_ledger",
                                  total_investment=Decimal("80"), completed_investment=Decimal("20"),
                                  approval_date="2015-03-02"),
    }


def test_list_shows_visible_projects_and_total(office_client, varied, projects):
    response = office_client.get(LIST)
    names = [p.name for p in response.context["projects"]]
    assert set(names) == {p.name for p in varied.values()} | {"东河区第一中学教学楼", "红山区幼儿园"}
    assert "某业务技术用房" not in response.content.decode()  # classified: not even in the list
    assert "<strong>6</strong>" in response.content.decode()
    assert 'lang="zh-Hans"' in response.content.decode()


@pytest.mark.parametrize(("params", "expected"), [
    ({"region": "150400"}, {"红山区敬老院"}),
    ({"region": "150203"}, {"昆区体育馆"}),
    ({"category": "A06"}, {"红山区敬老院"}),
    ({"kind": "idle"}, {"昆区体育馆"}),
    ({"status": "in_ledger"}, {"青山区幼儿园"}),
    ({"department": "unassigned"}, {"昆区体育馆"}),
    ({"department": "MZT"}, {"红山区敬老院"}),
    ({"year_from": "2018", "year_to": "2020"}, {"东河区第二中学教学楼"}),
    ({"year_to": "2015"}, {"青山区幼儿园"}),
    ({"total_min": "2000"}, {"昆区体育馆"}),
    ({"total_max": "100"}, {"青山区幼儿园"}),
    ({"q": "敬老"}, {"红山区敬老院"}),
])
def test_each_filter_narrows_the_list(office_client, varied, params, expected):
    assert set(listed(office_client, **params)) == expected


def test_filters_combine_and_keep_their_values_in_the_form(office_client, varied):
    response = office_client.get(LIST, {"region": "150200", "kind": "stalled", "total_min": "500"})
    assert [p.name for p in response.context["projects"]] == ["东河区第二中学教学楼"]
    html = response.content.decode()
    assert 'value="500"' in html
    assert "清除筛选条件" in html


@pytest.mark.parametrize("params", [
    {"total_min": "很多"}, {"year_from": "20x8"}, {"sort": "drop table"}, {"region": "999999"},
    {"kind": "bogus"}, {"status": "x"}, {"page": "abc"}, {"page": "99999"}, {"page": "-1"},
    {"total_max": "1e999999"}, {"total_min": "NaN"}, {"total_max": "-Infinity"},
    {"category": "Z99"}, {"department": "'; --"},
])
def test_bad_query_strings_give_a_notice_never_a_500(office_client, varied, params):
    response = office_client.get(LIST, params)
    assert response.status_code == 200


def test_bad_filter_value_is_reported_in_chinese(office_client, varied):
    html = office_client.get(LIST, {"total_min": "很多", "year_from": "20x8"}).content.decode()
    assert "部分筛选条件有误" in html
    assert "总投资下限“很多”不是数字" in html
    assert "审批年份起“20x8”应为四位年份" in html


def test_sorting_by_total_both_ways(office_client, varied):
    ascending = listed(office_client, sort="total", region="150200")
    assert ascending == ["青山区幼儿园", "东河区第二中学教学楼", "昆区体育馆"]
    assert listed(office_client, sort="-total", region="150200") == list(reversed(ascending))
    html = office_client.get(LIST, {"sort": "total"}).content.decode()
    assert 'aria-sort="ascending"' in html
    assert "sort=-total" in html  # clicking the header again reverses


def test_sorting_by_name_and_approval(office_client, varied):
    assert listed(office_client, sort="approval", region="150200") == [
        "青山区幼儿园", "东河区第二中学教学楼", "昆区体育馆"]
    assert listed(office_client, sort="-name")[0] == sorted(listed(office_client), reverse=True)[0]


def test_pagination_keeps_filters_and_shows_count(office_client, make_project):
    for n in range(55):
        make_project(name=f"批量项目{n:02d}")
    make_project(name="别处项目", region_id="150402")
    first = office_client.get(LIST, {"region": "150202"})
    assert len(first.context["projects"]) == 50
    html = first.content.decode()
    assert "<strong>55</strong>" in html
    assert "page=2" in html and "region=150202" in html
    second = office_client.get(LIST, {"region": "150202", "page": "2"})
    assert len(second.context["projects"]) == 5
    assert "别处项目" not in [p.name for p in second.context["projects"]]


def test_list_query_count_does_not_grow_with_rows(office_client, make_project, django_assert_max_num_queries):
    for n in range(60):
        make_project(name=f"项目{n}", department_id=None if n % 2 else "JYT", region_id="150203")
    # Fixed per page, whatever the rows: one reads the campaign's scope rule (the list's badge), one counts the bell,
    # three read the page's regions, categories and departments (cheaper than four joins to plan), and on
    # PostgreSQL three run the page's queries without parallel workers (SET LOCAL in a savepoint of the test's
    # transaction, and its release).
    with django_assert_max_num_queries(20 if connection.vendor == "postgresql" else 17):
        response = office_client.get(LIST)
    assert len(response.context["projects"]) == 50


def test_region_filter_offers_only_the_users_area(client, users):
    client.force_login(users["county"])
    options = dict(client.get(LIST).context["filter_form"].fields["region"].choices)
    assert "150202" in options
    assert "150402" not in options and "150203" not in options


def test_submit_buttons_only_for_submitters(client, users, projects):
    client.force_login(users["region"])
    html = client.get(LIST).content.decode()
    assert reverse("ledger:project_create") in html and reverse("ledger:import_upload") in html
    client.force_login(users["unit"])
    html = client.get(LIST).content.decode()
    assert "新增项目" not in html and reverse("ledger:import_upload") not in html
    assert "导出 Excel" in html


# --- project page -------------------------------------------------------------------------------------------


def detail(pk):
    return reverse("ledger:project_detail", args=[pk])


def test_project_page_shows_fields_with_chinese_labels(office_client, projects):
    html = office_client.get(detail(projects["in_scope"].pk)).content.decode()
    for label in ("台账编号", "项目名称", "所在地区代码", "行业主管部门", "总投资（万元）", "停建或未投用原因", "状态"):
        assert label in html
    assert "东河区第一中学教学楼" in html
    assert "内蒙古自治区教育厅" in html
    assert "编辑项目" in html


@pytest.mark.parametrize(("role", "project", "status"), [
    ("region", "elsewhere", 404),
    ("county", "elsewhere", 404),
    ("unit", "elsewhere", 404),
    ("office", "classified", 404),
    ("department", "classified", 404),
    ("auditor", "in_scope", 404),
    ("department_gat", "classified", 200),
    ("unit", "in_scope", 200),
])
def test_project_page_is_404_out_of_scope(client, users, projects, role, project, status):
    client.force_login(users[role])
    assert client.get(detail(projects[project].pk)).status_code == status


@pytest.mark.parametrize("route", ["ledger:project_edit", "ledger:project_detail"])
def test_classified_of_others_is_404_on_every_route(client, users, projects, route):
    client.force_login(users["office"])
    assert client.get(reverse(route, args=[projects["classified"].pk])).status_code == 404
    url = reverse("ledger:project_transition", args=[projects["classified"].pk, "confirm"])
    assert client.post(url).status_code == 404


def test_unit_sees_but_cannot_edit_or_act(client, users, projects):
    client.force_login(users["unit"])
    html = client.get(detail(projects["in_scope"].pk)).content.decode()
    assert "编辑项目" not in html and "纳入台账</button>" not in html
    assert client.get(reverse("ledger:project_edit", args=[projects["in_scope"].pk])).status_code == 404
    url = reverse("ledger:project_transition", args=[projects["in_scope"].pk, "void"])
    client.post(url, {"reason": "试图作废"})
    assert Project.objects.get(pk=projects["in_scope"].pk).status == "candidate"


# --- create and edit ----------------------------------------------------------------------------------------

GOOD = {
    "name": "  东河区图书馆 ", "region": "150202", "category": "A08", "department": "WLT", "kind": "stalled",
    "total_investment": "1,260", "completed_investment": "300.5万元", "approval_date": "2018年6月",
    "start_date": "2019.03", "project_code": "2018-150202-89-01-000123", "responsible_unit": "东河区文旅局",
}


def test_create_parses_what_people_type(client, users):
    client.force_login(users["region"])
    response = client.post(reverse("ledger:project_create"), GOOD)
    project = Project.objects.get(name="东河区图书馆")
    assert response.status_code == 302 and response.url == detail(project.pk)
    assert project.total_investment == Decimal("1260")
    assert project.completed_investment == Decimal("300.5")
    assert project.approval_date == "2018-06" and project.start_date == "2019-03"
    assert project.status == "candidate"
    assert ChangeLog.objects.filter(project_id=project.pk, action="create").count() == 1
    assert "已新增项目" in client.get(response.url).content.decode()


def test_create_with_bad_input_shows_chinese_field_errors_and_writes_nothing(client, users):
    client.force_login(users["region"])
    bad = {**GOOD, "total_investment": "一千二", "completed_investment": "-5", "approval_date": "2018年13月",
           "project_code": "2018-15020-89-01-000123", "longitude": "东经"}
    response = client.post(reverse("ledger:project_create"), bad)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "无法识别" in errors["total_investment"][0]
    assert "不能为负数" in errors["completed_investment"][0]
    assert "不存在" in errors["approval_date"][0]
    assert "格式应为" in errors["project_code"][0]
    assert "经度应为数字" in errors["longitude"][0]
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and "一千二" in html  # the input is kept for correction
    assert not Project.objects.exists()
    assert not ChangeLog.objects.exists()


def test_create_checks_completed_not_above_total_and_required_fields(client, users):
    client.force_login(users["region"])
    response = client.post(reverse("ledger:project_create"),
                           {**GOOD, "name": "", "kind": "", "completed_investment": "2000"})
    errors = response.context["form"].errors
    assert errors["name"] == ["请填写项目名称"]
    assert errors["kind"] == ["请填写类型"]
    assert errors["completed_investment"] == ["已完成投资 2000 万元大于总投资 1260 万元"]
    assert not Project.objects.exists()


def test_create_region_limited_to_submit_scope(client, users):
    client.force_login(users["county"])
    form = client.get(reverse("ledger:project_create")).context["form"]
    assert [c for c, _ in form.fields["region"].choices if c] == ["150202"]
    response = client.post(reverse("ledger:project_create"), {**GOOD, "region": "150402"})
    assert response.status_code == 200 and "region" in response.context["form"].errors
    assert not Project.objects.exists()


def test_department_user_limited_to_own_line(client, users):
    client.force_login(users["department"])
    form = client.get(reverse("ledger:project_create")).context["form"]
    assert {str(d.pk) for d in form.fields["department"].queryset} == {"JYT"}
    response = client.post(reverse("ledger:project_create"), {**GOOD, "department": "WLT"})
    assert "department" in response.context["form"].errors
    assert not Project.objects.exists()


def test_uscc_check_digit_is_a_warning_not_an_error(client, users):
    client.force_login(users["region"])
    response = client.post(reverse("ledger:project_create"), {**GOOD, "owner_uscc": "91150202MA0N000000"}, follow=True)
    assert Project.objects.get(name="东河区图书馆").owner_uscc == "91150202MA0N000000"
    assert "校验位不符" in response.content.decode()


def test_unit_and_auditor_cannot_open_create(client, users):
    for role in ("unit", "auditor"):
        client.force_login(users[role])
        assert client.get(reverse("ledger:project_create")).status_code == 403
        assert client.post(reverse("ledger:project_create"), GOOD).status_code == 403
    assert not Project.objects.exists()


def form_post_data(form) -> dict:
    """What the browser would send back for a rendered form."""
    data = {}
    for bound in form:
        value = bound.value()
        if bound.widget_type == "checkbox":
            if value:
                data[bound.name] = "on"
            continue
        data[bound.name] = "" if value is None else str(value)
    return data


def test_edit_saves_with_reason_and_timeline_shows_it(client, users, projects):
    project = projects["in_scope"]
    client.force_login(users["region"])
    url = reverse("ledger:project_edit", args=[project.pk])
    data = form_post_data(client.get(url).context["form"])
    assert data["version"] == "1" and data["total_investment"] == "1000"
    data.update(total_investment="1,500", reason="据县发改局核对更正总投资")
    response = client.post(url, data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.total_investment == Decimal("1500") and project.version == 2
    html = client.get(detail(project.pk)).content.decode()
    # The editor by organization (this account has no full name), never by login name.
    assert "修改" in html and "包头市人民政府 · 来自 127.0.0.1" in html and "gov_baotou" not in html
    assert "总投资（万元）：" in html and "原为</span>1,000</span>" in html and "改为</span>1,500</span>" in html
    assert "据县发改局核对更正总投资" in html


def test_edit_conflict_refuses_later_save_and_keeps_input(client, users, projects, django_user_model):
    from django.test import Client

    project = projects["in_scope"]
    url = reverse("ledger:project_edit", args=[project.pk])
    first, second = Client(), Client()
    first.force_login(users["region"])
    second.force_login(users["county"])
    form_a = form_post_data(first.get(url).context["form"])
    form_b = form_post_data(second.get(url).context["form"])
    assert form_a["version"] == form_b["version"] == "1"

    form_a.update(total_investment="1200", name="东河区第一中学教学楼甲改")
    assert first.post(url, form_a).status_code == 302

    form_b.update(completed_investment="450", causes="资金链断裂")
    response = second.post(url, form_b)
    assert response.status_code == 200
    html = response.content.decode()
    assert "保存未成功" in html and "已被 gov_baotou 修改" in html
    assert "资金链断裂" in html and 'value="450"' in html  # B's input is still in the form
    assert "他人保存的当前值：东河区第一中学教学楼甲改" in html  # A's values shown beside the fields
    project.refresh_from_db()
    assert project.name == "东河区第一中学教学楼甲改" and project.total_investment == Decimal("1200")
    assert project.causes == ""  # B's refused save wrote nothing

    # B reviews and saves deliberately on the current version: nothing of B's is lost.
    resubmit = form_post_data(response.context["form"])
    assert resubmit["version"] == "2"
    assert second.post(url, resubmit).status_code == 302
    project.refresh_from_db()
    assert project.causes == "资金链断裂" and project.completed_investment == Decimal("450")


def test_edit_with_bad_version_or_input_is_not_a_500(client, users, projects):
    project = projects["in_scope"]
    client.force_login(users["region"])
    url = reverse("ledger:project_edit", args=[project.pk])
    data = form_post_data(client.get(url).context["form"])
    for version in ("", "abc", "0", "99999999999999999999"):
        assert client.post(url, {**data, "version": version}).status_code == 200
    assert client.post(url, {**data, "region": "<script>"}).status_code == 200
    project.refresh_from_db()
    assert project.version == 1


# --- status actions -----------------------------------------------------------------------------------------


def transition(pk, action):
    return reverse("ledger:project_transition", args=[pk, action])


def test_department_confirms_project_into_ledger(client, users, projects):
    project = projects["in_scope"]
    client.force_login(users["department_baotou"])
    html = client.get(detail(project.pk)).content.decode()
    assert "纳入台账</button>" in html and "不予认定</button>" in html
    response = client.post(transition(project.pk, "confirm"), follow=True)
    project.refresh_from_db()
    assert project.status == "in_ledger"
    assert f"“{project.name}”：已纳入台账。" in response.content.decode()


def test_reject_requires_a_reason(client, users, projects):
    project = projects["in_scope"]
    client.force_login(users["department"])
    response = client.post(transition(project.pk, "reject"), {"reason": "  "}, follow=True)
    assert "不予认定必须填写理由" in response.content.decode()
    project.refresh_from_db()
    assert project.status == "candidate"
    client.post(transition(project.pk, "reject"), {"reason": "不属于政府投资项目"})
    project.refresh_from_db()
    assert project.status == "rejected" and project.status_reason == "不属于政府投资项目"
    html = client.get(detail(project.pk)).content.decode()
    assert "不予认定理由：" in html and "不属于政府投资项目" in html


def test_void_keeps_the_record(client, users, projects):
    project = projects["in_scope"]
    client.force_login(users["region"])
    assert "作废</button>" in client.get(detail(project.pk)).content.decode()
    client.post(transition(project.pk, "void"), {"reason": "重复填报"})
    project.refresh_from_db()
    assert project.status == "voided"
    assert client.get(detail(project.pk)).status_code == 200
    assert ChangeLog.objects.filter(project_id=project.pk, action="void", reason="重复填报").exists()


def test_region_cannot_confirm(client, users, projects):
    project = projects["in_scope"]
    client.force_login(users["region"])
    response = client.post(transition(project.pk, "confirm"), follow=True)
    assert "无权" in response.content.decode()
    project.refresh_from_db()
    assert project.status == "candidate"


def test_transition_get_is_405_and_unknown_action_404(client, users, projects):
    client.force_login(users["department"])
    assert client.get(transition(projects["in_scope"].pk, "confirm")).status_code == 405
    assert client.post(transition(projects["in_scope"].pk, "delete")).status_code == 404
    assert client.post(transition(999999, "confirm")).status_code == 404


# --- export -------------------------------------------------------------------------------------------------


def exported_names(response) -> list[str]:
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    column = rows[0].index("项目名称")
    return [row[column] for row in rows[1:]]


def test_export_is_the_filtered_visible_list(client, users, projects, varied):
    client.force_login(users["office"])
    export = reverse("ledger:project_export")
    everything = exported_names(client.get(export, {"format": "csv"}))
    assert "某业务技术用房" not in everything and "红山区幼儿园" in everything and len(everything) == 6
    chifeng = exported_names(client.get(export, {"format": "csv", "region": "150400"}))
    assert set(chifeng) == {"红山区敬老院", "红山区幼儿园"}
    assert exported_names(client.get(export, {"format": "csv", "kind": "idle"})) == ["昆区体育馆"]
    client.force_login(users["county"])
    county = exported_names(client.get(export, {"format": "csv"}))
    assert set(county) == {"东河区第一中学教学楼", "东河区第二中学教学楼"}


def test_export_xlsx_download_and_bad_format(client, users, projects):
    client.force_login(users["region"])
    response = client.get(reverse("ledger:project_export"), {"format": "xlsx"})
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert ".xlsx" in response["Content-Disposition"]
    response = client.get(reverse("ledger:project_export"), {"format": "exe"}, follow=True)
    assert "导出格式“exe”不支持" in response.content.decode()


def test_list_counts_a_few_pages_ahead_and_the_exact_total_on_request(office_client, make_project, monkeypatch,
                                                                     settings):
    from halfbuilt.ledger import paging

    monkeypatch.setattr(paging, "COUNT_AHEAD_PAGES", 1)  # count at most 2 pages of 50 from page 1
    settings.LEDGER_EXACT_COUNT_MAX = 100  # a scope of 120 projects is "large": the count is capped
    for n in range(120):
        make_project(name=f"大量项目{n:03d}")
    html = office_client.get(LIST, {"q": "大量项目"}).content.decode()
    assert "超过" in html and "<strong data-count>100</strong>" in html and "统计准确总数" in html
    assert "page=2" in html  # the next page is still reachable
    exact = office_client.get("/ledger/count/", {"q": "大量项目"})
    assert exact.json() == {"count": 120}
    third = office_client.get(LIST, {"q": "大量项目", "page": "3"})
    assert len(third.context["projects"]) == 20  # the count moved ahead with the page
