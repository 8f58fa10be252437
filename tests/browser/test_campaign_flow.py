"""The campaign in a real browser: the office moves a phase's end date; a league files its 实施方案 with its
document, and the office accepts it; the filings page at phone width scrolls inside its box."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from halfbuilt.campaign import selectors
from halfbuilt.campaign.loader import load_campaign
from halfbuilt.campaign.models import FilingStatus, PlanFiling
from tests.browser.menu import follow_menu

pytestmark = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"




def test_the_office_moves_the_plan_phase(signed_in_page, live_server, users):
    load_campaign()
    office = signed_in_page("office")
    office.goto(f"{live_server.url}/")
    follow_menu(office, "起底行动")
    office.locator("#phase-plan").get_by_role("link").click()
    office.get_by_label("结束日期").fill("2022-11-30")
    office.get_by_role("button", name="保存").click()
    expect(office.locator("#phase-plan [data-phase-ends]")).to_have_text("2022-11-30")
    assert selectors.deadline("plan") == dt.date(2022, 11, 30)


def test_a_league_files_its_plan_and_the_office_accepts_it(signed_in_page, live_server, users, orgs, tmp_path):
    load_campaign()
    document = tmp_path / "包头市实施方案.pdf"
    document.write_bytes(PDF)
    league = signed_in_page("gov_baotou")
    league.goto(f"{live_server.url}/")
    league.get_by_role("link", name="实施方案待报送").click()
    league.get_by_role("link", name="包头市人民政府").click()
    league.get_by_label("方案名称").fill("包头市“半拉子”工程处置工作实施方案")
    league.get_by_label("工作目标").fill("年内盘活一批，2023年底前全部销号")
    league.get_by_label("完成时限").fill("2023-12-31")
    league.get_by_label("实施方案文件").set_input_files(str(document))
    league.get_by_role("button", name="报送").click()
    expect(league.locator("#filing-status")).to_have_text("待审核")
    filing_url = league.url

    office = signed_in_page("office")
    office.goto(f"{live_server.url}/")
    office.get_by_role("link", name="实施方案待审核").click()
    office.get_by_role("link", name="包头市人民政府").click()
    assert office.url == filing_url
    expect(office.get_by_role("link", name="包头市实施方案.pdf")).to_be_visible()
    office.get_by_role("button", name="审核通过").click()
    expect(office.locator("#filing-status")).to_have_text("已通过")
    assert PlanFiling.objects.get(organization=orgs["region"]).status == FilingStatus.ACCEPTED


def test_the_filings_page_at_phone_width(signed_in_page, live_server, users):
    load_campaign()
    office = signed_in_page("office", width=390, height=844)
    office.goto(f"{live_server.url}/campaign/filings/")
    width = office.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # the table scrolls inside its box, the page does not
    expect(office.locator("[data-filing]")).to_have_count(39)
