"""The plan's parts through the API alone, with bearer tokens: a 完善手续 plan from draft to its procedures
done, milestones met with evidence (directly or by a monthly report's photos), the day work resumed, and the
回头看 sample's population for reproduction."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from halfbuilt.accounts.models import ApiToken
from halfbuilt.audit.models import ChangeLog
from halfbuilt.closure import services as closure_services
from halfbuilt.closure.models import FollowUpSample
from halfbuilt.core.request_context import Actor
from halfbuilt.disposal.models import Milestone, Plan, Procedure
from halfbuilt.files.models import Attachment
from halfbuilt.ledger.models import Project, Stage
from halfbuilt.progress import periods
from halfbuilt.progress.models import ProgressReport
from tests.permission_matrix.world import RESUME_FACTS


def today() -> str:
    """Read when asserting, not at import: a run may pass midnight (Beijing time)."""
    return timezone.localdate().isoformat()


@pytest.fixture
def bearer(users):
    """role → call(method, url, body) → (status, json), authenticated by an API token only."""
    def make(role):
        client = Client(headers={"authorization": f"Bearer {ApiToken.issue(users[role])}"})

        def call(method, url, body=None):
            response = getattr(client, method)(url, json.dumps(body) if body is not None else None,
                                               content_type="application/json")
            assert response["Content-Type"].startswith("application/json")
            return response.status_code, response.json()
        call.client = client
        return call
    return make


def upload(call, project, kind="photo", name="现场.jpg"):
    if kind == "photo":
        buffer = io.BytesIO()
        Image.new("RGB", (32, 24), (120, 160, 90)).save(buffer, "JPEG")
        file = SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
    else:
        file = SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                                  content_type="application/pdf")
    response = call.client.post("/api/v1/files", {"project": project.pk, "kind": kind, "file": file})
    assert response.status_code == 201, response.content
    return response.json()["id"]


PROCEDURES_PLAN = {"method": "procedures", "lead_unit": "东河区教育局", "responsible_person": "张三",
                   "deadline": "2026-12-31", "facts": {"central_approval_needed": False}}


def test_procedures_plan_from_draft_to_procedure_done_through_the_api(bearer, disposal_projects):
    project = disposal_projects["in_scope"]
    unit, dept, office = bearer("unit"), bearer("department"), bearer("office")
    status, plan = unit("post", "/api/v1/plans", {**PROCEDURES_PLAN, "project_id": project.pk})
    assert status == 201, plan
    pid = plan["id"]

    status, body = unit("post", f"/api/v1/plans/{pid}/actions/submit")
    assert status == 422 and "手续" in body["detail"][0]["message"]  # 完善手续 needs ≥ 1 missing procedure

    status, procedure = unit("post", f"/api/v1/plans/{pid}/procedures",
                             {"kind": "施工许可", "authority": "东河区住建局"})
    assert status == 201, procedure
    assert procedure["kind"] == "construction_permit" and procedure["kind_label"] == "施工许可"
    assert procedure["done_date"] is None and procedure["authority"] == "东河区住建局"

    assert unit("post", f"/api/v1/plans/{pid}/actions/submit")[0] == 200
    status, body = unit("post", f"/api/v1/plans/{pid}/procedures", {"kind": "land_use"})
    assert status == 409 and "审核期间不能登记待补手续" in body["detail"]
    status, body = unit("post", f"/api/v1/plans/procedures/{procedure['id']}/done", {"done_date": today()})
    assert status == 409 and "审核期间不能登记手续办结" in body["detail"]
    assert dept("post", f"/api/v1/plans/{pid}/actions/approve", {"comment": "同意"})[0] == 200
    status, body = office("post", f"/api/v1/plans/{pid}/actions/confirm")
    assert status == 200 and body["status"] == "confirmed"
    assert Project.objects.get(pk=project.pk).stage == Stage.DISPOSING

    status, body = office("post", f"/api/v1/plans/procedures/{procedure['id']}/done", {"done_date": today()})
    assert status == 403 and "您无权登记手续办结" in body["detail"]
    status, body = unit("post", f"/api/v1/plans/procedures/{procedure['id']}/done", {"done_date": "2025-13-01"})
    assert status == 422 and body["detail"] == [
        {"field": "done_date", "message": "办结日期“2025-13-01”不是有效日期，应写作 2025-06-30"}]
    status, done = unit("post", f"/api/v1/plans/procedures/{procedure['id']}/done",
                        {"done_date": today(), "document_no": "东住建许〔2025〕12号"})
    assert status == 200, done
    assert done["done_date"] == today() and done["document_no"] == "东住建许〔2025〕12号"

    status, detail = office("get", f"/api/v1/plans/{pid}")
    assert detail["procedures"] == [done]
    assert Procedure.objects.get(pk=procedure["id"]).done_date.isoformat() == today()
    assert unit("post", "/api/v1/plans/procedures/999999/done", {"done_date": today()})[0] == 404


def test_milestones_through_the_api(bearer, disposal_projects, disposal_make_plan):
    project = disposal_projects["in_scope"]
    plan = disposal_make_plan(project, status="draft")
    unit, office = bearer("unit"), bearer("office")

    status, body = unit("post", f"/api/v1/plans/{plan.pk}/milestones", {"title": "主体封顶", "due_date": "明年"})
    assert status == 422 and body["detail"] == [
        {"field": "due_date", "message": "计划完成日期“明年”不是有效日期，应写作 2025-06-30"}]
    status, body = unit("post", f"/api/v1/plans/{plan.pk}/milestones", {"title": " ", "due_date": "2026-05-31"})
    assert status == 422 and body["detail"] == [{"field": "title", "message": "请填写节点名称"}]
    status, body = unit("post", f"/api/v1/plans/{plan.pk}/milestones", {"name": "主体封顶"})
    assert status == 422
    status, milestone = unit("post", f"/api/v1/plans/{plan.pk}/milestones",
                             {"title": "主体封顶", "due_date": "2026-05-31"})
    assert status == 201 and milestone["title"] == "主体封顶" and milestone["met_date"] is None

    status, body = unit("patch", f"/api/v1/plans/milestones/{milestone['id']}", {"due_date": "2026-06-30"})
    assert status == 200 and body == {**milestone, "due_date": "2026-06-30"}  # the title is kept
    status, body = office("patch", f"/api/v1/plans/milestones/{milestone['id']}", {"title": "办公室改"})
    assert status == 403

    evidence = upload(unit, project, kind="evidence", name="封顶验收记录.pdf")
    status, body = unit("post", f"/api/v1/plans/milestones/{milestone['id']}/met",
                        {"met_date": today(), "evidence": [evidence]})
    assert status == 409 and "方案确认后" in body["detail"]

    Plan.objects.filter(pk=plan.pk).update(status="confirmed")
    status, body = unit("post", f"/api/v1/plans/milestones/{milestone['id']}/met", {"met_date": today()})
    assert status == 422 and body["detail"][0]["field"] == "evidence"
    status, body = unit("post", f"/api/v1/plans/milestones/{milestone['id']}/met",
                        {"met_date": today(), "evidence": ["not-an-id"]})
    assert status == 422 and "不存在或不属于该项目" in body["detail"][0]["message"]
    status, met = unit("post", f"/api/v1/plans/milestones/{milestone['id']}/met",
                       {"met_date": today(), "evidence": [evidence]})
    assert status == 200 and met["met_date"] == today() and met["evidence"] == [evidence]
    assert unit("get", f"/api/v1/plans/{plan.pk}")[1]["milestones"] == [met]

    # Another unit's milestone does not exist for this one.
    other = disposal_make_plan(disposal_projects["elsewhere"])
    hidden = Milestone.objects.create(plan=other, title="别处节点", due_date=timezone.localdate())
    assert unit("patch", f"/api/v1/plans/milestones/{hidden.pk}", {"title": "x"})[0] == 404
    assert unit("post", f"/api/v1/plans/milestones/{hidden.pk}/met", {"met_date": today()})[0] == 404
    assert unit("post", f"/api/v1/plans/{other.pk}/milestones", {"title": "x", "due_date": today()})[0] == 404


def test_resumption_through_the_api(bearer, disposal_projects, disposal_make_plan):
    project = disposal_projects["in_scope"]
    unit = bearer("unit")
    other = disposal_make_plan(disposal_projects["in_scope"], method="judicial", status="confirmed")
    status, body = unit("post", f"/api/v1/plans/{other.pk}/resume", {"date": "2025-04-01"})
    assert status == 409 and "不是复工续建" in body["detail"]
    other.delete()

    plan = disposal_make_plan(project, method="resume", facts=RESUME_FACTS, status="confirmed")
    status, body = unit("post", f"/api/v1/plans/{plan.pk}/resume", {"date": "2025-03-05"})
    assert status == 422 and body["detail"] == [{"field": "date", "message": "复工日期不能早于施工主管部门确认日期"}]
    status, body = unit("post", f"/api/v1/plans/{plan.pk}/resume", {"date": ""})
    assert status == 422 and body["detail"] == [{"field": "date", "message": "请填写复工日期"}]
    status, body = unit("post", f"/api/v1/plans/{plan.pk}/resume", {"date": "2025-04-01"})
    assert status == 200 and body["facts"]["resumed_date"] == "2025-04-01"

    Plan.objects.filter(pk=plan.pk).update(facts={**RESUME_FACTS, "appraisal_conclusion": "unqualified"})
    status, body = unit("post", f"/api/v1/plans/{plan.pk}/resume", {"date": "2025-04-01"})
    assert status == 422 and body["detail"][0]["field"] == "facts.appraisal_conclusion"


# --- progress: a milestone met by a monthly report's photos ------------------------------------------------

@pytest.fixture
def confirmed_with_milestone(disposal_projects, disposal_make_plan):
    project = disposal_projects["in_scope"]
    Project.objects.filter(pk=project.pk).update(stage=Stage.DISPOSING)
    plan = disposal_make_plan(project, status="confirmed")
    period = periods.current_period()
    milestone = Milestone.objects.create(plan=plan, title="完成主体封顶", due_date=periods.first_day(period))
    return project, milestone, period


def test_progress_report_marks_a_milestone_met_with_a_photo_id(bearer, confirmed_with_milestone, disposal_projects,
                                                              closure_evidence):
    project, milestone, period = confirmed_with_milestone
    unit = bearer("unit")
    report = {"project_id": project.pk, "period": period, "progress": "主体封顶", "physical_progress": 60,
              "milestones_met": [milestone.pk]}

    status, body = unit("post", "/api/v1/progress", report)
    assert status == 422 and body["detail"][0]["field"] == "milestones_met" and "照片" in body["detail"][0]["message"]
    document = upload(unit, project, kind="evidence", name="说明.pdf")
    status, body = unit("post", "/api/v1/progress", {**report, "photos": [document]})
    assert status == 422 and body["detail"] == [
        {"field": "photos", "message": "附件“说明.pdf”是证明材料，不是照片"}]
    foreign = closure_evidence(disposal_projects["elsewhere"], name="别处.jpg")
    Attachment.objects.filter(pk=foreign.pk).update(kind="photo")
    foreign = str(foreign.pk)
    status, body = unit("post", "/api/v1/progress", {**report, "photos": [foreign]})
    assert status == 422 and body["detail"][0]["field"] == "photos" and "不属于该项目" in body["detail"][0]["message"]
    milestone.refresh_from_db()
    assert milestone.met_date is None and not ProgressReport.objects.exists()

    photo = upload(unit, project)
    status, body = unit("post", "/api/v1/progress", {**report, "photos": [photo]})
    assert status == 201, body
    assert body["photos"] == [photo] and body["milestones_met"] == [milestone.pk]
    milestone.refresh_from_db()
    assert milestone.met_date == timezone.localdate()
    assert [str(a.pk) for a in milestone.evidence.all()] == [photo]
    plan = bearer("office")("get", f"/api/v1/plans/{milestone.plan_id}")[1]
    assert plan["milestones"][0]["met_date"] == today() and plan["milestones"][0]["evidence"] == [photo]


# --- 回头看: the population for reproduction -------------------------------------------------------------

def test_sample_detail_shows_its_population_and_whether_it_reproduces(bearer, users, make_project, closure_stage):
    closed = [closure_stage(make_project(), "closed") for _ in range(5)]
    sample = closure_services.draw_sample(actor=Actor(user=users["office"]), share="0.4")
    office = bearer("office")
    status, body = office("get", f"/api/v1/closure/samples/{sample.pk}")
    assert status == 200
    assert body["population_ids"] == sorted(p.pk for p in closed) and body["population"] == 5
    assert body["reproducible"] is True
    chosen = closure_services.draw(body["seed"], body["population_ids"], len(body["checks"]))
    assert chosen == sorted(c["project_id"] for c in body["checks"])
    assert "population_ids" not in office("get", "/api/v1/closure/samples")[1]["results"][0]

    # Tampered with: a seed whose draw differs (a fixed seed would pick the same 2 of 5 one time in ten).
    seeds = (f"{n:032x}" for n in range(100))
    forged = next(s for s in seeds if closure_services.draw(s, body["population_ids"], len(chosen)) != chosen)
    FollowUpSample.objects.filter(pk=sample.pk).update(seed=forged)
    assert office("get", f"/api/v1/closure/samples/{sample.pk}")[1]["reproducible"] is False


def test_progress_service_takes_photos_uploaded_earlier(users, confirmed_with_milestone, closure_evidence):
    from halfbuilt.progress import services

    project, _, period = confirmed_with_milestone
    earlier = closure_evidence(project, name="现场.jpg")
    Attachment.objects.filter(pk=earlier.pk).update(kind="photo")
    draft = services.report_save(actor=Actor(user=users["unit"]), project=project, period=period,
                                 data={"progress": "", "physical_progress": 10}, photo_ids=[str(earlier.pk)])
    assert list(draft.photos.all()) == [earlier]


# --- progress drafts and roll-ups through the API ---------------------------------------------------------

def test_progress_draft_saved_again_and_submitted_through_the_api(bearer, confirmed_with_milestone):
    project, _, period = confirmed_with_milestone
    unit = bearer("unit")
    draft = {"project_id": project.pk, "period": period, "progress": "", "submit": False}
    status, body = unit("post", "/api/v1/progress", draft)
    assert status == 201 and body["status"] == "draft" and body["state"] == "draft", body
    status, again = unit("post", "/api/v1/progress", {**draft, "progress": "主体施工", "version": body["version"]})
    assert status == 201 and again["progress"] == "主体施工" and again["version"] == body["version"] + 1
    status, stale = unit("post", "/api/v1/progress", {**draft, "version": body["version"]})
    assert status == 409 and "草稿" in stale["detail"], stale
    status, empty = unit("post", "/api/v1/progress", {**draft, "submit": True, "version": again["version"]})
    assert status == 422 and empty["detail"][0]["field"] == "progress", empty
    status, done = unit("post", "/api/v1/progress", {**draft, "progress": "主体封顶", "submit": True,
                                                     "version": again["version"]})
    assert status == 201 and done["status"] == "submitted" and done["submitted_at"]
    assert unit("post", "/api/v1/progress", {**draft, "progress": "再改"})[0] == 409
    actions = ChangeLog.objects.filter(project_id=project.pk, via="api").values_list("action", flat=True)
    assert sorted(actions) == ["progress_save", "progress_save", "progress_submit"]


def test_rollup_saved_and_submitted_through_the_api_with_figures_computed(bearer, users, orgs, projects):
    from halfbuilt.progress import services as progress_services

    baotou = orgs["region"]
    period = periods.shift(periods.current_period(), -1)
    region = bearer("region")
    status, body = region("post", "/api/v1/progress/rollups",
                          {"organization_id": baotou.pk, "period": period, "progress": "", "submit": False})
    assert status == 201 and body["status"] == "draft" and body["organization"] == baotou.name, body
    status, body = region("post", "/api/v1/progress/rollups",
                          {"organization_id": baotou.pk, "period": period, "submit": True})
    assert status == 422 and body["detail"][0]["field"] == "progress"
    payload = {"organization_id": baotou.pk, "period": period, "progress": "本月推进顺利", "problems": "资金缺口",
               "figures": {"due": 999}}  # figures are never taken from the caller
    status, body = region("post", "/api/v1/progress/rollups", payload)
    assert status == 201 and body["status"] == "submitted" and body["submitted_by"] == users["region"].username
    expected = progress_services.rollup_figures(baotou, period)
    sent = body["figures"]
    assert sent.pop("computed_at") and expected.pop("computed_at")  # seconds apart at most
    assert sent == expected and sent["due"] != 999
    assert region("post", "/api/v1/progress/rollups", payload)[0] == 409
    assert region("post", "/api/v1/progress/rollups", {**payload, "organization_id": 999_999})[0] == 404
    assert [r["id"] for r in region("get", f"/api/v1/progress/rollups?period={period}")[1]["results"]] == [body["id"]]
    entries = ChangeLog.objects.filter(object_type="rollup", via="api").values_list("action", flat=True)
    assert sorted(entries) == ["rollup_save", "rollup_submit"]
