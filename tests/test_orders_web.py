"""督办 pages and API: the issue form from the project page, the reply with a file, the list filters and overdue
in red, the home queues, the menu, the 督办单 download, and the JSON API's answers."""

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document

from halfbuilt.files.models import Attachment
from halfbuilt.supervision.orders.models import SupervisionOrder
from halfbuilt.supervision.orders.queues import queue_counts
from tests.orders_helpers import issue, reply

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client(users, role):
    c = Client()
    c.force_login(users[role])
    return c


def test_the_office_issues_from_the_project_page(users, projects):
    school = projects["in_scope"]
    office = client(users, "office")
    page = office.get(f"/ledger/{school.pk}/").content.decode()
    assert f'href="/orders/new/{school.pk}/"' in page
    assert f'href="/orders/new/{school.pk}/"' not in client(users, "region").get(
        f"/ledger/{school.pk}/").content.decode()
    response = office.post(f"/orders/new/{school.pk}/", {
        "addressee": school.responsible_org_id, "reason": "停工两年", "requirements": "限期复工",
        "deadline_workdays": "5", "listed": "on"})
    order = SupervisionOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/orders/{order.pk}/"
    assert order.listed and order.deadline_workdays == 5
    detail = office.get(f"/orders/{order.pk}/").content.decode()
    assert order.doc_no in detail and "挂牌" in detail


def test_a_bad_issue_form_names_the_field_and_writes_nothing(users, projects):
    school = projects["in_scope"]
    response = client(users, "office").post(f"/orders/new/{school.pk}/", {
        "addressee": school.responsible_org_id, "reason": "停工两年", "requirements": "限期复工"})
    assert response.status_code == 200
    assert "回复期限请填写工作日天数或截止日期，二者选其一" in response.content.decode()
    assert not SupervisionOrder.objects.exists()


def test_the_unit_replies_with_a_checked_file_and_a_bad_file_stores_nothing(users, projects):
    order = issue(users, project=projects["in_scope"])
    unit = client(users, "unit")
    bad = SimpleUploadedFile("整改.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")
    refused = unit.post(f"/orders/{order.pk}/reply/", {"measures": "已整改", "files": [bad]})
    assert refused.status_code == 200 and "整改.pdf" in refused.content.decode()
    order.refresh_from_db()
    assert order.status == "issued" and not Attachment.objects.exists()
    good = SimpleUploadedFile("整改报告.pdf", PDF, content_type="application/pdf")
    response = unit.post(f"/orders/{order.pk}/reply/", {"measures": "已整改", "files": [good]})
    assert response.status_code == 302
    order.refresh_from_db()
    attachment = Attachment.objects.get()
    assert order.status == "replied" and attachment.project_id == order.project_id
    assert "整改报告.pdf" in client(users, "office").get(f"/orders/{order.pk}/").content.decode()


def test_the_office_accepts_from_the_action_panel(users, projects):
    order = issue(users, project=projects["in_scope"])
    reply(users, order)
    order.refresh_from_db()
    office = client(users, "office")
    page = office.get(f"/orders/{order.pk}/").content.decode()
    assert f'action="/orders/{order.pk}/accept/"' in page and f'action="/orders/{order.pk}/return/"' in page
    assert office.post(f"/orders/{order.pk}/accept/", {"comment": "同意", "version": order.version}).status_code == 302
    order.refresh_from_db()
    assert order.status == "closed"


def test_overdue_orders_are_red_in_the_lists_and_filtered(users, projects, orgs):
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, 0), tick=False):
        late = issue(users, project=projects["in_scope"], days=3)
    fresh = issue(users, project=projects["in_scope"], days=30)
    unit = client(users, "unit")
    inbox = unit.get("/orders/inbox/").content.decode()
    assert f'<tr id="order-{late.pk}" class="order-overdue">' in inbox
    assert f'<tr id="order-{fresh.pk}">' in inbox
    filtered = unit.get("/orders/inbox/?overdue=1").content.decode()
    assert f'id="order-{late.pk}"' in filtered and f'id="order-{fresh.pk}"' not in filtered
    issued = client(users, "office").get("/orders/?overdue=0").content.decode()
    assert f'id="order-{fresh.pk}"' in issued and f'id="order-{late.pk}"' not in issued
    home = unit.get("/").content.decode()
    assert "督办待回复" in home and "督办已逾期" in home


def test_home_queues_count_what_waits(users, projects):
    order = issue(users, project=projects["in_scope"])
    counts = {q.key: q.count for q in queue_counts(users["unit"])}
    assert counts == {"orders_to_answer": 1, "orders_overdue": 0}
    reply(users, order)
    assert {q.key: q.count for q in queue_counts(users["office"])}["orders_to_review"] == 1
    assert {q.key: q.count for q in queue_counts(users["unit"])}["orders_to_answer"] == 0


def test_the_menu_shows_orders_to_issuers_and_the_inbox_to_project_roles(users):
    from halfbuilt.accounts.navigation import entries_for

    def names(role):
        return {e.url_name for e in entries_for(users[role])}

    assert {"orders:issued", "orders:inbox"} <= names("office")
    assert "orders:issued" not in names("unit") and "orders:inbox" in names("unit")
    assert not {"orders:issued", "orders:inbox"} & names("sysadmin")


