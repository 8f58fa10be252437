"""What a user sees and does in the browser: disabled buttons look disabled, the favicon loads, the home page's
queues work from the keyboard and the 405 page is a page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

STYLE = "b => { const s = getComputedStyle(b); return [s.backgroundColor, s.color, s.cursor]; }"


def test_a_disabled_button_looks_disabled(page, reference):
    page.goto(f"{page.base_url}/accounts/login/")
    button = page.get_by_role("button", name="登录")
    enabled = button.evaluate(STYLE)
    button.evaluate("b => { b.disabled = true; }")
    disabled = button.evaluate(STYLE)
    assert enabled[2] == "pointer" and disabled[2] == "not-allowed"
    assert disabled[0] != enabled[0] and disabled[1] != enabled[1]
    button.hover(force=True)
    assert button.evaluate(STYLE) == disabled  # no hover colour either


def test_the_favicon_loads(page, reference):
    page.goto(f"{page.base_url}/accounts/login/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(page.base_url + href)
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in response.body()


def test_the_home_queues_are_reached_and_opened_with_the_keyboard(page, sign_in, users, projects):
    sign_in("office", "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    queue = page.locator('[data-queue="ledger_candidates"] a')
    expect(queue.locator("[data-count]")).to_have_text("2")  # the in-scope and the Chifeng candidate
    for _ in range(30):
        page.keyboard.press("Tab")
        if queue.evaluate("a => a === document.activeElement"):
            break
    else:
        pytest.fail("the queue link is not reachable with Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/ledger/\?status=candidate$"))
    expect(page.get_by_text(projects["in_scope"].name)).to_be_visible()


def test_opening_an_action_address_shows_a_page_with_a_way_back(page, sign_in, users, projects):
    sign_in("office", f"/ledger/{projects['in_scope'].pk}/")
    page.goto(f"{page.base_url}/ledger/{projects['in_scope'].pk}/confirm/",
              referer=f"{page.base_url}/ledger/{projects['in_scope'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("请通过页面上的按钮办理")
    page.get_by_role("link", name="返回上一页").click()
    expect(page).to_have_url(re.compile(rf"/ledger/{projects['in_scope'].pk}/$"))


def test_the_menus_sections_open_by_keyboard_one_at_a_time(page, sign_in, users):
    sign_in("office", "/")
    disposal = page.locator(".site-nav details", has=page.locator("summary", has_text="处置销号"))
    supervision = page.locator(".site-nav details", has=page.locator("summary", has_text="督促检查"))
    disposal.locator("summary").focus()
    page.keyboard.press("Enter")
    assert disposal.get_attribute("open") is not None
    page.keyboard.press("Tab")  # into the section's first entry
    assert page.evaluate("document.activeElement.textContent") == "处置方案"
    supervision.locator("summary").click()
    # The others close on the "toggle" event, which the browser fires as a later task: wait for it.
    expect(supervision).to_have_attribute("open", "")
    expect(disposal).not_to_have_attribute("open", "")
    page.keyboard.press("Escape")
    expect(supervision).not_to_have_attribute("open", "")
    assert page.evaluate("document.activeElement.textContent") == "督促检查"
