"""One project walked from plan to closure in a real browser, each step by the role whose work it is:
the responsible unit drafts, the department approves, the office confirms; later the unit asks for closure
with evidence, the department approves and the office closes it (销号)."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from halfbuilt.ledger.models import Project, Stage, Status

pytestmark = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"




def test_a_project_goes_from_plan_to_closure(signed_in_page, live_server, users, projects, tmp_path):
    project = projects["in_scope"]
    Project.objects.filter(pk=project.pk).update(status=Status.IN_LEDGER)
    project_url = f"{live_server.url}/ledger/{project.pk}/"

    unit = signed_in_page("unit_school")
    unit.goto(project_url)
    unit.get_by_role("link", name="制定处置方案").click()
    unit.get_by_label("处置方式").select_option("revitalise")
    unit.get_by_label("主责单位").fill("东河区教育局")
    unit.get_by_label("责任人", exact=False).first.fill("王五")
    unit.get_by_label("完成时限").fill("2026-12-31")
    unit.locator("#id_revitalise__route").select_option("debt_restructuring")
    unit.locator("#id_revitalise__new_funds").fill("1,200")
    unit.locator("#id_revitalise__funds_source").fill("地方政府专项债券")
    unit.get_by_role("button", name="保存").click()
    expect(unit.get_by_text("草拟中").first).to_be_visible()
    plan_url = unit.url
    unit.get_by_role("button", name="提交审核").click()
    expect(unit.get_by_text("待主管部门审核").first).to_be_visible()

    department = signed_in_page("dept_jyt")
    department.goto(plan_url)
    department.get_by_role("button", name="审核通过").click()
    expect(department.get_by_text("待办公室确认").first).to_be_visible()

    office = signed_in_page("office")
    office.goto(plan_url)
    office.get_by_role("button", name="确认方案").click()
    expect(office.get_by_text("已确认").first).to_be_visible()
    assert Project.objects.get(pk=project.pk).stage == Stage.DISPOSING

    evidence = tmp_path / "竣工验收证书.pdf"
    evidence.write_bytes(PDF)
    unit.goto(project_url)
    unit.get_by_role("link", name="申请销号").click()
    unit.get_by_label("已投入使用").check()
    unit.get_by_label("完成日期").fill((dt.date.today() - dt.timedelta(days=1)).isoformat())
    unit.get_by_label("情况说明").fill("教学楼已完工并投入使用")
    unit.get_by_label("上传证明材料").set_input_files(str(evidence))
    unit.get_by_role("button", name="提交销号申请").click()
    expect(unit).to_have_url(re.compile(r"/closure/\d+/$"))
    request_url = unit.url
    assert Project.objects.get(pk=project.pk).stage == Stage.CLOSING

    department.goto(request_url)
    department.get_by_role("button", name="审核通过").click()
    office.goto(request_url)
    office.get_by_role("button", name="销号").click()
    expect(office.get_by_text("已销号").first).to_be_visible()
    assert Project.objects.get(pk=project.pk).stage == Stage.CLOSED

    unit.goto(project_url)  # the project page tells the whole story
    for step in ("新建处置方案", "确认处置方案", "申请销号", "销号", "已销号"):
        expect(unit.get_by_text(step).first).to_be_visible()
