"""What a new user meets first: the menu of their role and a home page of their own work (queues with counts).

The menus and the counts are written out here by hand, from the world below and the work plan's division of
labour, not computed from `accounts/scope.py` or the queue functions.
"""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone

from halfbuilt.closure.models import ClosureRequest, FollowUpCheck, FollowUpSample
from halfbuilt.disposal.models import Plan
from halfbuilt.ledger.models import Project
from halfbuilt.progress import periods
from halfbuilt.progress import queues as progress_queues
from halfbuilt.supervision.lights.models import Colour, Light

ALL_ROLES = ["office", "department", "department_baotou", "department_gat", "region", "county", "unit",
             "sysadmin", "secadmin", "auditor"]
SUBMITTER_MENU = ["工作台", "项目台账", "调度看板", "新增项目", "导入台账", "处置方案", "月度进展", "销号", "绿色通道",
                  "主送督办", "督办总览", "起底行动", "实施方案", "行业标准"]
# The office and the departments resolve shared 项目代码 and issue 督办 (their list before the inbox every project
# role has).
ISSUER_MENU = [*SUBMITTER_MENU[:5], "项目代码重复", *SUBMITTER_MENU[5:9], "督办", *SUBMITTER_MENU[9:]]
# 防范与起底 (docs/prevention.md): whoever submits registers proposals and reconciles lists; the rest is the office's.
PREVENTION_MENU = ["拟建项目", "清单比对"]
MENUS = {
    # 通报, 预警规则 and the portal's 新闻与案例 are in the 督促检查 section, after the 督办 lists; anyone else sees
    # 通报 once one is addressed to them (tests/test_circulars.py).
    "office": [*ISSUER_MENU[:13], "通报", "预警规则", "新闻与案例", "线索举报", *ISSUER_MENU[13:], "拟建项目",
               "停建预警", "清单比对", "疑似重复", "风险规则"],
    "department": [*ISSUER_MENU, *PREVENTION_MENU],
    "department_baotou": [*ISSUER_MENU, *PREVENTION_MENU],
    "department_gat": [*ISSUER_MENU, *PREVENTION_MENU],
    # Tip-offs (线索举报) are moderated by the office and the place's government.
    "region": [*SUBMITTER_MENU[:11], "线索举报", *SUBMITTER_MENU[11:], *PREVENTION_MENU],
    "county": [*SUBMITTER_MENU[:11], "线索举报", *SUBMITTER_MENU[11:], *PREVENTION_MENU],
    "unit": ["工作台", "项目台账", "处置方案", "月度进展", "销号", "绿色通道", "主送督办", "起底行动", "行业标准"],
    "sysadmin": ["工作台", "用户管理", "单位管理", "导入用户"],
    "secadmin": ["工作台", "安全策略", "安全事件", "双因素认证"],
    "auditor": ["工作台", "变更日志", "登录日志"],
}
MENU_URLS = {"工作台": "/", "项目台账": "/ledger/", "新增项目": "/ledger/new/", "导入台账": "/ledger/import/",
             "项目代码重复": "/ledger/codes/clashes/",
             "处置方案": "/disposal/", "月度进展": "/progress/", "销号": "/closure/", "绿色通道": "/green/",
             "变更日志": "/audit/",
             "登录日志": "/audit/signins/", "督办": "/orders/", "主送督办": "/orders/inbox/",
             "督办总览": "/orders/all/", "起底行动": "/campaign/",
             "实施方案": "/campaign/filings/", "行业标准": "/campaign/criteria/", "预警规则": "/lights/settings/",
             "调度看板": "/dashboard/", "用户管理": "/administration/users/", "单位管理": "/administration/orgs/",
             "导入用户": "/administration/users/import/", "安全策略": "/administration/security/",
             "安全事件": "/administration/security/events/", "通报": "/circulars/", "新闻与案例": "/publicity/",
             "线索举报": "/tipoffs/",
             "双因素认证": "/administration/security/two-factor/",
             "拟建项目": "/prevention/proposals/", "停建预警": "/prevention/watch/",
             "清单比对": "/prevention/reconcile/", "疑似重复": "/prevention/merges/", "风险规则": "/prevention/rules/"}
