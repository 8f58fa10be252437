"""The dashboard page: each role's figures are its scope's (classified projects only in their department's), every
number links to the ledger list of exactly those projects, rankings, the target, exports, who gets the page."""

import datetime as dt
import html
import io
import re
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import Client
from django.utils import timezone
from python_calamine import CalamineWorkbook

from halfbuilt.closure.models import ClosureRequest
from halfbuilt.ledger.models import Project
from halfbuilt.supervision.dashboard import cube, figures, sources
from tests import world

ROLES = ("office", "department", "department_baotou", "department_gat", "region", "county")
LINK = re.compile(r'<a href="([^"]+)" data-count="(\d+)"')


def months_ago(n: int) -> dt.datetime:
    now = timezone.localtime()
    year, month = divmod(now.year * 12 + now.month - 1 - n, 12)
    return timezone.make_aware(dt.datetime(year, month + 1, 10, 12))


def closed(project, outcome: str, months: int = 0) -> None:
    """Closed (已销号) with `outcome`, `months` months ago."""
    Project.objects.filter(pk=project.pk).update(status="in_ledger", stage="closed")
    ClosureRequest.objects.create(
        project=project, outcome=outcome, outcome_date=dt.date.today(), description="完成", status="closed",
        requested_by="unit", closed_by="office", closed_at=months_ago(months))


