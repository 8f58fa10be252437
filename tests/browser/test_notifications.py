"""A user sees the bell's count, opens the inbox from it by keyboard, follows a notification to its page, and
the count drops; at 390 px the inbox and the preferences page do not scroll sideways."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def notified(users, projects):
    from halfbuilt.notifications.services import notify

    project = projects["in_scope"]
    for key, title in (("a", "东河区第一中学教学楼"), ("b", "另一件事")):
        notify(event="project_red", recipients=[users["unit"]], title=title, url=f"/ledger/{project.pk}/",
               key=key, project=project)
    return project


def test_the_bell_leads_to_the_inbox_and_reading_one_drops_the_count(page, sign_in, notified):
    sign_in("unit_school", "/")
    bell = page.locator("[data-bell]")
    expect(bell.locator("[data-unread]")).to_have_text("2")
    expect(bell).to_have_accessible_name(re.compile("通知.*2.*条未读"))
    bell.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{page.base_url}/notifications/")
    expect(page.get_by_role("heading", name="通知", exact=True)).to_be_visible()
    link = page.get_by_role("link", name="您的项目“东河区第一中学教学楼”亮起红灯，请查看原因并及时处理。")
    link.click()
    expect(page).to_have_url(f"{page.base_url}/ledger/{notified.pk}/")
    expect(page.get_by_role("heading", name=notified.name)).to_be_visible()
    expect(page.locator("[data-bell] [data-unread]")).to_have_text("1")
    page.goto(f"{page.base_url}/notifications/")
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.locator("[data-bell] [data-unread]")).to_have_count(0)
    expect(page.get_by_text("已将 1 条通知标为已读")).to_be_visible()


def test_at_390_px_the_inbox_and_preferences_do_not_scroll_sideways(page, sign_in, notified):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("unit_school", "/notifications/")
    for path in ("/notifications/", "/notifications/preferences/"):
        page.goto(page.base_url + path)
        width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= inner, path
    expect(page.get_by_role("checkbox", name=re.compile("月度进展逾期未报：短信"))).to_be_visible()