def test_the_docx_download(users, projects):
    order = issue(users, project=projects["in_scope"])
    response = client(users, "unit").get(f"/orders/{order.pk}/docx/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    text = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert order.doc_no in text and "东河区第一中学：" in text
    assert client(users, "department_gat").get(f"/orders/{order.pk}/docx/").status_code == 404


def test_issue_on_an_organisation_page(users, orgs):
    office = client(users, "office")
    assert office.get("/orders/new/").status_code == 200
    response = office.post("/orders/new/", {"subject": orgs["chifeng"].pk, "reason": "进度滞后",
                                            "requirements": "全面排查", "deadline_workdays": "10"})
    order = SupervisionOrder.objects.get()
    assert response.status_code == 302 and order.addressee == orgs["chifeng"]


# --- API --------------------------------------------------------------------------------------------------------

def post_json(c, path, data):
    return c.post(path, json.dumps(data), content_type="application/json")


def test_api_reply_return_accept(users, projects, closure_evidence):
    school = projects["in_scope"]
    order = issue(users, project=school)
    evidence = closure_evidence(school, "整改照片.pdf")
    unit, office = client(users, "unit"), client(users, "office")
    listed = unit.get("/api/v1/orders?box=addressed").json()
    assert [o["id"] for o in listed["results"]] == [order.pk]
    assert listed["results"][0]["allowed_actions"] == ["reply"]
    answered = post_json(unit, f"/api/v1/orders/{order.pk}/reply",
                         {"measures": "已复工", "evidence": [str(evidence.pk)]})
    assert answered.status_code == 200 and answered.json()["status"] == "replied"
    assert answered.json()["events"][0]["evidence"] == [str(evidence.pk)]
    missing = post_json(office, f"/api/v1/orders/{order.pk}/actions/return", {"comment": ""})
    assert missing.status_code == 422 and missing.json()["detail"][0]["field"] == "comment"
    assert post_json(office, f"/api/v1/orders/{order.pk}/actions/return", {"comment": "不充分"}).status_code == 200
    assert post_json(unit, f"/api/v1/orders/{order.pk}/reply", {"measures": "补充"}).status_code == 200
    done = post_json(office, f"/api/v1/orders/{order.pk}/actions/accept", {})
    assert done.status_code == 200 and done.json()["status"] == "closed"


@pytest.mark.parametrize(("role", "action", "code"), [
    ("department_gat", "accept", 404),  # does not see it
    ("region", "accept", 403),  # sees it, never reviews
    ("office", "accept", 409),  # the issuer, but nothing to accept yet
])
def test_api_refusals(users, projects, role, action, code):
    order = issue(users, project=projects["in_scope"])
    response = post_json(client(users, role), f"/api/v1/orders/{order.pk}/actions/{action}", {})
    assert response.status_code == code
    if code == 404:
        assert response.json()["detail"] == "督办不存在，或您无权查看"
    order.refresh_from_db()
    assert order.status == "issued"


def test_api_schema_lists_the_orders_endpoints(users):
    paths = client(users, "office").get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/orders", "/api/v1/orders/{order_id}", "/api/v1/orders/{order_id}/reply",
            "/api/v1/orders/{order_id}/actions/{action}"} <= set(paths)


def test_an_invisible_order_answers_like_one_that_never_was(users, projects):
    order = issue(users, project=projects["in_scope"])
    outsider = client(users, "department_gat")
    hidden, never = outsider.get(f"/orders/{order.pk}/"), outsider.get(f"/orders/{order.pk + 999}/")
    assert hidden.status_code == never.status_code == 404
    assert "督办不存在，或您无权查看" in hidden.content.decode()

    def main(response) -> str:
        body = response.content.decode()
        return body[body.index("<main"):body.index("</main>")]

    assert main(hidden) == main(never)
    assert not [q for q in queue_counts(users["department_gat"]) if q.count]


def test_the_project_page_shows_its_overdue_order_in_red(users, projects):
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, 0), tick=False):
        late = issue(users, project=projects["in_scope"], days=3)
    page = client(users, "county").get(f"/ledger/{projects['in_scope'].pk}/").content.decode()
    assert f'<li class="order-overdue"><a href="/orders/{late.pk}/">{late.doc_no}</a>' in page
    assert "已逾期" in page


def test_api_issue_on_a_project_and_its_refusals(users, projects, orgs):
    school = projects["in_scope"]
    office = client(users, "office")
    body = {"project_id": school.pk, "addressee_id": school.responsible_org_id, "reason": "停工两年",
            "requirements": "限期复工", "deadline_workdays": 5, "listed": True}
    made = post_json(office, "/api/v1/orders", body)
    assert made.status_code == 201 and made.json()["listed"] and made.json()["doc_no"].startswith("内半办督〔")
    both = post_json(office, "/api/v1/orders", {**body, "deadline": "2099-01-01"})
    assert both.status_code == 422 and both.json()["detail"][0]["field"] == "deadline_workdays"
    hidden = post_json(client(users, "department_gat"), "/api/v1/orders", body)
    assert hidden.status_code == 404 and hidden.json()["detail"] == "项目不存在，或您无权查看"
    assert post_json(client(users, "region"), "/api/v1/orders", body).status_code == 403
    assert SupervisionOrder.objects.count() == 1
