"""The office in a real browser: the list filtered by red shows red lights only; a project's page says why it
is red and what clears it; at phone width the list still scrolls inside its box."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from halfbuilt.supervision.lights.models import LightSettings
from halfbuilt.supervision.lights.recompute import recompute
from tests.lights_helpers import in_disposal, milestone, plan, report

pytestmark = pytest.mark.django_db(transaction=True)
DAY = dt.timedelta(days=1)


@pytest.fixture
def lit(reference, users, make_project):
    from django.utils import timezone

    today = timezone.localdate()
    LightSettings.objects.update_or_create(pk=1, defaults={"plan_draft_by": today + 30 * DAY,
                                                           "plan_confirm_by": today + 30 * DAY})
    late = in_disposal(make_project(name="逾期未完成的学校"))
    plan(late, drafted=today - 300 * DAY, deadline=today - DAY)
    slow = in_disposal(make_project(name="节点逾期的医院"))
    milestone(plan(slow, drafted=today - 20 * DAY, deadline=today + 900 * DAY), today - 2 * DAY)
    for project in (late, slow):
        for months in range(1, 4):
            report(project, f"{(today.replace(day=1) - months * 28 * DAY):%Y-%m}", "99")
    recompute()
    return {"late": late, "slow": slow}


def test_the_list_filtered_by_red_and_the_reasons_on_the_project_page(page, sign_in, lit):
    sign_in("office")
    page.get_by_label("预警亮灯", exact=True).select_option("red")
    page.get_by_role("button", name="筛选").click()
    table = page.locator("table.ledger-list")
    expect(table.get_by_text("逾期未完成的学校")).to_be_visible()
    expect(table.get_by_text("节点逾期的医院")).to_have_count(0)
    expect(table.locator(".badge-light-red")).to_have_count(1)
    expect(table.locator(".badge-light-yellow")).to_have_count(0)

    table.get_by_role("link", name="逾期未完成的学校").click()
    panel = page.locator("#light")
    expect(panel.locator(".badge-light-red")).to_have_text("红灯")
    reasons = panel.get_by_role("list", name="亮灯原因")
    expect(reasons.get_by_text("超过方案完成时限未销号")).to_be_visible()
    expect(reasons.get_by_text("完成处置并申请销号，或按程序修订方案的完成时限")).to_be_visible()


def test_the_reason_filter_and_the_panel_at_phone_width(page, sign_in, lit):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("office", target="/ledger/?reason=milestone_overdue")
    expect(page.get_by_role("link", name="节点逾期的医院")).to_be_visible()
    expect(page.get_by_role("link", name="逾期未完成的学校")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the table scrolls in its box
    page.get_by_role("link", name="节点逾期的医院").click()
    reasons = page.locator("#light").get_by_role("list", name="亮灯原因")
    expect(reasons.get_by_text("方案节点逾期未完成")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
