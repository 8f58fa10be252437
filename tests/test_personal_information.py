"""Personal information (个人信息保护法, GB/T 35273): a project's 责任人 and 联系电话 are masked in lists, exports, API
answers and the history for whoever does not maintain the project; shown in full to who does, and to others on
request, each such view in the change log."""

import json

import pytest
from django.test import Client

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core import pii
from halfbuilt.ledger.models import Project

PHONE, PERSON = "13812345678", "欧阳娜娜"


@pytest.mark.parametrize(("value", "shown"), [
    ("13812345678", "138****5678"), ("0472-1234567", "047****4567"), ("110", "****"), ("", "")])
def test_a_phone_keeps_its_first_three_and_last_four_digits(value, shown):
    assert pii.mask_phone(value) == shown


@pytest.mark.parametrize(("value", "shown"), [("张伟", "张*"), ("欧阳娜娜", "欧***"), ("李", "李*"), ("", "")])
def test_a_name_keeps_its_first_character(value, shown):
    assert pii.mask_name(value) == shown


@pytest.fixture
def school(projects):
    Project.objects.filter(pk=projects["in_scope"].pk).update(phone=PHONE, responsible_person=PERSON)
    return Project.objects.get(pk=projects["in_scope"].pk)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_who_maintains_the_project_sees_its_contact_in_full(users, school):
    page = client_of(users["county"]).get(f"/ledger/{school.pk}/").content.decode()
    assert PHONE in page and PERSON in page and "查看完整联系方式" not in page


def test_a_reader_who_does_not_maintain_it_sees_it_masked_and_may_ask_for_it_logged(users, school):
    office = client_of(users["office"])
    page = office.get(f"/ledger/{school.pk}/").content.decode()
    assert PHONE not in page and PERSON not in page
    assert "138****5678" in page and "欧***" in page and "查看完整联系方式" in page
    shown = office.post(f"/ledger/{school.pk}/contacts/").content.decode()
    assert PHONE in shown and PERSON in shown
    entry = ChangeLog.objects.get(action="personal_data_view", project_id=school.pk)
    assert entry.username == "office" and entry.after == {"fields": ["responsible_person", "phone"]}
    # Who looked is the auditor's to know: the project's history on the page leaves it out.
    assert "查看个人信息" not in office.get(f"/ledger/{school.pk}/").content.decode()


def test_one_who_cannot_see_the_project_cannot_ask_for_its_contact(users, school):
    assert client_of(users["county"]).post(f"/ledger/{school.pk + 0}/contacts/").status_code == 200
    elsewhere = Project.objects.get(name="红山区幼儿园")
    assert client_of(users["county"]).post(f"/ledger/{elsewhere.pk}/contacts/").status_code == 404
    assert not ChangeLog.objects.filter(action="personal_data_view", project_id=elsewhere.pk).exists()


def test_the_api_masks_lists_and_shows_the_detail_in_full_to_who_maintains_it(users, school):
    office, county = client_of(users["office"]), client_of(users["county"])
    listed = {p["id"]: p for p in office.get("/api/v1/projects").json()["results"]}
    assert (listed[school.pk]["phone"], listed[school.pk]["responsible_person"]) == ("138****5678", "欧***")
    assert office.get(f"/api/v1/projects/{school.pk}").json()["phone"] == "138****5678"
    assert county.get(f"/api/v1/projects/{school.pk}").json()["phone"] == PHONE


def test_a_masked_contact_sent_back_as_read_changes_nothing(users, school):
    """An API client reads (masked) and sends the record back: the stored phone stays."""
    office = client_of(users["office"])
    body = {"version": school.version, "phone": "138****5678", "responsible_person": "欧***",
            "address": "东河区新址"}
    response = office.patch(f"/api/v1/projects/{school.pk}", json.dumps(body, ensure_ascii=False),
                            content_type="application/json")
    assert response.status_code == 200
    school.refresh_from_db()
    assert (school.phone, school.responsible_person, school.address) == (PHONE, PERSON, "东河区新址")


def test_the_history_on_the_page_keeps_no_contact_in_full(users, school):
    county = client_of(users["county"])
    data = {"name": school.name, "region": "150202", "category": "A03", "department": "JYT", "kind": "stalled",
            "version": school.version, "phone": "13900001111", "responsible_person": PERSON,
            "responsible_unit": school.responsible_unit, "total_investment": "1000", "completed_investment": "400"}
    assert county.post(f"/ledger/{school.pk}/edit/", data).status_code == 302
    page = client_of(users["office"]).get(f"/ledger/{school.pk}/").content.decode()
    assert "13900001111" not in page and PHONE not in page
    assert "138****5678" in page and "139****1111" in page


def test_an_exported_masked_contact_read_back_by_the_importer_changes_nothing(users, school, tmp_path):
    from halfbuilt.core.request_context import Actor
    from halfbuilt.ledger.intake.plan import ImportContext, build_plan
    from halfbuilt.ledger.intake.reader import read_workbook
    from halfbuilt.regions.models import Region
    from tests import messy_files

    header = ["项目名称", "所在地区", "项目类别", "类型", "责任人", "联系电话"]
    path = messy_files.write_csv(tmp_path / "back.csv", rows=[
        header, [school.name, "东河区", "教育", "停建", "欧***", "138****5678"]])
    ctx = ImportContext.for_user(Actor(users["county"]), Region.objects.get(code="150202"))
    plan = build_plan(read_workbook(path), ctx)
    assert plan.errors == [] and plan.creates == [] and plan.updates == [] and plan.unchanged == 1
