"""A 通报 in a real browser: the office generates one for a period, edits its text and publishes it (its 文号 shows);
a league's user, on a 390 px phone screen, finds it in the inbox and opens it."""

import re

import pytest
from playwright.sync_api import expect

from halfbuilt.ledger.models import Project
from halfbuilt.supervision.circulars.models import Circular
from halfbuilt.supervision.dashboard import cube
from tests.browser.menu import follow_menu

pytestmark = pytest.mark.django_db(transaction=True)




def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # tables scroll inside their box


def test_the_office_generates_edits_and_publishes_a_league_opens_it_from_the_inbox(signed_in_page, live_server, users,
                                                                                   projects, tmp_path):
    Project.objects.filter(pk__in=[p.pk for p in projects.values()]).update(status="in_ledger")
    cube.rebuild()
    office = signed_in_page("office")
    follow_menu(office, "通报")
    office.get_by_role("link", name="生成通报").click()
    office.get_by_role("radio", name="自定义期间").check()
    office.get_by_label("起始日期（自定义期间）").fill("2026-01-01")
    office.get_by_label("截止日期（自定义期间）").fill("2026-03-31")
    office.get_by_role("button", name="生成通报草稿").click()
    expect(office).to_have_url(re.compile(r"/circulars/\d+/$"))
    expect(office.locator("#leagues")).to_contain_text("包头市")
    office.screenshot(path=tmp_path / "circulars-draft-desktop.png", full_page=True)
    phone = signed_in_page("office", width=390)  # the office's pages on a phone
    for address in ("/circulars/", "/circulars/new/", office.url.replace(live_server.url, ""),
                    office.url.replace(live_server.url, "") + "edit/"):
        phone.goto(live_server.url + address)
        _fits(phone, 390)
    phone.screenshot(path=tmp_path / "circulars-edit-390.png", full_page=True)
    office.get_by_role("link", name="修改文字和主送").click()
    office.locator("#id_opening").fill("现将第一季度全区“半拉子”工程大起底工作情况通报如下。")
    office.locator("#id_opening").focus()
    office.keyboard.press("Tab")  # on to the next field by keyboard
    office.get_by_role("button", name="保存草稿").click()
    expect(office.locator("#opening")).to_contain_text("现将第一季度")
    office.get_by_role("button", name="发布通报").click()
    circular = Circular.objects.get()
    assert circular.status == "published"
    expect(office.locator("#doc-no")).to_have_text(circular.doc_no)
    assert re.fullmatch(r"内半办通〔\d{4}〕1号", circular.doc_no)

    league = signed_in_page("gov_baotou", width=390)
    league.goto(f"{live_server.url}/notifications/")
    league.get_by_role("link", name=re.compile(re.escape(circular.doc_no))).first.click()
    expect(league).to_have_url(re.compile(rf"/circulars/{circular.pk}/$"))
    expect(league.get_by_role("heading", name=circular.title)).to_be_visible()
    expect(league.locator("#opening")).to_contain_text("现将第一季度")
    _fits(league, 390)
    league.screenshot(path=tmp_path / "circulars-published-390.png", full_page=True)
