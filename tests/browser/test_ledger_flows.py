"""What a county clerk and a department officer do in a real browser: sign in, filter, import, edit."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from halfbuilt.ledger.models import Project

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(reference, users, projects, make_project):
    make_project(name="东河区敬老院", category_id="A06", department_id="MZT", kind="idle")
    return projects


def test_sign_in_and_wrong_password(page, sign_in, world):
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("用户名").fill("gov_baotou")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")

    sign_in("gov_baotou")
    expect(page).to_have_url(re.compile(r"/ledger/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("东河区第一中学教学楼")).to_be_visible()
    expect(page.get_by_text("红山区幼儿园")).to_have_count(0)  # Chifeng is not Baotou's


def test_filter_the_list(page, sign_in, world):
    sign_in("office")
    expect(page.get_by_text("红山区幼儿园")).to_be_visible()
    page.get_by_label("类型").select_option("idle")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_text("东河区敬老院")).to_be_visible()
    expect(page.get_by_text("东河区第一中学教学楼")).to_have_count(0)
    page.get_by_label("类型").select_option("")
    page.get_by_label("关键词").fill("幼儿园")
    page.get_by_label("关键词").press("Enter")  # keyboard only
    expect(page.get_by_text("红山区幼儿园")).to_be_visible()
    expect(page.get_by_text("东河区敬老院")).to_have_count(0)


def _county_file(tmp_path: Path, bad: bool) -> Path:
    amount = "一千万" if bad else "1,260.5"
    content = (
        "东河区半拉子工程台账\n"
        "项目名称,所在旗县区,项目类别,类型,总投资（万元）,已完成投资（万元）,开工时间\n"
        f"东河区全民健身中心,东河区,体育场,停建,\"{amount}\",300,2018年6月\n"
        "东河区第二幼儿园,东河区,幼儿园,已竣工未投用,800,800,2019.05\n"
        "合计,,,,2060.5,1100,\n"
    )
    path = tmp_path / ("bad.csv" if bad else "good.csv")
    path.write_bytes(content.encode("gb18030"))
    return path


def test_import_preview_then_confirm(page, sign_in, world, tmp_path):
    sign_in("gov_donghe", "/ledger/import/")
    page.get_by_label("台账文件").set_input_files(str(_county_file(tmp_path, bad=True)))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_text("一千万")).to_be_visible()  # the error names the bad value …
    expect(page.get_by_text("总投资").first).to_be_visible()  # … and its column
    expect(page.get_by_role("button", name="确认导入")).to_be_disabled()
    expect(page.get_by_role("cell", name="bad", exact=True)).to_be_visible()  # the sheet, named as uploaded
    assert not Project.objects.filter(name="东河区全民健身中心").exists()

    page.goto(f"{page.base_url}/ledger/import/")
    page.get_by_label("台账文件").set_input_files(str(_county_file(tmp_path, bad=False)))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_role("button", name="确认导入")).to_be_enabled()
    assert not Project.objects.filter(name="东河区全民健身中心").exists()  # preview writes nothing
    page.once("dialog", lambda dialog: dialog.accept())  # "确认导入？将新建 2 个…"
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("导入完成").first).to_be_visible()
    gym = Project.objects.get(name="东河区全民健身中心")
    assert gym.total_investment == Decimal("1260.5")
    assert gym.start_date == "2018-06" and gym.category_id == "A08" and gym.kind == "stalled"
    assert Project.objects.get(name="东河区第二幼儿园").kind == "idle"


def test_edit_conflict_keeps_the_later_editors_input(browser, live_server, sign_in, page, world):
    project = world["in_scope"]
    sign_in("gov_donghe", f"/ledger/{project.pk}/edit/")
    page.goto(f"{page.base_url}/ledger/{project.pk}/edit/")

    other = browser.new_context(locale="zh-CN").new_page()
    other.goto(f"{live_server.url}/accounts/login/?next=/ledger/{project.pk}/edit/")
    other.get_by_label("用户名").fill("gov_baotou")
    from tests.conftest import PASSWORD
    other.get_by_label("密码").fill(PASSWORD)
    other.get_by_role("button", name="登录").click()
    other.get_by_label("项目名称").fill("东河区第一中学教学楼市里改")
    other.get_by_role("button", name="保存").click()
    expect(other.get_by_text("已保存")).to_be_visible()

    page.get_by_label("项目名称").fill("东河区第一中学教学楼县里改")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已被").first).to_be_visible()  # "该项目已被 gov_baotou 修改…"
    expect(page.get_by_label("项目名称")).to_have_value("东河区第一中学教学楼县里改")  # nothing lost
    assert Project.objects.get(pk=project.pk).name == "东河区第一中学教学楼市里改"

    page.get_by_role("button", name="保存").click()  # a deliberate second save goes through
    expect(page.get_by_text("已保存")).to_be_visible()
    assert Project.objects.get(pk=project.pk).name == "东河区第一中学教学楼县里改"


def test_phone_width_list_has_no_page_overflow(browser, live_server, world):
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    from tests.conftest import PASSWORD
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")  # signing in leads home
    page.goto(f"{live_server.url}/ledger/")
    expect(page.get_by_text("红山区幼儿园")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px at phone width (tables should scroll instead)"
    context.close()
