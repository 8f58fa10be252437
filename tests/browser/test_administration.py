"""Account administration in a real browser: the system administrator opens an account for a unit's clerk
(desktop), who signs in with the temporary password on a 390 px phone screen, must change it first, and then sees
only the unit's projects."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.menu import follow_menu
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
NEW_PASSWORD = "Xinmima#2027"


def _page(browser, live_server, width: int):
    page = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900}).new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    return page


def _sign_in(page, username: str, password: str) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def _shot(page, tmp_path: Path, name: str) -> None:
    """Screenshots to look at (HALFBUILT_SCREENSHOTS names a directory to keep them in)."""
    folder = Path(os.environ.get("HALFBUILT_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"administration-{name}.png"), full_page=True)


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_the_sysadmin_creates_a_unit_user_who_must_change_the_password_then_sees_only_their_projects(
        browser, live_server, users, projects, tmp_path):
    admin = _page(browser, live_server, 1280)
    _sign_in(admin, "sysadmin", PASSWORD)
    expect(admin.get_by_role("heading", name="账户管理", exact=True)).to_be_visible()
    _shot(admin, tmp_path, "sysadmin-home")
    follow_menu(admin, "用户管理")
    admin.get_by_role("link", name="新建用户").first.click()
    admin.get_by_label("姓名").fill("李明")
    admin.get_by_label("登录名").fill("liming")
    admin.get_by_label("手机").fill("13900000001")
    admin.get_by_label("角色 1").select_option(label="责任单位")
    admin.get_by_label("所属单位 1").select_option(label="东河区第一中学（责任单位）")
    _shot(admin, tmp_path, "user-form")
    admin.get_by_role("button", name="新建并生成临时密码").click()
    expect(admin.get_by_role("heading", name="用户已开设")).to_be_visible()
    temporary = admin.locator("#temporary-password").inner_text().strip()
    assert len(temporary) >= 12
    _shot(admin, tmp_path, "password-shown")
    admin.goto(f"{live_server.url}/administration/users/?q=liming")
    expect(admin.locator("#users")).to_contain_text("须修改密码")

    clerk = _page(browser, live_server, 390)
    _sign_in(clerk, "liming", temporary)
    expect(clerk).to_have_url(re.compile(r"/password/\?reason=reset$"))
    expect(clerk.get_by_text("须先修改密码才能继续使用系统")).to_be_visible()
    _fits(clerk, 390)
    _shot(clerk, tmp_path, "password-change-390")
    clerk.goto(f"{live_server.url}/ledger/")  # nothing else is reachable before the change
    expect(clerk).to_have_url(re.compile(r"/password/\?reason=reset$"))
    clerk.get_by_label("原密码").fill(temporary)
    clerk.get_by_label(re.compile(r"^新密码")).fill(NEW_PASSWORD)
    clerk.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    clerk.get_by_label("再次输入新密码").press("Enter")  # by keyboard
    expect(clerk).to_have_url(f"{live_server.url}/")
    expect(clerk.get_by_text("密码已修改")).to_be_visible()
    clerk.goto(f"{live_server.url}/ledger/")
    expect(clerk.get_by_role("link", name=projects["in_scope"].name)).to_be_visible()
    expect(clerk.get_by_text(projects["elsewhere"].name)).to_have_count(0)
    expect(clerk.get_by_text(projects["classified"].name)).to_have_count(0)
    _fits(clerk, 390)
    _shot(clerk, tmp_path, "ledger-390")

    admin.get_by_role("link", name="李明").click()
    _shot(admin, tmp_path, "user-detail")
    for path in ("/administration/users/", "/administration/orgs/", "/administration/users/import/"):
        admin.set_viewport_size({"width": 390, "height": 900})
        admin.goto(f"{live_server.url}{path}")
        _fits(admin, 390)
    _shot(admin, tmp_path, "import-390")


def test_the_secadmin_sets_the_policy_on_a_phone_and_the_sign_in_page_states_it(browser, live_server, users,
                                                                                 tmp_path):
    secadmin = _page(browser, live_server, 390)
    _sign_in(secadmin, "secadmin", PASSWORD)
    expect(secadmin.locator("#policy-summary")).to_contain_text("连续登录失败 5 次锁定 30 分钟")
    _shot(secadmin, tmp_path, "secadmin-home-390")
    secadmin.get_by_role("link", name="修改安全策略").click()
    secadmin.get_by_label(re.compile(r"^连续登录失败锁定次数")).fill("3")
    secadmin.get_by_label(re.compile(r"^锁定时长")).fill("15")
    secadmin.get_by_label("安全审计员").check()
    _fits(secadmin, 390)
    _shot(secadmin, tmp_path, "policy-390")
    secadmin.get_by_role("button", name="保存").click()
    expect(secadmin.get_by_text("安全策略已保存，即时生效。")).to_be_visible()
    secadmin.goto(f"{live_server.url}/administration/security/events/")
    _fits(secadmin, 390)
    _shot(secadmin, tmp_path, "security-events-390")

    visitor = _page(browser, live_server, 1280)
    visitor.goto(f"{live_server.url}/accounts/login/")
    visitor.get_by_label("用户名").fill("unit_school")
    visitor.get_by_label("密码", exact=True).fill("wrong")
    visitor.get_by_role("button", name="登录").click()
    expect(visitor.get_by_text("连续 3 次登录失败后，账户将被锁定 15 分钟")).to_be_visible()


def test_the_import_preview_lists_every_error_in_its_box_at_390px(browser, live_server, users, tmp_path):
    contacts = tmp_path / "名单.csv"
    contacts.write_text("姓名,登录名,单位,单位所在地区代码,角色,手机\n"
                        "李明,liming,东河区第一中学,150202,责任单位,1390\n"
                        "王芳,liming,东河区第一中学,159999,局长,\n", encoding="utf-8")
    admin = _page(browser, live_server, 390)
    _sign_in(admin, "sysadmin", PASSWORD)
    admin.goto(f"{live_server.url}/administration/users/import/")
    admin.get_by_label(re.compile(r"^用户名单文件")).set_input_files(str(contacts))
    admin.get_by_role("button", name="上传并检查").click()
    expect(admin.get_by_text("发现 4 处错误，未导入任何用户")).to_be_visible()
    expect(admin.locator("#import-errors tbody tr")).to_have_count(4)
    _fits(admin, 390)
    _shot(admin, tmp_path, "import-errors-390")


def test_the_office_enrols_an_authenticator_and_signs_in_with_it(browser, live_server, users, projects, tmp_path):
    """The policy requires two-factor sign-in of the office: the first sign-in leads to the enrolment (QR code drawn
    on the page, the secret beside it), a code confirms it, the recovery codes are shown once; the next sign-in asks
    for a code, and the ledger opens."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from halfbuilt.administration import services
    from halfbuilt.core.request_context import Actor

    def code(device) -> str:
        return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"

    services.update_policy(actor=Actor(users["secadmin"]), two_factor_roles=["office"])
    page = _page(browser, live_server, 390)
    _sign_in(page, "office", PASSWORD)
    expect(page.get_by_role("heading", name="绑定验证器")).to_be_visible()
    expect(page.locator("#totp-qr svg")).to_be_visible()
    _fits(page, 390)
    _shot(page, tmp_path, "two-factor-enrol")
    device = TOTPDevice.objects.get(user=users["office"], confirmed=False)
    assert page.locator("#totp-secret").inner_text().replace(" ", "") in device.config_url
    page.get_by_label("动态口令").fill(code(device))
    page.get_by_role("button", name="完成绑定").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    _shot(page, tmp_path, "two-factor-codes")
    page.get_by_role("link", name="我已保存，继续").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("绑定验证器")

    page.context.clear_cookies()
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the code of this window was used: allow its reuse
    _sign_in(page, "office", PASSWORD)
    expect(page.get_by_role("heading", name="双因素认证")).to_be_visible()
    page.goto(f"{page.base_url}/ledger/")
    expect(page.get_by_role("heading", name="双因素认证")).to_be_visible()  # nothing else before the code
    page.get_by_label("动态口令").fill(code(device))
    page.get_by_role("button", name="验证").click()
    expect(page).to_have_url(re.compile(r"/ledger/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("台账"))