LEAGUES = 12  # league and city governments of Inner Mongolia, each owing the office a monthly roll-up


class _Nav(HTMLParser):
    """The main menu's links: (text, href, aria-current)."""

    def __init__(self):
        super().__init__()
        self.links, self._in_nav, self._link = [], False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and attrs.get("class") == "site-nav":
            self._in_nav = True
        elif tag == "a" and self._in_nav:
            self._link = [attrs.get("href"), attrs.get("aria-current"), ""]

    def handle_data(self, data):
        if self._link is not None:
            self._link[2] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.links.append((self._link[2].strip(), self._link[0], self._link[1]))
            self._link = None
        elif tag == "nav":
            self._in_nav = False


def menu(html: str) -> list[tuple[str, str, str | None]]:
    parser = _Nav()
    parser.feed(html)
    return parser.links


def queues(html: str) -> dict[str, int]:
    return {key: int(n) for key, n in re.findall(r'data-queue="(\w+)".*?data-count>(\d+)<', html, re.S)}


@pytest.fixture
def client_for(users):
    def make(role):
        client = Client()
        client.force_login(users[role])
        return client
    return make


# --- the menu ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_sees_exactly_its_menu(client_for, role):
    html = client_for(role).get("/").content.decode()
    links = menu(html)
    assert [text for text, _, _ in links] == MENUS[role]
    assert [href for _, href, _ in links] == [MENU_URLS[text] for text in MENUS[role]]
    # The page shown is marked as the current one, and only it.
    assert [text for text, _, current in links if current == "page"] == ["工作台"]


@pytest.mark.parametrize("role", ["unit", "auditor"])
def test_the_current_page_is_marked_in_the_menu(client_for, role):
    target = {"unit": ("/progress/", "月度进展"), "auditor": ("/audit/signins/", "登录日志")}[role]
    links = menu(client_for(role).get(target[0]).content.decode())
    assert [text for text, _, current in links if current == "page"] == [target[1]]


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
@pytest.mark.parametrize("url", ["/ledger/", "/ledger/export/?format=csv", "/ledger/count/", "/disposal/",
                                 "/progress/", "/progress/rollups/", "/closure/", "/files/"])
