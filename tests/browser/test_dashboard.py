"""The office opens the dashboard, follows a league's number to the ledger list and finds that many projects;
the charts draw from the local ECharts; at 1366 px and at 390 px nothing spills out of the page."""

import os
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from halfbuilt.ledger.models import Project
from halfbuilt.supervision.dashboard import cube
from halfbuilt.supervision.dashboard.assets import echarts_present
from tests import world

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("HALFBUILT_SCREENSHOTS", "")  # a directory to keep the screenshots in, to look at them


@pytest.fixture
def ledger(projects):
    more = [world.project(name=f"包头市项目{i}", region_id="150203", total_investment=Decimal(1000 * i))
            for i in range(1, 4)]
    more.append(world.project(name="赤峰市项目", region_id="150404"))
    Project.objects.update(status="in_ledger")
    Project.objects.filter(pk=more[0].pk).update(stage="closed")
    cube.rebuild()
    return projects


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def test_the_office_follows_a_leagues_number_to_its_projects(page, sign_in, users, ledger):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in("office", "/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("调度看板")
    row = page.locator('[data-table="leagues"] tr', has=page.get_by_role("rowheader", name="包头市"))
    link = row.locator("td a[data-count]").first
    expect(link).to_have_text("4")  # 东河 教学楼 and 昆都仑 3 (the classified one is not the office's)
    if echarts_present():
        expect(page.locator('[data-chart="leagues"] svg')).to_be_visible()
    shot(page, "dashboard-1366.png")
    link.click()
    expect(page).to_have_url(re.compile(r"/ledger/\?status=in_ledger&region=150200$"))
    expect(page.locator("#result-count strong")).to_have_text("4")
    expect(page.locator("table tbody tr")).to_have_count(4)


def test_at_390_px_tables_scroll_in_their_box_and_charts_fit(page, sign_in, users, ledger):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("office", "/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("调度看板")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if echarts_present():
        width = page.locator('[data-chart="months"]').evaluate("e => e.getBoundingClientRect().width")
        assert 0 < width <= 390
    shot(page, "dashboard-390.png")
    # The tables are reached with the keyboard (each scrolling box takes the focus).
    boxes = page.locator('.table-wrap[tabindex="0"]')
    assert boxes.count() >= 6
