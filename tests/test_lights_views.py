"""The lights in the pages: the ledger list's filters by light and reason (list, count, export and API share
them), its light column, the project page's panel, and the office's rules page."""

import csv
import datetime as dt
import io

import pytest
from django.test import Client

from halfbuilt.supervision.lights.models import LightSettings
from halfbuilt.supervision.lights.recompute import recompute
from tests.lights_helpers import NOW, TODAY, in_disposal, milestone, plan, report

DAY = dt.timedelta(days=1)


@pytest.fixture
def lit(make_project, projects):
    """Donghe (Baotou): 2 red (deadline passed), 3 yellow (a milestone overdue), 1 green, 1 candidate without a
    light; Chifeng: 1 red, outside Baotou's scope; a classified red project of public security."""
    LightSettings.objects.update_or_create(pk=1, defaults={"plan_draft_by": TODAY + 30 * DAY,
                                                           "plan_confirm_by": TODAY + 30 * DAY})

    def project(name, deadline, overdue=False, **fields):
        made = in_disposal(make_project(name=name, **fields))
        p = plan(made, drafted=dt.date(2026, 5, 20), deadline=deadline)
        report(made, "2026-05", "100")
        if overdue:
            milestone(p, TODAY - DAY)
        return made

    made = {
        "red": [project(f"红灯项目{i}", TODAY - DAY) for i in range(2)],
        "yellow": [project(f"黄灯项目{i}", TODAY + 300 * DAY, overdue=True) for i in range(3)],
        "green": [project("绿灯项目", TODAY + 300 * DAY)],
        "candidate": make_project(name="待核实项目"),
        "chifeng": project("赤峰红灯项目", TODAY - DAY, region_id="150402"),
        "classified": project("涉密红灯项目", TODAY - DAY, category_id="A02", department_id="GAT", classified=True),
    }
    recompute(now=NOW)
    return made


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def names(client, query: str) -> set[str]:
    response = client.get(f"/ledger/?{query}")
    assert response.status_code == 200
    return {p.name for p in response.context["projects"]}


def count(client, query: str) -> int:
    return client.get(f"/ledger/count/?{query}", HTTP_ACCEPT="application/json").json()["count"]


@pytest.mark.parametrize(("query", "office_count", "baotou_count"), [
    ("light=red", 3, 2), ("light=yellow", 3, 3), ("light=green", 1, 1),
    ("reason=plan_deadline_passed", 3, 2), ("reason=milestone_overdue", 3, 3),
    ("reason=report_missing", 0, 0), ("light=yellow&reason=plan_deadline_passed", 0, 0),
])
def test_the_list_and_its_count_filter_by_light_and_reason_within_scope(lit, office, users, query, office_count,
                                                                        baotou_count):
    baotou = client_for(users["region"])
    assert count(office, query) == len(names(office, query)) == office_count
    assert count(baotou, query) == len(names(baotou, query)) == baotou_count


def test_a_colour_filtered_list_keeps_the_ledgers_newest_first_order(lit, office):
    """The colour filter reads the order from the light's own copy of created_at (its index): the same order as
    the project's, ties broken by id; the daily run mends a copy a hand-made change left stale."""
    from halfbuilt.ledger.models import Project
    from halfbuilt.supervision.lights.models import Light

    yellow = lit["yellow"]
    stamp = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
    Project.objects.filter(pk=yellow[0].pk).update(created_at=stamp + DAY)  # the newest
    Project.objects.filter(pk__in=[yellow[1].pk, yellow[2].pk]).update(created_at=stamp)  # a tie
    recompute(now=NOW)
    assert set(Light.objects.filter(project__in=yellow).values_list("project_created_at", flat=True)) == {
        stamp, stamp + DAY}
    expected = [p.pk for p in Project.objects.filter(pk__in=[y.pk for y in yellow]).order_by("-created_at", "-id")]
    assert expected[0] == yellow[0].pk
    listed = office.get("/ledger/?light=yellow").context["projects"]
    assert [p.pk for p in listed] == expected
    # Every project's region, league, category and department are there without a query per row.
    assert {p.region.full_name for p in listed} == {"包头市东河区"} and all(p.category.name for p in listed)


def test_a_light_written_one_by_one_takes_its_projects_created_at(lit, make_project):
    from halfbuilt.ledger.models import Project
    from halfbuilt.supervision.lights.models import Colour, Light

    made = make_project(name="手工亮灯")
    light = Light.objects.create(project=made, colour=Colour.RED, since=NOW)
    assert light.project_created_at == Project.objects.get(pk=made.pk).created_at


