"""A proposed project in a real browser: a county registers it on a 390 px phone screen and reads why it is risky,
the office rejects it with its reasons; the office's stall watch list fits the phone too and puts a flag on the
ledger with one click."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from halfbuilt.core.request_context import Actor
from halfbuilt.prevention import watch
from halfbuilt.prevention.models import ProposedProject

pytestmark = pytest.mark.django_db(transaction=True)




def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_county_registers_on_a_phone_and_the_office_rejects(signed_in_page, live_server, users, tmp_path):
    county = signed_in_page("gov_donghe", width=390)
    county.goto(f"{live_server.url}/prevention/proposals/new/")
    assert fits(county)
    county.get_by_label("项目名称").fill("东河区新区综合体")
    county.get_by_label("所在地区").select_option("150202")
    county.get_by_label("项目类别").select_option("A03")
    county.get_by_label("行业主管部门").select_option("JYT")
    county.get_by_label("总投资（万元）").fill("600000")
    county.get_by_label("本级财政可承受出资（万元）").fill("32400")
    county.locator("#id_fund_level_0").select_option("local")
    county.locator("#id_fund_amount_0").fill("600000")
    county.locator("#id_fund_state_0").select_option("promised")
    county.get_by_role("button", name="保存并评估风险").press("Enter")  # the keyboard sends the form
    expect(county).to_have_url(re.compile(r"/prevention/proposals/\d+/$"))
    expect(county.locator("#risk-heading")).to_have_text("风险：高（100 分）")
    expect(county.locator("#risk-reasons")).to_contain_text("是本级可承受出资 32,400 万元的 18.5 倍")
    assert fits(county)
    county.screenshot(path=tmp_path / "proposal-390.png", full_page=True)
    url = county.url

    office = signed_in_page("office")
    office.goto(url)
    office.get_by_label("决策理由").nth(1).fill("本级财政无力承担")
    office.get_by_role("button", name="不予实施").click()
    expect(office.get_by_text("已决定不予实施")).to_be_visible()
    assert ProposedProject.objects.get().status == "rejected"


def test_the_stall_watch_fits_a_phone_and_puts_a_flag_on_the_ledger(signed_in_page, live_server, users, tmp_path):
    path = tmp_path / "进度.csv"
    path.write_text("项目名称,所在地区,计划竣工,开工\n东河区体育馆,150202,2022-06,2021-04\n", encoding="utf-8")
    watch.import_feed(actor=Actor(user=users["office"]), path=path, name="进度.csv", as_of=dt.date.today())
    office = signed_in_page("office", width=390)
    office.goto(f"{live_server.url}/prevention/watch/")
    assert fits(office)
    office.screenshot(path=tmp_path / "watch-390.png", full_page=True)
    office.get_by_label("项目类别").select_option("A08")
    office.get_by_role("button", name="列入台账").click()
    expect(office).to_have_url(re.compile(r"/ledger/\d+/$"))
    expect(office.get_by_role("heading", name="东河区体育馆")).to_be_visible()
