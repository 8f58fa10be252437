"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

They skip with a message when chromium is not installed (a fresh machine); CI installs it and sets
HALFBUILT_REQUIRE_ALL=1, which turns that skip into a failure.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("HALFBUILT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]



def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.once)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("HALFBUILT_REQUIRE_ALL") == "1":
            pytest.fail(f"chromium not found at {CHROMIUM} and HALFBUILT_REQUIRE_ALL=1")
        pytest.skip(f"chromium not found at {CHROMIUM}: browser tests skipped (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _watch_policy(page, violations: list[str]) -> None:
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text else None)


@pytest.fixture
def signed_in_page(browser, live_server):
    """A factory of pages signed in as a user, each in its own browser context (several users in one test), of
    a given width; their questions (data-confirm) are accepted. A Content-Security-Policy violation on any fails
    the test, as with `page`."""
    from tests.conftest import PASSWORD

    contexts, violations = [], []

    def open_as(username: str, width: int = 1280, height: int = 900):
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base_url = live_server.url
        _watch_policy(page, violations)
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert violations == [], "a page broke its Content-Security-Policy"


@pytest.fixture
def page(browser, live_server):
    """A page of the live server; any Content-Security-Policy violation on any page a test opens fails it (the
    browser blocks what the policy forbids, so a page could silently lose a script or a style)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    violations: list[str] = []
    _watch_policy(page, violations)
    yield page
    context.close()
    assert violations == [], "the page broke its Content-Security-Policy"


@pytest.fixture
def sign_in(page):
    from tests.conftest import PASSWORD

    def do(username: str, target: str = "/ledger/"):
        page.goto(f"{page.base_url}/accounts/login/?next={target}")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        return page

    return do