@pytest.fixture
def story(projects, orgs, disposal_make_plan):
    """Projects in every state the dashboard tells apart, over three leagues, the region level and four lines."""
    p = dict(projects)
    p["baotou_city"] = world.project(name="包头市本级体育馆", region_id="150200")
    p["unassigned"] = world.project(name="东河区待指定项目", department_id=None)
    p["chifeng_housing"] = world.project(name="红山区公租房", region_id="150402", department_id="ZJT", kind="idle",
                                         total_investment=Decimal("2500.5"), completed_investment=None)
    p["region_level"] = world.project(name="自治区本级展览馆", region_id="150000")
    p["demolished"] = world.project(name="东河区烂尾楼", department_id="ZJT", total_investment=Decimal("800"))
    p["candidate"] = world.project(name="待核实的项目")
    p["voided"] = world.project(name="作废的项目", status="voided")
    p["ordos"] = world.project(name="东胜区图书馆", region_id="150602", category_id="A08", department_id="WLT")
    in_ledger = [k for k in p if k not in ("candidate", "voided")]
    Project.objects.filter(pk__in=[p[k].pk for k in in_ledger]).update(status="in_ledger")
    Project.objects.filter(pk=p["in_scope"].pk).update(stage="disposing")
    disposal_make_plan(p["in_scope"], "revitalise", status="confirmed")
    Project.objects.filter(pk=p["baotou_city"].pk).update(stage="planning")
    disposal_make_plan(p["baotou_city"], "resume")
    closed(p["elsewhere"], "in_use", months=1)
    closed(p["region_level"], "transferred", months=2)
    closed(p["demolished"], "demolished")
    closed(p["classified"], "in_use", months=1)
    for months, key in enumerate(("ordos", "chifeng_housing", "unassigned")):
        Project.objects.filter(pk=p[key].pk).update(created_at=months_ago(months + 3))
    cube.rebuild()
    return p


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def count_of(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    assert not response.context["filter_errors"], (url, response.context["filter_errors"])
    return response.context["page"].paginator.count


@pytest.mark.parametrize("role", ROLES)
def test_each_roles_total_is_its_scope(story, users, role):
    user = users[role]
    board = figures.dashboard(user)
    assert board.total.n == Project.objects.restrict(user).filter(status="in_ledger").count() > 0
    assert board.closed.n == Project.objects.restrict(user).filter(status="in_ledger", stage="closed").count()
    body = signed_in(user).get("/dashboard/").content.decode()
    assert f'data-figure="total">{board.total.n}</a>' in body


def test_classified_projects_count_only_for_their_department(story, users):
    gat = figures.dashboard(users["department_gat"])
    assert (gat.total.n, gat.closed.n, gat.revitalised.n) == (1, 1, 1)
    for role in ("office", "department", "department_baotou", "region", "county"):
        board = figures.dashboard(users[role])
        assert "GAT" not in {row.key for row in board.departments}, role
    office = figures.dashboard(users["office"])
    assert office.total.n == 8 and office.closed.n == 3 and office.revitalised.n == 2  # in use, transferred


@pytest.mark.parametrize("role", ROLES)
def test_every_number_is_a_link_to_exactly_its_projects(story, users, role):
    client = signed_in(users[role])
    body = client.get("/dashboard/").content.decode()
    links = [(html.unescape(url), int(n)) for url, n in LINK.findall(body)]
    board = figures.dashboard(users[role])
    # Every count the dashboard has is on the page as a link (the tables' rows and months included).
    assert sorted((c.url, c.n) for c in board.counts()) == sorted(links)
    assert len(links) >= 20 and any(n > 0 for _, n in links)
    for url, n in links:
        assert count_of(client, url) == n, url


def test_figures_by_kind_stage_method_and_money(story, users):
    board = figures.dashboard(users["office"])
    assert [(c.label, c.n) for c in board.by_kind] == [("未完工停建", 7), ("已竣工未投用", 1)]
    assert {c.label: c.n for c in board.by_stage} == {"未开始处置": 3, "制定方案": 1, "处置中": 1, "销号审核中": 0,
                                                      "已销号": 3}
    assert {c.label: c.n for c in board.by_method} == {"完善手续": 0, "复工续建": 1, "引导盘活": 1, "司法处置": 0,
                                                       "依法拆除": 0, "尚无方案": 6}
    # 1000 × 6 + 2500.5 + 800; completed 400 × 6 + 400 (the 800 one) and nothing for the unknown one.
    assert board.investment == {"total": Decimal("9300.5"), "completed": Decimal("2800"),
                                "needed": Decimal("6500.5")}
    assert board.investment_yi["total"] == Decimal("0.93")
    assert board.rate == Decimal("0.375")
    body = signed_in(users["office"]).get("/dashboard/").content.decode()
    assert "37.5%" in body and "9,300.50" in body and "目标" not in body


def test_leagues_are_ranked_by_rate_then_size_ties_by_name(story, users):
    rows = figures.dashboard(users["office"]).leagues
    # 自治区本级 1/1, 赤峰 1/2, 包头 1/4 (东河 烂尾楼 closed), 鄂尔多斯 0/1.
    assert [(r.rank, r.name, r.n, r.closed) for r in rows] == [
        (1, "自治区本级", 1, 1), (2, "赤峰市", 2, 1), (3, "包头市", 4, 1), (4, "鄂尔多斯市", 1, 0)]
    tied = figures.ranked([figures.Row("b", "乙", {}, n=2, closed=1), figures.Row("a", "甲", {}, n=2, closed=1),
                           figures.Row("c", "丙", {}, n=3, closed=0)])
    assert [(r.rank, r.name) for r in tied] == [(1, "乙"), (1, "甲"), (3, "丙")]


def test_a_league_sees_its_league_only(story, users):
    board = figures.dashboard(users["region"])
    assert [r.name for r in board.leagues] == ["包头市"]
    assert {r.key for r in board.departments} == {"JYT", "ZJT", "unassigned"}


def test_the_campaigns_target_is_shown_when_there_is_one(story, users, monkeypatch):
    monkeypatch.setattr(sources, "target_rate", lambda found=None: Decimal("0.5"))
    body = signed_in(users["office"]).get("/dashboard/").content.decode()
    assert "目标 50%" in body


def test_month_by_month_trend(story, users):
    board = figures.dashboard(users["office"])
    by_month = {m.month: (m.entered, m.closed) for m in board.months}
    this, last = months_ago(0).strftime("%Y-%m"), months_ago(1).strftime("%Y-%m")
    assert by_month[this] == (5, 1) and by_month[last] == (0, 1)
    assert sum(e for e, _ in by_month.values()) == 8


def test_the_office_trend_from_the_province_level_equals_the_league_levels(story, users):
    """The office's months come from the province-level cells; summed from the league level they are the same."""
    from halfbuilt.accounts.models import User

    office = users["office"]
    assert figures.grains(office)[1:] == ("pentered", "pclosed")
    by_league = {(m, g): n for g, m, n in figures.cells(office).filter(grain__in=("lentered", "lclosed"),
                                                                       status="in_ledger")
                 .values_list("grain", "month").annotate(count=Sum("n")).order_by() if n}
    assert {(m.month, g): n for m in figures.dashboard(office).months
            for g, n in (("lentered", m.entered), ("lclosed", m.closed)) if n} == by_league
    # Holding a department role too, the office sees that line's classified project closed last month: its months
    # come from the league level again, which keeps the department.
    gat = users["department_gat"].role_assignments.get().organization
    office.role_assignments.create(role="department", organization=gat)
    both = User.objects.get(pk=office.pk)
    assert figures.grains(both)[1:] == ("lentered", "lclosed")
    by_month = {m.month: (m.entered, m.closed) for m in figures.dashboard(both).months}
    assert by_month[months_ago(1).strftime("%Y-%m")] == (0, 2)


def test_the_office_figures_from_the_province_level_equal_the_league_levels(story, users):
    """The office's composition, league rows and department rows come from three province-level grains; summed
    from the league-level cells (what every other dashboard reads) they are the same, lights and money included."""
    office = users["office"]
    cube.rebuild()
    province = figures.province_found(figures.cells(office))
    league_level = figures.groups(figures.main_cells(office))
    assert figures.main_cells(office).filter(grain="lmain").exists()
    assert figures.composition(province.composition) == figures.composition(league_level)
    assert figures.lights(province.composition) == figures.lights(league_level)

    def rows(found):
        return sorted((r.key, r.n, r.planned, r.disposing, r.closed, r.revitalised, r.red, r.yellow, r.total)
                      for r in found)

    assert rows(figures.league_rows(province.leagues)) == rows(figures.league_rows(league_level))
    assert rows(figures.department_rows(province.departments)) == rows(figures.department_rows(league_level))
    assert len(figures.league_rows(province.leagues)) >= 4  # three leagues and the region level
    assert {r.key for r in figures.department_rows(province.departments)} >= {"JYT", "ZJT", "WLT", "unassigned"}


def test_the_exports_hold_the_pages_figures(story, users):
    client = signed_in(users["office"])
    response = client.get("/dashboard/export.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    leagues = book.get_sheet_by_name("按盟市").to_python()
    assert [row[1] for row in leagues[2:]] == ["自治区本级", "赤峰市", "包头市", "鄂尔多斯市"]
    summary = dict((row[0], row[1]) for row in book.get_sheet_by_name("概况").to_python()[2:])
    assert summary["台账项目"] == 8 and summary["销号率"] == "37.5%"

    schedule = CalamineWorkbook.from_filelike(io.BytesIO(client.get("/dashboard/schedule.xlsx").content))
    rows = schedule.get_sheet_by_name("调度表").to_python()
    assert rows[1] == ["序号", "盟市", "台账项目", "已制定方案", "处置中", "已销号", "销号率", "红灯", "黄灯"]
    assert rows[2][1:] == ["包头市", 4, 2, 1, 1, "25%", 0, 0]
    assert rows[-1][1:7] == ["合计", 8, 4, 1, 3, "37.5%"]

    from docx import Document

    document = Document(io.BytesIO(client.get("/dashboard/schedule.docx").content))
    table = document.tables[0]
    assert [c.text for c in table.rows[1].cells][1:7] == ["包头市", "4", "2", "1", "1", "25%"]
    assert "半拉子工程大起底工作领导小组办公室" in [p.text for p in document.paragraphs]


def test_a_county_exports_its_scope_only(story, users):
    rows = CalamineWorkbook.from_filelike(io.BytesIO(
        signed_in(users["county"]).get("/dashboard/schedule.xlsx").content)).get_sheet_by_name("调度表").to_python()
    assert [r[1] for r in rows[2:]] == ["包头市", "合计"] and rows[2][2] == 3  # 东河: 教学楼, 待指定, 烂尾楼


def test_home_links_to_the_dashboard_for_whom_it_serves(story, users):
    assert 'href="/dashboard/"' in signed_in(users["office"]).get("/").content.decode()
    assert 'href="/dashboard/"' not in signed_in(users["unit"]).get("/").content.decode()
    refused = signed_in(users["unit"]).get("/dashboard/")
    assert refused.status_code == 403 and "您的角色没有调度看板" in refused.content.decode()


def test_bad_dashboard_filters_are_named_and_ignored(story, users):
    response = signed_in(users["office"]).get("/ledger/?entered_month=2023-13&outcome=x&league=150200")
    assert response.status_code == 200
    notices = " ".join(response.context["filter_errors"])
    assert "登记月份“2023-13”" in notices and "处置结果“x”无效" in notices and "所属盟市“150200”无效" in notices


def test_without_the_chart_asset_the_page_is_its_tables(story, users, monkeypatch):
    from halfbuilt.supervision.dashboard import assets

    monkeypatch.setattr(assets, "echarts_present", lambda: False)
    body = signed_in(users["office"]).get("/dashboard/").content.decode()
    assert "echarts.min.js" not in body and 'data-table="leagues"' in body
    monkeypatch.setattr(assets, "echarts_present", lambda: True)
    body = signed_in(users["office"]).get("/dashboard/").content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in body and 'id="dashboard-data"' in body


def test_the_assets_command_needs_the_lock_file(tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="no package-lock.json"):
        call_command("assets", root=tmp_path)


def test_the_package_pins_echarts_and_commits_no_modules():
    import json

    from django.conf import settings

    root = settings.BASE_DIR.parent.parent
    package = json.loads((root / "package.json").read_text())
    lock = json.loads((root / "package-lock.json").read_text())
    assert package["dependencies"]["echarts"] == "6.1.0"
    assert lock["packages"]["node_modules/echarts"]["version"] == "6.1.0"
    ignored = (root / ".gitignore").read_text().splitlines()
    assert "node_modules/" in ignored and "/src/halfbuilt/static/vendor/" in ignored


def test_the_campaigns_closure_target_and_the_lights_reach_the_dashboard(db, projects, closure_stage):
    """Wired to the apps beside it: the campaign's 销号率 target (as a share) and each project's light."""
    from halfbuilt.campaign.loader import load_campaign
    from halfbuilt.campaign.models import Target
    from halfbuilt.supervision.lights.models import Colour, Light

    campaign, _created = load_campaign()
    target = Target.objects.filter(campaign=campaign, metric=Target.Metric.CLOSURE_RATE).order_by("due").first()
    assert target is not None and sources.target_rate() == target.value / 100
    project = closure_stage(projects["in_scope"], "disposing")
    Light.objects.create(project=project, colour=Colour.RED, reasons=1, since=project.updated_at)
    assert sources.lights([project.pk, projects["elsewhere"].pk]) == {project.pk: "red"}
