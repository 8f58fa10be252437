"""销号: the unit requests with evidence → the competent department approves or returns → the office closes."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from halfbuilt.audit.models import ChangeLog
from halfbuilt.closure import services
from halfbuilt.closure.models import ClosureRequest
from halfbuilt.core.errors import ConflictError, NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
YESTERDAY = (timezone.localdate() - timedelta(days=1)).isoformat()


@pytest.fixture
def project(projects, closure_stage):
    return closure_stage(projects["in_scope"])


def actor(users, role):
    return Actor(user=users[role])


def request_closure(users, project, evidence, role="unit", **overrides):
    fields = {"outcome": "in_use", "outcome_date": YESTERDAY, "description": "已交付学校使用",
              "evidence_ids": [evidence.pk] if evidence else []}
    fields.update(overrides)
    return services.closure_request(actor=actor(users, role), project=project, **fields)


def stage(project):
    return Project.objects.get(pk=project.pk).stage


def client(users, role):
    c = Client()
    c.force_login(users[role])
    return c


def test_request_approve_close_walks_the_project_to_closed(users, project, closure_evidence):
    closure = request_closure(users, project, closure_evidence(project))
    assert closure.status == "requested" and stage(project) == "closing"
    services.closure_review(actor=actor(users, "department_baotou"), request=closure, approve=True, comment="材料齐全")
    closure.refresh_from_db()
    assert closure.status == "approved" and closure.reviewed_by == "dept_baotou_jyt" and stage(project) == "closing"
    services.closure_close(actor=actor(users, "office"), request=closure)
    closure.refresh_from_db()
    assert closure.status == "closed" and closure.closed_at is not None and closure.closed_by == "office"
    assert stage(project) == "closed"
    actions = list(ChangeLog.objects.filter(project_id=project.pk).order_by("id").values_list("action", flat=True))
    assert actions == ["closure_request", "stage", "closure_approve", "closure_close", "stage"]


def test_return_needs_a_comment_and_sends_the_project_back_to_disposing(users, project, closure_evidence):
    closure = request_closure(users, project, closure_evidence(project))
    with pytest.raises(ServiceError) as refused:
        services.closure_review(actor=actor(users, "department"), request=closure, approve=False, comment="  ")
    assert refused.value.field == "comment" and "审核意见" in refused.value.message
    assert stage(project) == "closing"
    services.closure_review(
        actor=actor(users, "department"), request=closure, approve=False, comment="缺少消防验收证明"
    )
    closure.refresh_from_db()
    assert closure.status == "returned" and closure.review_comment == "缺少消防验收证明"
    assert stage(project) == "disposing"
    entry = ChangeLog.objects.get(action="closure_return")
    assert entry.reason == "缺少消防验收证明" and entry.project_id == project.pk
    # A returned request is history; the unit files a new one.
    again = request_closure(users, project, closure_evidence(project, "消防验收意见书.pdf"))
    assert again.pk != closure.pk and stage(project) == "closing"


@pytest.mark.parametrize("role,action", [
    ("unit", "approve"), ("region", "approve"), ("office", "approve"), ("office", "return"),
    ("department", "close"), ("unit", "close"), ("department_gat", "approve"),
])
def test_wrong_role_is_refused(users, project, closure_evidence, role, action):
    closure = request_closure(users, project, closure_evidence(project))
    if action == "close":
        services.closure_review(actor=actor(users, "department"), request=closure, approve=True)
    before = ClosureRequest.objects.get(pk=closure.pk).status
    with pytest.raises(NotAllowed):
        services.closure_transition(actor=actor(users, role), request=closure, action=action, comment="意见")
    assert ClosureRequest.objects.get(pk=closure.pk).status == before


@pytest.mark.parametrize("role", ["department", "office", "department_baotou", "sysadmin"])
def test_only_the_unit_or_its_region_requests(users, project, closure_evidence, role):
    with pytest.raises(NotAllowed):
        request_closure(users, project, closure_evidence(project), role=role)
    assert stage(project) == "disposing" and not ClosureRequest.objects.exists()


@pytest.mark.parametrize("role", ["unit", "county", "region"])
def test_the_unit_and_its_regions_may_request(users, project, closure_evidence, role):
    assert request_closure(users, project, closure_evidence(project), role=role).status == "requested"


def test_wrong_state_is_refused(users, project, closure_evidence):
    closure = request_closure(users, project, closure_evidence(project))
    with pytest.raises(ServiceError, match="待主管部门审核.*不能销号"):
        services.closure_close(actor=actor(users, "office"), request=closure)
    services.closure_review(actor=actor(users, "department"), request=closure, approve=True)
    with pytest.raises(ServiceError, match="不能审核通过"):
        services.closure_review(actor=actor(users, "department"), request=closure, approve=True)
    with pytest.raises(ServiceError, match="不能退回"):
        services.closure_review(actor=actor(users, "department"), request=closure, approve=False, comment="x")
    services.closure_close(actor=actor(users, "office"), request=closure)
    with pytest.raises(ServiceError, match="已销号"):
        services.closure_close(actor=actor(users, "office"), request=closure)
    with pytest.raises(ServiceError, match="未知操作"):
        services.closure_transition(actor=actor(users, "office"), request=closure, action="reopen")


def test_one_open_request_per_project(users, project, closure_evidence):
    request_closure(users, project, closure_evidence(project))
    with pytest.raises(ConflictError, match="已有办理中的销号申请"):
        request_closure(users, project, closure_evidence(project, "照片.jpg"), role="county")
    assert ClosureRequest.objects.count() == 1


@pytest.mark.parametrize("status,stage_now", [
    ("candidate", "disposing"), ("in_ledger", ""), ("in_ledger", "planning"), ("in_ledger", "closed"),
])
def test_only_projects_in_the_ledger_and_disposing_may_request(users, projects, closure_evidence, status, stage_now):
    target = projects["in_scope"]
    Project.objects.filter(pk=target.pk).update(status=status, stage=stage_now)
    with pytest.raises(ServiceError):
        request_closure(users, target, closure_evidence(target))
    assert not ClosureRequest.objects.exists()


def test_evidence_is_required_and_must_be_the_projects_own(users, projects, project, closure_evidence):
    with pytest.raises(ServiceError, match="至少一份证明材料") as refused:
        request_closure(users, project, None)
    assert refused.value.field == "evidence"
    other = closure_evidence(projects["elsewhere"])
    with pytest.raises(ServiceError, match="不是本项目的附件"):
        request_closure(users, project, other)
    with pytest.raises(ServiceError, match="不是本项目的附件"):
        request_closure(users, project, None, evidence_ids=["not-a-uuid"])
    assert stage(project) == "disposing" and not ClosureRequest.objects.exists()


@pytest.mark.parametrize("field,value,message", [
    ("outcome", "finished", "处置结果"),
    ("outcome_date", (timezone.localdate() + timedelta(days=1)).isoformat(), "不能晚于今天"),
    ("outcome_date", "2023-13-01", "格式不正确"),
    ("outcome_date", "", "请填写完成日期"),
    ("description", "   ", "请填写情况说明"),
])
def test_request_fields_are_checked(users, project, closure_evidence, field, value, message):
    with pytest.raises(ServiceError, match=message) as refused:
        request_closure(users, project, closure_evidence(project), **{field: value})
    assert refused.value.field == field
    assert stage(project) == "disposing" and not ClosureRequest.objects.exists()


# --- pages --------------------------------------------------------------------------------------

def test_request_form_uploads_evidence_through_the_files_service(users, project):
    c = client(users, "unit")
    url = f"/closure/new/{project.pk}/"
    page = c.get(url)
    assert page.status_code == 200 and "申请销号" in page.content.decode()
    missing = c.post(url, {"outcome": "in_use", "outcome_date": YESTERDAY, "description": "已投入使用"})
    assert missing.status_code == 200 and "至少一份证明材料" in missing.content.decode()
    bad = SimpleUploadedFile("验收证书.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf")
    refused = c.post(url, {"outcome": "in_use", "outcome_date": YESTERDAY, "description": "已投入使用",
                           "files": [bad]})
    assert refused.status_code == 200 and "验收证书.pdf" in refused.content.decode()
    assert not ClosureRequest.objects.exists() and stage(project) == "disposing"
    files = [SimpleUploadedFile("竣工验收证书.pdf", PDF, content_type="application/pdf"),
             SimpleUploadedFile("消防验收.pdf", PDF, content_type="application/pdf")]
    response = c.post(url, {"outcome": "in_use", "outcome_date": YESTERDAY, "description": "已投入使用",
                            "files": files})
    closure = ClosureRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/closure/{closure.pk}/"
    assert sorted(a.original_name for a in closure.evidence.all()) == ["消防验收.pdf", "竣工验收证书.pdf"]
    assert all(a.kind == "evidence" and a.project_id == project.pk for a in closure.evidence.all())
    detail = c.get(response["Location"]).content.decode()
    assert "竣工验收证书.pdf" in detail and "待主管部门审核" in detail
    evidence = closure.evidence.get(original_name="竣工验收证书.pdf")
    assert f'href="/files/{evidence.pk}/"' in detail
    download = client(users, "department_baotou").get(f"/files/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_request_form_may_reuse_attachments_already_uploaded(users, project, closure_evidence):
    existing = closure_evidence(project, "现场照片.jpg")
    c = client(users, "county")
    assert "现场照片.jpg" in c.get(f"/closure/new/{project.pk}/").content.decode()
    response = c.post(f"/closure/new/{project.pk}/", {
        "outcome": "transferred", "outcome_date": YESTERDAY, "description": "已移交旗教育局",
        "existing": [existing.pk]})
    assert response.status_code == 302
    assert list(ClosureRequest.objects.get().evidence.all()) == [existing]


def test_request_form_is_refused_when_the_project_cannot_request(users, projects, closure_stage):
    planning = closure_stage(projects["in_scope"], "planning")
    response = client(users, "unit").get(f"/closure/new/{planning.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/ledger/{planning.pk}/"


def test_review_and_close_through_the_pages(users, project, closure_evidence):
    closure = request_closure(users, project, closure_evidence(project))
    dept = client(users, "department_baotou")
    queue = dept.get("/closure/").content.decode()
    assert "待审核的销号申请（1）" in queue and project.name in queue
    page = dept.get(f"/closure/{closure.pk}/").content.decode()
    assert "审核通过" in page and "退回" in page
    empty_return = dept.post(f"/closure/{closure.pk}/return/", {"comment": ""}, follow=True)
    assert "退回必须填写审核意见" in empty_return.content.decode()
    assert dept.post(f"/closure/{closure.pk}/approve/", {"comment": "同意"}).status_code == 302
    office = client(users, "office")
    assert "待销号（主管部门已审核通过）（1）" in office.get("/closure/").content.decode()
    done = office.post(f"/closure/{closure.pk}/close/", {"comment": ""}, follow=True).content.decode()
    assert "已销号" in done
    assert stage(project) == "closed"
    project_page = office.get(f"/ledger/{project.pk}/").content.decode()
    assert "销号与回头看" in project_page and "已销号" in project_page and "同意" in project_page


def test_the_unit_sees_its_returned_request_in_its_queue(users, project, closure_evidence):
    closure = request_closure(users, project, closure_evidence(project))
    unit = client(users, "unit")
    queue = unit.get("/closure/").content.decode()
    assert "已提交、办理中的申请（1）" in queue and "可申请销号的项目（0）" in queue
    services.closure_review(actor=actor(users, "department"), request=closure, approve=False, comment="照片不清晰")
    queue = unit.get("/closure/").content.decode()
    assert "被退回的申请（1）" in queue and "照片不清晰" in queue and "可申请销号的项目（1）" in queue
    assert "照片不清晰" in unit.get(f"/ledger/{project.pk}/").content.decode()


def test_queue_is_refused_to_roles_without_closure_work(users):
    for role in ("sysadmin", "secadmin", "auditor"):
        assert client(users, role).get("/closure/").status_code == 403


# --- API ----------------------------------------------------------------------------------------

def post(c, url, payload=None):
    return c.post(url, json.dumps(payload or {}), content_type="application/json")


def test_api_flow(users, project, closure_evidence):
    evidence = closure_evidence(project)
    unit = client(users, "unit")
    bad = post(unit, "/api/v1/closure", {"project_id": project.pk, "outcome": "in_use", "outcome_date": YESTERDAY,
                                         "description": "已投入使用", "evidence": []})
    assert bad.status_code == 422 and bad.json()["detail"][0]["message"].startswith("请上传至少一份证明材料")
    created = post(unit, "/api/v1/closure", {"project_id": project.pk, "outcome": "in_use",
                                             "outcome_date": YESTERDAY, "description": "已投入使用",
                                             "evidence": [str(evidence.pk)]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "requested" and body["evidence"][0]["name"] == "竣工验收证书.pdf"
    assert body["allowed_actions"] == []
    dept = client(users, "department")
    listed = dept.get("/api/v1/closure?status=requested").json()["results"]
    assert [r["id"] for r in listed] == [body["id"]]
    assert dept.get("/api/v1/closure?status=closed").json()["results"] == []
    assert dept.get("/api/v1/closure?status=nonsense").status_code == 400
    assert dept.get(f"/api/v1/closure/{body['id']}").json()["allowed_actions"] == ["approve", "return"]
    returned = post(dept, f"/api/v1/closure/{body['id']}/actions/return", {})
    assert returned.status_code == 422 and returned.json()["detail"][0]["field"] == "comment"
    approved = post(dept, f"/api/v1/closure/{body['id']}/actions/approve", {"comment": "同意"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert post(dept, f"/api/v1/closure/{body['id']}/actions/approve").status_code == 409  # already approved
    office = client(users, "office")
    assert post(office, f"/api/v1/closure/{body['id']}/actions/approve").status_code == 403  # not the reviewer
    assert post(office, f"/api/v1/closure/{body['id']}/actions/burn").status_code == 404
    closed = post(office, f"/api/v1/closure/{body['id']}/actions/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed" and closed.json()["closed_at"]
    assert stage(project) == "closed"


def test_api_pages_through_requests(users, make_project, closure_stage, closure_evidence, orgs):
    for _ in range(3):
        p = closure_stage(make_project(responsible_org=orgs["unit"]))
        request_closure(users, p, closure_evidence(p))
    c = client(users, "region")
    first = c.get("/api/v1/closure?page_size=2").json()
    assert len(first["results"]) == 2 and first["next"]
    second = c.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None


def test_a_refused_file_or_a_later_failure_leaves_no_stored_evidence(users, projects, closure_stage, settings,
                                                                     monkeypatch):
    """Nothing partial: the good file stored before a refused one is deleted again, and so are the files when the
    request fails after they were stored (here: the change log)."""
    from tests.test_orders_evidence import EXE, media_files, pdf

    project = closure_stage(projects["in_scope"])
    with pytest.raises(ServiceError) as caught:
        request_closure(users, project, None, uploads=[pdf("验收证书.pdf"), pdf("程序.pdf", EXE)])
    assert "程序.pdf" in caught.value.message
    assert not ClosureRequest.objects.exists() and media_files(settings) == []

    def broken(**kwargs):
        raise RuntimeError("the change log is down")

    monkeypatch.setattr(services, "record_change", broken)
    with pytest.raises(RuntimeError):
        request_closure(users, project, None, uploads=[pdf("验收证书.pdf")])
    assert not ClosureRequest.objects.exists() and media_files(settings) == []
    assert stage(project) == "disposing"
