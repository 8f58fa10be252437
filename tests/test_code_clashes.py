"""项目代码 without a side channel (ledger/codes.py): a code held by a project the asker cannot see answers exactly
as an unused code, in the form, the API and the import; the clash goes to those who see both projects."""

import json

import pytest
from django.test import Client

from halfbuilt.ledger import codes
from halfbuilt.ledger.models import Project
from halfbuilt.notifications.models import Notification

from .test_import_rules import csv_file, plan_for

SECRET = "2019-150202-52-01-000001"  # the classified project's code
CHIFENG = "2019-150402-47-01-000002"  # Hongshan's (Chifeng) kindergarten: Donghe cannot see it
UNUSED = "2019-150202-47-01-000003"


@pytest.fixture
def held(projects):
    Project.objects.filter(pk=projects["classified"].pk).update(project_code=SECRET)
    Project.objects.filter(pk=projects["elsewhere"].pk).update(project_code=CHIFENG)
    return projects


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def create_by_api(client: Client, code: str, name: str, category: str = "A03",
                  department: str = "JYT") -> tuple[int, dict]:
    body = {"name": name, "region_code": "150202", "category_code": category, "kind": "stalled",
            "project_code": code, "department": department}
    response = client.post("/api/v1/projects", json.dumps(body, ensure_ascii=False), content_type="application/json")
    return response.status_code, response.json()


def create_by_form(client: Client, code: str, name: str):
    return client.post("/ledger/new/", {"name": name, "region": "150202", "category": "A03", "department": "JYT",
                                        "kind": "stalled", "project_code": code})


def shape(body: dict) -> dict:
    """An API answer without what differs between any two creates (ids, numbers, names, codes, times)."""
    varying = {"id", "ledger_no", "name", "project_code", "created_at", "updated_at", "url", "version"}
    return {key: value for key, value in body.items() if key not in varying}


def test_the_api_answers_a_secret_code_exactly_as_an_unused_one(users, held):
    client = as_user(users["county"])
    secret_status, secret_body = create_by_api(client, SECRET, "东河区第二幼儿园")
    unused_status, unused_body = create_by_api(client, UNUSED, "东河区第三幼儿园")
    assert secret_status == unused_status == 201
    assert shape(secret_body) == shape(unused_body)
    assert Project.objects.filter(project_code=SECRET).count() == 2


def test_the_form_takes_a_code_held_in_another_league_and_refuses_one_the_county_sees(users, held):
    client = as_user(users["county"])
    assert create_by_form(client, CHIFENG, "东河区第二幼儿园").status_code == 302
    mine = create_by_form(client, CHIFENG, "东河区第三幼儿园")  # now a Donghe project holds it too
    assert mine.context["form"].errors["project_code"] == [f"项目代码“{CHIFENG}”已被其他项目使用"]


def test_a_clash_with_a_project_of_another_league_goes_to_the_office(users, held):
    assert create_by_form(as_user(users["county"]), CHIFENG, "东河区第二幼儿园").status_code == 302
    told = set(Notification.objects.filter(event="code_clash").values_list("recipient__username", flat=True))
    # The office and the autonomous region's education department see both; Baotou's and Donghe's see one.
    assert told == {users["office"].username, users["department"].username}
    office = as_user(users["office"]).get("/ledger/codes/clashes/")
    assert [[p.name for p in group] for group in office.context["groups"]] == [["红山区幼儿园", "东河区第二幼儿园"]]
    assert as_user(users["county"]).get("/ledger/codes/clashes/").status_code == 403


def test_a_clash_with_a_classified_project_tells_nobody_who_cannot_see_it(users, held):
    assert create_by_form(as_user(users["county"]), SECRET, "东河区第二幼儿园").status_code == 302
    assert not Notification.objects.filter(event="code_clash").exists()  # nobody sees the school and the secret
    assert as_user(users["office"]).get("/ledger/codes/clashes/").context["groups"] == []


def test_the_owning_department_is_told_when_the_clash_is_in_its_own_line(users, held):
    status, _ = create_by_api(as_user(users["county"]), SECRET, "东河区派出所业务用房", category="A02",
                              department="GAT")
    assert status == 201
    told = set(Notification.objects.filter(event="code_clash").values_list("recipient__username", flat=True))
    assert told == {users["department_gat"].username}
    groups = as_user(users["department_gat"]).get("/ledger/codes/clashes/").context["groups"]
    assert [len(group) for group in groups] == [2]


def test_a_project_sharing_its_code_is_still_edited_and_its_code_corrected(users, held):
    create_by_form(as_user(users["county"]), CHIFENG, "东河区第二幼儿园")
    school = Project.objects.get(name="东河区第二幼儿园")
    office = as_user(users["office"])
    data = {"name": "东河区第二幼儿园", "region": "150202", "category": "A03", "kind": "stalled",
            "project_code": CHIFENG, "version": school.version, "total_investment": "800"}
    assert office.post(f"/ledger/{school.pk}/edit/", data).status_code == 302
    school.refresh_from_db()
    data.update(project_code=UNUSED, version=school.version)
    assert office.post(f"/ledger/{school.pk}/edit/", data).status_code == 302
    assert codes.clashes(users["office"]) == []


def test_an_import_row_with_a_code_two_visible_projects_share_is_an_error_for_the_office(users, held, tmp_path):
    create_by_form(as_user(users["county"]), CHIFENG, "东河区第二幼儿园")
    path = csv_file(tmp_path, [["红山区幼儿园", CHIFENG, "红山区", "教育", "停建", "", "", ""]])
    _, plan = plan_for(path, users["office"], region="150000")
    assert [(e.row, e.column) for e in plan.errors] == [(2, "项目代码")]
    assert "重复登记" in plan.errors[0].message


# ---- 台账编号: classified projects numbered apart, so no other list shows a gap ------------------------------------

def classified_by_api(client: Client, name: str) -> tuple[int, dict]:
    body = {"name": name, "region_code": "150202", "category_code": "A02", "kind": "stalled", "department": "GAT",
            "classified": True}
    response = client.post("/api/v1/projects", json.dumps(body, ensure_ascii=False), content_type="application/json")
    return response.status_code, response.json()


def test_a_classified_project_takes_its_own_series_and_leaves_no_gap_in_the_countys(users, projects):
    county, gat = as_user(users["county"]), as_user(users["department_gat"])
    assert create_by_form(county, "", "东河区第二幼儿园").status_code == 302
    status, secret = classified_by_api(gat, "东河区某涉密用房")
    assert status == 201
    assert create_by_form(county, "", "东河区第三幼儿园").status_code == 302
    numbers = list(Project.objects.filter(name__in=["东河区第二幼儿园", "东河区第三幼儿园"]).order_by("created_at")
                   .values_list("ledger_no", flat=True))
    assert numbers == ["150202-00001", "150202-00002"] and secret["ledger_no"] == "150202-M00001"


def test_classifying_a_project_later_moves_it_to_the_classified_series(users, projects):
    """Donghe files a police building of the public-security line; the 公安厅 classifies it as its own."""
    status, filed = create_by_api(as_user(users["county"]), "", "东河区派出所", category="A02", department="GAT")
    assert status == 201 and filed["ledger_no"] == "150202-00001"
    body = {"version": filed["version"], "classified": True}
    response = as_user(users["department_gat"]).patch(f"/api/v1/projects/{filed['id']}", json.dumps(body),
                                                      content_type="application/json")
    assert response.status_code == 200, response.json()
    police = Project.objects.get(pk=filed["id"])
    assert police.classified and police.ledger_no == "150202-M00001"