def test_a_project_out_of_scope_never_shows_in_a_light_filter(lit, users):
    baotou, gat = client_for(users["region"]), client_for(users["department_gat"])
    assert "赤峰红灯项目" not in names(baotou, "light=red") and "涉密红灯项目" not in names(baotou, "light=red")
    assert names(gat, "light=red") == {"涉密红灯项目"}
    assert "涉密红灯项目" not in names(client_for(users["office"]), "light=red")


def test_bad_light_or_reason_values_are_reported_and_ignored(lit, office):
    response = office.get("/ledger/?light=purple&reason=magic")
    html = response.content.decode()
    assert "亮灯“purple”无效，已忽略" in html and "亮灯原因“magic”无效，已忽略" in html
    assert len(response.context["projects"]) == 10  # 3 red, 3 yellow, 1 green, 3 candidates: not filtered


def test_the_list_shows_a_light_column_and_the_filters(lit, office):
    html = office.get("/ledger/").content.decode()
    assert '<th scope="col">预警亮灯</th>' in html
    row = html[html.index("红灯项目0</a>"):]
    assert '<span class="badge badge-light-red">红灯</span>' in row[:row.index("</tr>")]
    row = html[html.index("待核实项目</a>"):]
    assert "badge-light" not in row[:row.index("</tr>")]
    assert '<option value="red">红灯</option>' in html and '<option value="milestone_overdue">' in html


def test_the_export_follows_the_light_filter(lit, office):
    response = office.get("/ledger/export/?format=csv&light=yellow")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert sorted(r[2] for r in rows[1:]) == ["黄灯项目0", "黄灯项目1", "黄灯项目2"]


def test_the_api_list_filters_by_light_too(lit, users):
    answer = client_for(users["region"]).get("/api/v1/projects?light=red&count=true").json()
    assert {p["name"] for p in answer["results"]} == {"红灯项目0", "红灯项目1"}
    assert client_for(users["region"]).get("/api/v1/projects?light=purple").status_code == 400


def test_the_project_page_shows_the_light_why_and_what_clears_it(lit, office):
    html = office.get(f"/ledger/{lit['red'][0].pk}/").content.decode()
    panel = html[html.index('id="light-heading"'):]
    panel = panel[:panel.index("</section>")]
    assert "badge-light-red" in panel
    assert "超过方案完成时限未销号" in panel and "完成处置并申请销号，或按程序修订方案的完成时限" in panel
    assert "亮灯变化记录" in panel and "无 → 红灯" in panel


def test_the_timeline_shows_the_change_of_colour(lit, office):
    html = office.get(f"/ledger/{lit['yellow'][0].pk}/").content.decode()
    assert "亮灯变化" in html and "黄灯" in html and "方案节点逾期未完成" in html


def test_a_candidate_has_no_light_panel(lit, office):
    assert 'id="light-heading"' not in office.get(f"/ledger/{lit['candidate'].pk}/").content.decode()


def test_the_office_saves_the_rules_on_its_page(office, django_capture_on_commit_callbacks):
    page = office.get("/lights/settings/").content.decode()
    assert "进度落后黄灯（百分点）" in page and "月度进展缺报" in page and "补报缺报月份的月度进展" in page
    data = {"behind_yellow_points": "8", "behind_red_points": "25", "missing_yellow_months": "1",
            "missing_red_months": "2", "review_wait_days": "10", "plan_draft_by": "2022-10-31",
            "plan_confirm_by": "2022-11-30", "version": "1"}
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post("/lights/settings/", data)
    assert response.status_code == 302
    saved = LightSettings.current()
    assert (saved.behind_red_points, saved.missing_red_months, saved.plan_confirm_by) == (25, 2, dt.date(2022, 11, 30))


def test_a_bad_rules_form_names_the_field_and_saves_nothing(office):
    data = {"behind_yellow_points": "40", "behind_red_points": "30", "missing_yellow_months": "1",
            "missing_red_months": "13", "review_wait_days": "x", "plan_draft_by": "2022-10-31",
            "plan_confirm_by": "2022-10-31", "version": "1"}
    response = office.post("/lights/settings/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"missing_red_months", "review_wait_days"}
    data.update(missing_red_months="3", review_wait_days="15")
    response = office.post("/lights/settings/", data)
    assert "进度落后黄灯（百分点）不能大于进度落后红灯（超过百分点）" in response.content.decode()
    assert LightSettings.current().version == 1


def test_the_menu_offers_the_rules_to_the_office_only(office, users):
    assert "/lights/settings/" in office.get("/").content.decode()
    assert "/lights/settings/" not in client_for(users["department"]).get("/").content.decode()