def test_no_project_pages_for_the_three_administrators(client_for, projects, role, url):
    response = client_for(role).get(url)
    assert response.status_code == 403
    html = response.content.decode()
    assert ("不办理销号或回头看" if url == "/closure/" else "三员分立") in html
    assert "导出" not in html and projects["in_scope"].name not in html


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_signing_in_leads_home_not_to_the_ledger(users, role):
    from tests.conftest import PASSWORD

    response = Client().post("/accounts/login/", {"username": users[role].username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_ledger_list_keeps_its_export_buttons_for_project_roles(client_for, projects):
    html = client_for("unit").get("/ledger/").content.decode()
    assert "导出 Excel" in html and "导出 CSV" in html


# --- the home page ---------------------------------------------------------------------------------------------

@pytest.fixture
def world(users, orgs, make_project, disposal_make_plan, settings):
    """Candidates to confirm, plans in every review state, projects due to report, closure requests in every
    state and a pending 回头看 check. All Donghe projects are the unit's; one plan is in Chifeng."""
    settings.PROGRESS_DUE_DAY = 31  # this month's due day has not passed, whatever today is
    unit = {"responsible_org": orgs["unit"], "responsible_unit": "东河区第一中学"}
    long_ago = timezone.now() - dt.timedelta(days=120)

    def project(name, status="in_ledger", stage="", plan=None, **fields):
        made = make_project(name=name, status=status, stage=stage, **{**unit, **fields})
        if plan:
            disposal_make_plan(made, status=plan)
            Plan.objects.filter(project=made).update(created_at=long_ago)
        return made

    def closure(target, status):
        return ClosureRequest.objects.create(project=target, outcome="in_use", outcome_date=dt.date(2026, 1, 5),
                                             description="已投入使用", status=status, requested_by="unit_school")

    project("待核实的东河区项目", status="candidate")
    project("待核实的赤峰项目", status="candidate", region_id="150402", responsible_org=None)
    project("待核实的涉密项目", status="candidate", category_id="A02", department_id="GAT", classified=True)
    project("无方案的涉密项目", category_id="A02", department_id="GAT", classified=True)
    project("无方案的东河区项目")
    project("草拟中的方案", plan="draft")
    project("退回修改的方案", plan="returned")
    project("待审核的方案", plan="submitted")
    project("待确认的赤峰方案", plan="approved", region_id="150402", responsible_org=None)
    period = periods.open_period()
    project("处置中未报送", stage="disposing", plan="confirmed")
    reported = project("已报送且待审核销号", stage="closing", plan="confirmed")
    closure(reported, "requested")
    from halfbuilt.progress.models import ProgressReport

    ProgressReport.objects.create(project=reported, period=period, progress="按计划推进", physical_progress=50,
                                  investment_month=0, investment_cumulative=0, new_funds=0, status="submitted",
                                  submitted_at=timezone.now(), submitted_by="unit_school")
    closure(project("待销号", stage="closing", plan="confirmed"), "approved")
    closure(project("销号被退回", stage="disposing", plan="confirmed"), "returned")
    closed = project("已销号抽中回头看", stage="closed", plan="confirmed")
    sample = FollowUpSample.objects.create(drawn_by=users["office"], share="0.1", population=1, seed="0" * 32,
                                           population_ids=[closed.pk])
    FollowUpCheck.objects.create(sample=sample, project=closed)
    # Lights (set here, not recomputed): two red and one yellow in Donghe, one red in Chifeng, a red classified one.
    for name, colour in (("处置中未报送", Colour.RED), ("退回修改的方案", Colour.RED), ("草拟中的方案", Colour.YELLOW),
                         ("待确认的赤峰方案", Colour.RED), ("无方案的涉密项目", Colour.RED)):
        Light.objects.create(project=Project.objects.get(name=name), colour=colour, since=timezone.now())
    return period


# Region, county and unit: the Donghe work (drafts, reports, closure requests); departments review; the office
# confirms and closes; 公安厅 clears its classified project itself.
DONGHE_WORK = {"plans_to_draft": 1, "plans_to_fix": 2, "reports_due": 3, "reports_missing": 0,
               "closure_requestable": 2, "closure_returned": 1}
# The warning lights of each role's own projects: Donghe's two red and one yellow; the office and the education
# departments also see Chifeng's red one; 公安厅 only its classified red one.
DONGHE_LIGHTS = {"lights_red": 2, "lights_yellow": 1}
PROVINCE_LIGHTS = {"lights_red": 3, "lights_yellow": 1}
HOME_QUEUES = {
    "office": {**PROVINCE_LIGHTS, "ledger_candidates": 2, "plans_to_confirm": 1, "rollups_missing": LEAGUES,
               "closure_to_close": 1, "closure_open_checks": 1, "orders_to_review": 0, "campaign_to_review": 0,
               "tipoffs_waiting": 0},
    "department": {**PROVINCE_LIGHTS, "ledger_candidates": 2, "plans_to_review": 1, "rollups_due": 1,
                   "closure_to_review": 1, "orders_to_review": 0},
    "department_baotou": {**DONGHE_LIGHTS, "ledger_candidates": 1, "plans_to_review": 1, "rollups_due": 1,
                          "closure_to_review": 1, "orders_to_review": 0},
    # Reviewing is a department's own work (shown when empty); drafting only for its classified project.
    "department_gat": {"lights_red": 1, "lights_yellow": 0, "ledger_candidates": 1, "plans_to_draft": 1,
                       "plans_to_review": 0, "rollups_due": 1,
                       "closure_to_review": 0, "orders_to_review": 0},
    # Tip-offs of their place (moderated by the office and the place's governments), shown when empty.
    "region": {**DONGHE_LIGHTS, **DONGHE_WORK, "rollups_due": 1, "tipoffs_waiting": 0},
    "county": {**DONGHE_LIGHTS, **DONGHE_WORK, "rollups_due": 1, "tipoffs_waiting": 0},
    "unit": {**DONGHE_LIGHTS, **DONGHE_WORK},
    # The system administrator's own work: the accounts of the world (one per role), none disabled or locked.
    "sysadmin": {"admin_users": 10, "admin_disabled": 0, "admin_locked": 0, "admin_must_change": 0},
    "secadmin": {},
    "auditor": {},
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_home_shows_each_role_its_own_queues_with_counts(client_for, world, role):
    response = client_for(role).get("/")
    assert response.status_code == 200
    assert queues(response.content.decode()) == HOME_QUEUES[role]


def test_home_counts_match_the_queue_pages(client_for, world):
    region = client_for("region")
    plans = region.get("/disposal/").content.decode()
    assert "待制定方案的项目（1）" in plans and "草拟中及退回修改的方案（2）" in plans
    closure = region.get("/closure/").content.decode()
    assert "可申请销号的项目（2）" in closure and "被退回的申请（1）" in closure
    progress = region.get("/progress/").context["counts"]
    assert progress["pending"] + progress["draft"] == 3 and progress["missing"] == 0
    office = client_for("office").get("/closure/").content.decode()
    assert "待销号（主管部门已审核通过）（1）" in office and "待登记的回头看核查（1）" in office


@pytest.mark.parametrize("role", ["office", "department_gat", "unit"])
def test_each_light_count_on_home_is_the_ledger_lists_count_of_that_colour(client_for, world, role):
    client = client_for(role)
    html = client.get("/").content.decode()
    for colour, count in (("red", HOME_QUEUES[role]["lights_red"]), ("yellow", HOME_QUEUES[role]["lights_yellow"])):
        url = f"/ledger/?status=in_ledger&amp;light={colour}"
        assert f'href="{url}"' in html
        listed = client.get(url.replace("&amp;", "&"))
        assert listed.context["page"].paginator.count == count


def test_home_links_each_queue_to_its_page(client_for, world):
    html = client_for("unit").get("/").content.decode()
    assert 'href="/disposal/#to_fix"' in html and 'href="/closure/#returned-heading"' in html
    assert 'href="/progress/#due-heading"' in html


def test_overdue_reports_are_counted_as_missing(users, world, client_for):
    """For a month whose due day has passed, what is not submitted is 逾期未报 (the report sent for last month
    does not count for the month before)."""
    earlier = periods.shift(periods.current_period(), -2)
    counts = {q.key: q.count for q in progress_queues.queue_counts(users["unit"], earlier)}
    assert counts == {"reports_due": 0, "reports_missing": 4}
    page = client_for("unit").get(f"/progress/?period={earlier}").context["counts"]
    assert page["missing"] == 4


def test_the_auditor_lands_on_the_change_log_search(client_for):
    html = client_for("auditor").get("/").content.decode()
    assert 'href="/audit/"' in html and "检索变更日志" in html and "不查看项目数据" in html


@pytest.mark.parametrize("role,says", [
    ("sysadmin", ["账户管理", "不查看项目数据", 'href="/administration/users/new/"', "最近的账户管理操作"]),
    ("secadmin", ["安全策略", "不管理用户，不查看项目数据", "连续登录失败 5 次锁定 30 分钟", "最近的登录失败",
                  'href="/administration/security/"']),
])
def test_administrators_are_told_what_they_may_do(client_for, role, says):
    html = client_for(role).get("/").content.decode()
    for text in says:
        assert text in html
    assert "halfbuilt shell" not in html and "axes_reset_username" not in html  # pages now, not commands


def test_the_menu_is_grouped_into_sections_a_role_sees_more_than_one_entry_of(client_for):
    """The office had 16 entries in one row; now the sections open to them (a section with one entry of the
    user's is that entry on its own). The entries and their order stay the table's (test above)."""
    def top_level(role):
        html = client_for(role).get("/").content.decode()
        nav = html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
        return re.findall(r"<summary>(.*?)</summary>", nav), nav.count('<li class="nav-section">')

    summaries, count = top_level("office")
    assert summaries == ["填报", "处置销号", "督促检查", "起底行动", "防范与起底"] and count == 5
    assert top_level("unit")[0] == ["处置销号", "起底行动"]  # 主送督办 is its one entry of 督促检查: on its own
    assert top_level("auditor")[0] == ["安全审计"]
