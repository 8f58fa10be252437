"""A 督办 in a real browser: the office issues it from the project page, the unit answers it with a file (on a
390 px phone screen, keyboard only for the form), the office accepts it (办结 / 摘牌)."""

import re

import pytest
from playwright.sync_api import expect

from halfbuilt.supervision.orders.models import SupervisionOrder

pytestmark = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"




def test_the_office_issues_the_unit_answers_with_a_file_the_office_accepts(signed_in_page, live_server, users, projects,
                                                                           tmp_path):
    school = projects["in_scope"]
    office = signed_in_page("office")
    office.goto(f"{live_server.url}/ledger/{school.pk}/")
    office.get_by_role("link", name="下达督办").click()
    office.get_by_label("主送").select_option(label="东河区第一中学")
    office.get_by_label("督办事由").fill("停工两年未复工")
    office.get_by_label("工作要求").fill("十日内制定复工方案")
    office.get_by_label("回复期限（工作日）").fill("10")
    office.get_by_label("挂牌督办").check()
    office.get_by_role("button", name="下达督办").click()
    expect(office).to_have_url(re.compile(r"/orders/\d+/$"))
    order = SupervisionOrder.objects.get()
    expect(office.get_by_text(order.doc_no).first).to_be_visible()
    order_url = office.url

    unit = signed_in_page("unit_school", width=390)
    unit.goto(f"{live_server.url}/orders/inbox/")
    assert unit.evaluate("document.documentElement.scrollWidth") <= 390  # the table scrolls inside its box
    unit.get_by_role("link", name=order.doc_no).click()
    unit.get_by_role("link", name="回复督办").click()
    evidence = tmp_path / "复工方案.pdf"
    evidence.write_bytes(PDF)
    unit.get_by_label("整改措施及成效").fill("已制定复工方案，资金已落实")
    unit.get_by_label("证明材料").set_input_files(str(evidence))
    unit.get_by_label("证明材料").focus()
    unit.keyboard.press("Tab")  # to the submit button, by keyboard
    unit.keyboard.press("Enter")
    expect(unit.get_by_text("已回复待审核").first).to_be_visible()
    expect(unit.get_by_role("link", name="复工方案.pdf")).to_be_visible()

    office.goto(order_url)
    office.get_by_label("办结意见").fill("整改到位")
    office.get_by_role("button", name="办结（摘牌）").click()
    expect(office.get_by_text("已办结").first).to_be_visible()
    expect(office.get_by_text("已摘牌")).to_be_visible()
    order.refresh_from_db()
    assert order.status == "closed" and order.events.filter(kind="reply", evidence__original_name="复工方案.pdf")
