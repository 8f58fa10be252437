"""Tip-offs in a real browser (issue 9 §4): at phone width a citizen opens a public project's page (where the
公示牌's QR code leads), files a tip-off with a photo and follows it by its code; a county moderator links it to the
project; the tracking page shows the published answer. The form and the tracking page pass axe-core (WCAG 2.1 AA)
without sideways scroll at 390 px."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.test_public_portal import axe_source, phone, serious_violations, sideways  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_files_a_tipoff_a_moderator_links_it_and_the_answer_is_public(
        phone, live_server, users, signed_in_page, axe_source, tmp_path):  # noqa: F811
    phone.context.grant_permissions(["geolocation"])
    phone.context.set_geolocation({"latitude": 40.5812, "longitude": 110.0304})
    from halfbuilt.ledger.models import Project
    from halfbuilt.tipoffs.models import TipOff

    project = Project.objects.create(ledger_no="T-BR-1", name="东河区某小学教学楼", region_id="150202",
                                     prefecture_id="150200", category_id="A03", kind="stalled", status="in_ledger")
    photo = tmp_path / "现场.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "gray").save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())

    phone.goto(f"{live_server.url}/gongkai/projects/{project.pk}/")
    phone.get_by_role("link", name="反映本项目情况").click()
    expect(phone.get_by_label("工程名称或描述")).to_have_value("东河区某小学教学楼")
    phone.get_by_role("button", name="使用我当前的位置").click()  # the place, from the phone
    expect(phone.get_by_label("纬度")).to_have_value("40.581200")
    phone.get_by_label("情况描述").fill("围挡破损，工地荒废多年。")
    phone.get_by_label("照片", exact=True).set_input_files(str(photo))
    phone.screenshot(path=str(tmp_path / "form.png"), full_page=True)
    assert sideways(phone) <= 0 and serious_violations(phone, axe_source) == []
    a, b = map(int, re.search(r"(\d+) 加 (\d+)", phone.locator("[data-question]").inner_text()).groups())
    phone.locator("#id_captcha").fill(str(a + b))
    phone.locator("#id_captcha").press("Enter")  # by keyboard
    expect(phone.locator("[data-status]")).to_have_text("待处理")
    code = phone.locator("[data-code]").inner_text()
    tracking = phone.url
    assert tracking.endswith(f"/gongkai/report/{code}/")
    assert "围挡破损" not in phone.content()
    phone.screenshot(path=str(tmp_path / "track.png"), full_page=True)
    assert sideways(phone) <= 0 and serious_violations(phone, axe_source) == []
    tipoff = TipOff.objects.get(code=code)
    assert tipoff.photos.count() == 1 and tipoff.suggested_project_id == project.pk
    assert str(tipoff.longitude) == "110.030400"

    moderator = signed_in_page(users["county"].username, width=390, height=844)
    moderator.goto(f"{live_server.url}/tipoffs/")
    moderator.get_by_role("link", name="东河区某小学教学楼").click()
    expect(moderator.locator(f'[data-duplicate="{project.pk}"]')).to_be_visible()
    moderator.get_by_label("项目编号").fill(str(project.pk))
    moderator.get_by_role("button", name="关联").click()
    expect(moderator.locator("[data-status]")).to_have_text("已受理（关联已有项目）")
    moderator.screenshot(path=str(tmp_path / "moderated.png"), full_page=True)

    phone.goto(tracking)
    expect(phone.locator("[data-answer]")).to_contain_text("您反映的项目已在台账中")
    expect(phone.get_by_role("link", name="查看项目公开信息")).to_have_attribute(
        "href", f"/gongkai/projects/{project.pk}/")
