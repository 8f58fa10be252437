"""At 390 px (a phone) no page scrolls sideways: wide tables scroll inside their own box. At 1366 px (an
office laptop) the ledger list fits, so its last column is in view without scrolling."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = {"office": "office", "department": "dept_jyt", "department_baotou": "dept_baotou_jyt",
         "department_gat": "dept_gat", "region": "gov_baotou", "county": "gov_donghe", "unit": "unit_school",
         "sysadmin": "sysadmin", "secadmin": "secadmin", "auditor": "auditor"}
LONG = {"region_id": "150928", "category_id": "A01", "department_id": "ZSJ",
        "total_investment": Decimal("15835.4891"), "approval_date": "2010-07-08"}


@pytest.fixture
def world(reference, users, orgs, make_project, disposal_make_plan):
    """Projects with long names and places, a plan with milestones, monthly reports, the campaign's phases:
    the wide tables."""
    from halfbuilt.campaign.loader import load_campaign
    from halfbuilt.disposal.models import Milestone
    from halfbuilt.progress import periods
    from halfbuilt.progress.models import ProgressReport

    load_campaign()  # the campaign's pages show its phases (a wide table)
    unit = {"responsible_org": orgs["unit"], "responsible_unit": "东河区第一中学"}
    school = make_project(name="包头市东河区第一中学综合教学楼及附属设施建设工程", status="in_ledger",
                          stage="disposing", **unit)
    plan = disposal_make_plan(school, method="resume", status="confirmed")
    for month in range(1, 4):
        Milestone.objects.create(plan=plan, title=f"第{month}阶段：主体结构施工及验收、消防验收和竣工备案",
                                 due_date=dt.date(2026, month, 28))
        ProgressReport.objects.create(
            project=school, period=periods.shift(periods.open_period(), -month), progress="按计划推进",
            physical_progress=Decimal(10 * month), investment_month=Decimal("120.5"),
            investment_cumulative=Decimal("1520.75"), new_funds=Decimal("0"), status="submitted",
            submitted_at=timezone.now(), submitted_by="unit_school",
        )
    for i in range(3):
        far = make_project(name=f"乌兰察布市察哈尔右翼后旗政务服务中心数据机房改造工程{i}", status="in_ledger",
                           stage="closing", **LONG)
        disposal_make_plan(far, method="revitalise", status="confirmed")
    make_project(name="待核实的东河区项目", **unit)
    return school


def no_sideways_scroll(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def pages_to_visit(page) -> list[str]:
    """The menu's pages and, one click further, the first project and the first plan they list."""
    links = page.eval_on_selector_all(".site-nav a", "links => links.map(a => a.getAttribute('href'))")
    deeper = []
    for selector, start in (("main table a[href^='/ledger/']", "/ledger/"),
                            ("main table a[href^='/disposal/']", "/disposal/")):
        if start in links:
            page.goto(page.base_url + start)
            found = page.locator(selector).first
            if found.count():
                deeper.append(found.get_attribute("href"))
    return links + [href for href in deeper if href not in links]


@pytest.mark.parametrize("role", ROLES)
def test_no_page_scrolls_sideways_at_390px(page, sign_in, world, role):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(ROLES[role], "/")
    visited = pages_to_visit(page)
    assert visited, "the menu is empty"
    wide = {}
    for href in visited:
        response = page.goto(page.base_url + href)
        assert response.status == 200, href
        scroll_width, inner_width = no_sideways_scroll(page)
        if scroll_width > inner_width:
            wide[href] = scroll_width
    assert wide == {}, f"pages wider than 390 px: {wide}"


def test_the_project_page_keeps_its_wide_tables_in_their_box_at_390px(page, sign_in, world):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("unit_school", f"/ledger/{world.pk}/")
    assert no_sideways_scroll(page) == [390, 390]
    box = page.locator("#progress .table-wrap")
    inner = box.evaluate("box => [box.scrollWidth > box.clientWidth, getComputedStyle(box).overflowX]")
    assert inner == [True, "auto"]  # the table is wider than the phone and scrolls inside its box


def test_the_ledger_lists_last_column_is_in_view_at_1366px(page, sign_in, world):
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in("office", "/ledger/")
    table = page.locator("main .table-wrap table")
    fits = table.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
    assert fits[0] <= fits[1], f"the table ({fits[0]} px) is wider than its box ({fits[1]} px)"
    last = page.locator("main .table-wrap table thead th").last
    assert last.inner_text() == "预警亮灯"  # the warning lights' column, after 处置方式
    right = last.evaluate("th => th.getBoundingClientRect().right")
    assert right <= 1366
