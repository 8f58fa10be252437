"""The green channel in a real browser: the unit files one request from its project page (on a 390 px phone
screen), it reaches two authorities at once; 自然资源局 completes its item with the 文号 and the permit, 消防救援大队
asks for 补正 (the clock stops); the plan's procedure shows the 文号, and the unit supplies what was missing."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from halfbuilt.disposal.models import Procedure
from halfbuilt.greenchannel.models import GreenRequest
from tests import greenchannel_helpers as g

pytestmark = pytest.mark.django_db(transaction=True)




def test_a_unit_files_two_authorities_act_one_asks_for_supplement_the_plan_updates(
        signed_in_page, live_server, users, projects, make_user, tmp_path):
    g.authority_users(make_user)
    school = projects["in_scope"]
    plan = g.plan_in_disposal(school)

    unit = signed_in_page("unit_school", width=390)
    unit.goto(f"{live_server.url}/ledger/{school.pk}/")
    unit.get_by_role("link", name="申请绿色通道").click()
    expect(unit.get_by_label(re.compile("建设工程规划许可证"))).to_be_checked()  # proposed from the plan
    expect(unit.get_by_label(re.compile("消防验收"))).to_be_checked()
    unit.get_by_label("申请说明").fill("教学楼停建多年，申请联审联办")
    unit.get_by_role("button", name="提交申请").click()
    expect(unit).to_have_url(re.compile(r"/green/\d+/$"))
    assert unit.evaluate("document.documentElement.scrollWidth") <= 390  # the table scrolls in its box
    unit.screenshot(path=str(tmp_path / "request.png"), full_page=True)
    request = GreenRequest.objects.get()
    assert request.items.count() == 2

    permit = tmp_path / "规划许可证.pdf"
    permit.write_bytes(g.PDF)
    zrzy = signed_in_page("auth_zrzy")
    zrzy.goto(f"{live_server.url}/green/")
    expect(zrzy.get_by_role("link", name="消防验收")).to_have_count(0)  # not addressed to it
    zrzy.get_by_role("link", name="建设工程规划许可证").click()
    expect(zrzy.locator("#clock")).to_contain_text("剩余")
    zrzy.get_by_role("button", name="受理").click()
    expect(zrzy.locator("#item-status")).to_have_text("办理中")
    zrzy.get_by_role("link", name="办结").click()
    zrzy.get_by_label("批准文号").fill("建字第150202202600012号")
    zrzy.get_by_label("办结日期").fill(timezone.localdate().isoformat())
    zrzy.get_by_label("批准文件").set_input_files(str(permit))
    zrzy.get_by_role("button", name="办结").click()
    expect(zrzy.locator("#item-status")).to_have_text("已办结")
    expect(zrzy.locator("#doc-no")).to_have_text("建字第150202202600012号")

    xf = signed_in_page("auth_xf")
    xf.goto(f"{live_server.url}/green/")
    xf.get_by_role("link", name="消防验收").click()
    xf.get_by_label("需补正的材料").first.fill("缺少消防设施检测报告")
    xf.get_by_role("button", name="需补正").first.click()
    expect(xf.locator("#item-status")).to_have_text("需补正")
    expect(xf.locator("#clock")).to_contain_text("暂停计时")
    xf.screenshot(path=str(tmp_path / "supplement.png"), full_page=True)

    planning = Procedure.objects.get(plan=plan, kind="planning_permit")
    assert planning.document_no == "建字第150202202600012号" and planning.done_date == timezone.localdate()
    unit.goto(f"{live_server.url}/disposal/{plan.pk}/")
    expect(unit.get_by_text("建字第150202202600012号")).to_be_visible()
    unit.goto(f"{live_server.url}/")
    unit.get_by_role("link", name=re.compile("绿色通道待补正")).click()
    unit.get_by_role("link", name="消防验收").click()
    expect(unit.locator("#missing")).to_have_text("缺少消防设施检测报告")
    assert unit.evaluate("document.documentElement.scrollWidth") <= 390
    unit.get_by_role("link", name="提交补正材料").click()
    unit.get_by_label("补正说明").fill("已补充检测报告")
    unit.get_by_role("button", name="提交补正材料").click()
    expect(unit.locator("#item-status")).to_have_text("办理中")
    expect(unit.locator("#clock")).to_contain_text("剩余 15 个工作日")  # nothing used: 补正 asked the same day
    unit.goto(f"{live_server.url}/green/")
    assert unit.evaluate("document.documentElement.scrollWidth") <= 390
    unit.screenshot(path=str(tmp_path / "supplied.png"), full_page=True)
    request.refresh_from_db()
    assert request.status == "open"
