"""The plan's review flow, revisions, conflicts and change log, through the pages people use."""

import datetime as dt
import re

import pytest
from django.test import Client

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core import crypto
from halfbuilt.core.errors import ConflictError, NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.disposal import services
from halfbuilt.disposal.models import Milestone, Plan, PlanRevision, PlanStatus
from halfbuilt.ledger.models import Project, Stage, Status

FORM = {
    "introduction": "教学楼主体完工，附属工程停建。", "problems": "资金缺口 300 万元。", "method": "resume",
    "measures": "鉴定后续建。", "lead_unit": "东河区教育局", "responsible_person": "李四",
    "responsible_phone": "0472-1234567", "cooperating_units": "东河区财政局、东河区住建局",
    "leader_in_charge": "王副区长", "deadline": "2026-06-30",
    "resume__continuing_entity": "包头某建设集团", "resume__committed_completion_date": "2026-05-31",
    # A section of another method is ignored when it is not the method chosen.
    "demolish__involves_relocation": "on",
}


@pytest.fixture
def project(disposal_projects):
    return disposal_projects["in_scope"]


@pytest.fixture
def client_as(users):
    def make(role):
        client = Client()
        client.force_login(users[role])
        return client
    return make


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_review_flow_end_to_end_with_roles(client_as, project, users):
    unit, department, office = client_as("unit"), client_as("department_baotou"), client_as("office")

    # The unit finds the project in its queue and drafts the plan with the form.
    queue = unit.get("/disposal/")
    assert project.name in queue.content.decode() and "制定方案" in queue.content.decode()
    page = unit.get(f"/disposal/project/{project.pk}/new/")
    assert page.status_code == 200
    body = page.content.decode()
    for label in ("完善手续要素", "复工续建要素", "引导盘活要素", "司法处置要素", "依法拆除要素", "评估鉴定机构",
                  "涉及拆迁安置"):
        assert label in body
    response = unit.post(f"/disposal/project/{project.pk}/new/", FORM)
    plan = Plan.objects.get(project=project)
    assert response.status_code == 302 and response["Location"] == f"/disposal/{plan.pk}/"
    assert plan.status == PlanStatus.DRAFT and plan.facts["continuing_entity"] == "包头某建设集团"
    assert "involves_relocation" not in plan.facts
    project.refresh_from_db()
    assert project.stage == Stage.PLANNING

    unit.post(f"/disposal/{plan.pk}/milestones/", {"title": "完成安全质量鉴定", "due_date": "2026-01-31"})
    assert Milestone.objects.filter(plan=plan, title="完成安全质量鉴定").exists()

    # The department cannot approve a draft; the unit submits.
    department.post(f"/disposal/{plan.pk}/approve/")
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT
    unit.post(f"/disposal/{plan.pk}/submit/", {"comment": "请审核"})
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED
    assert plan.project.name in department.get("/disposal/").content.decode()

    # A return needs a comment; with one, the plan goes back to the unit with it.
    response = department.post(f"/disposal/{plan.pk}/return/", {"comment": "  "}, follow=True)
    assert "退回修改须填写审核意见" in " ".join(messages_of(response))
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED
    department.post(f"/disposal/{plan.pk}/return/", {"comment": "请补充续建方案和资金来源"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.review_comment == "请补充续建方案和资金来源"
    page = unit.get(f"/disposal/{plan.pk}/").content.decode()
    assert "请补充续建方案和资金来源" in page

    # The unit fixes it (the edit form shows its values) and resubmits.
    edit = unit.get(f"/disposal/{plan.pk}/edit/")
    assert "包头某建设集团" in edit.content.decode()
    fixed = {**FORM, "resume__continuation_plan": "加固后续建，资金由区财政安排。", "version": plan.version}
    assert unit.post(f"/disposal/{plan.pk}/edit/", fixed).status_code == 302
    unit.post(f"/disposal/{plan.pk}/submit/", {"version": Plan.objects.get(pk=plan.pk).version})
    department.post(f"/disposal/{plan.pk}/approve/", {"comment": "同意"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert plan.project.name in office.get("/disposal/").content.decode()

    # Only the office confirms; the project moves to disposing and the revision stays 0.
    department.post(f"/disposal/{plan.pk}/confirm/")
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED
    response = office.post(f"/disposal/{plan.pk}/confirm/", {"comment": "同意实施"}, follow=True)
    assert "已确认方案" in " ".join(messages_of(response))
    plan.refresh_from_db()
    project.refresh_from_db()
    assert plan.status == PlanStatus.CONFIRMED and plan.revision == 0
    assert project.stage == Stage.DISPOSING

    # Every step is in the change log, in order, with the comments as reasons.
    actions = list(ChangeLog.objects.filter(object_type="plan", object_id=plan.pk).order_by("id")
                   .values_list("action", "username", "reason"))
    assert [a for a, _, _ in actions] == [
        "plan_create", "plan_submit", "plan_return", "plan_update", "plan_submit", "plan_approve", "plan_confirm",
    ]
    assert actions[2] == ("plan_return", "dept_baotou_jyt", "请补充续建方案和资金来源")
    assert actions[6][1:] == ("office", "同意实施")
    stages = ChangeLog.objects.filter(project_id=project.pk, action="stage").order_by("id")
    assert [e.after["stage"] for e in stages] == [Stage.PLANNING, Stage.DISPOSING]
    # The project page shows the plan panel and the timeline in Chinese.
    page = office.get(f"/ledger/{project.pk}/").content.decode()
    assert "处置方案" in page and "复工续建" in page and "确认处置方案" in page and "退回处置方案" in page
    assert "续建主体" in page


@pytest.fixture
def submitted(project, disposal_make_plan):
    return disposal_make_plan(project, status=PlanStatus.SUBMITTED)


# Who may never take the action (in any state) is told so; who may, but not now, is told the state.
NOT_NOW = "方案当前状态为“待主管部门审核”，不能"


@pytest.mark.parametrize("role,action,message", [
    ("unit", "approve", "您无权审核通过"), ("region", "approve", "您无权审核通过"),
    ("office", "approve", "您无权审核通过"),
    ("unit", "return", "您无权退回修改"), ("office", "confirm", NOT_NOW), ("department", "confirm", "您无权确认方案"),
    ("unit", "submit", NOT_NOW),
])
def test_wrong_role_or_state_is_refused(users, submitted, role, action, message):
    with pytest.raises(ServiceError) as caught:
        services.plan_transition(actor=Actor(user=users[role]), plan=submitted, action=action, comment="意见")
    assert caught.value.message.startswith(message)
    assert isinstance(caught.value, NotAllowed) == message.startswith("您无权")
    submitted.refresh_from_db()
    assert submitted.status == PlanStatus.SUBMITTED
    assert not ChangeLog.objects.filter(object_type="plan").exists()


def test_invisible_plans_do_not_exist_for_the_service(users, disposal_projects, disposal_make_plan):
    plan = disposal_make_plan(disposal_projects["classified"], status=PlanStatus.SUBMITTED)
    with pytest.raises(NotAllowed, match="不存在"):
        services.plan_approve(actor=Actor(user=users["department"]), plan=plan)
    services.plan_approve(actor=Actor(user=users["department_gat"]), plan=plan)
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED


def test_office_may_return_an_approved_plan(users, project, disposal_make_plan):
    plan = disposal_make_plan(project, status=PlanStatus.APPROVED)
    services.plan_return(actor=Actor(user=users["office"]), plan=plan, comment="完成时限过晚")
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.RETURNED


def test_plans_need_a_project_in_the_ledger_and_only_one(users, disposal_projects, make_project, orgs):
    unit = Actor(user=users["unit"])
    candidate = make_project(name="待核实项目", responsible_org=orgs["unit"])
    data = {"method": "demolish", "facts": {"fails_safety": True}, "lead_unit": "单位", "responsible_person": "甲",
            "deadline": dt.date(2026, 1, 1)}
    with pytest.raises(ServiceError, match="纳入台账后才能制定处置方案"):
        services.plan_create(actor=unit, project=candidate, data=data)
    with pytest.raises(ServiceError, match="请填写责任人") as caught:
        services.plan_create(actor=Actor(user=users["region"]), project=disposal_projects["in_scope"],
                             data={**data, "responsible_person": " "})
    assert caught.value.field == "responsible_person"
    services.plan_create(actor=unit, project=disposal_projects["in_scope"], data=data)
    with pytest.raises(ServiceError, match="该项目已有处置方案"):
        services.plan_create(actor=unit, project=disposal_projects["in_scope"], data=data)
    with pytest.raises(NotAllowed, match="由责任单位或属地政府草拟"):
        services.plan_create(actor=Actor(user=users["office"]), project=disposal_projects["elsewhere"], data=data)
    assert Project.objects.get(pk=candidate.pk).status == Status.CANDIDATE


def test_form_errors_name_the_field_and_keep_input(client_as, project):
    unit = client_as("unit")
    bad = {**FORM, "method": "demolish", "demolish__involves_relocation": "on", "demolish__fails_safety": "on"}
    response = unit.post(f"/disposal/project/{project.pk}/new/", bad)
    assert response.status_code == 200
    body = response.content.decode()
    assert "涉及拆迁安置的项目不能采用依法拆除" in body and 'aria-invalid="true"' in body
    assert "包头某建设集团" in body  # what was typed stays
    assert not Plan.objects.exists()
    response = unit.post(f"/disposal/project/{project.pk}/new/", {**FORM, "deadline": "明年"})
    assert response.status_code == 200 and "完成时限" in response.content.decode()


@pytest.fixture
def confirmed(project, disposal_make_plan):
    Project.objects.filter(pk=project.pk).update(stage=Stage.DISPOSING)
    return disposal_make_plan(project, method="revitalise", status=PlanStatus.CONFIRMED,
                              measures="引入社会资本", leader_in_charge="王副区长")


def test_revision_of_people_is_recorded_and_stays_confirmed(client_as, users, confirmed):
    unit = client_as("unit")
    form = unit.get(f"/disposal/{confirmed.pk}/revise/")
    assert form.status_code == 200 and "修订理由" in form.content.decode()
    data = {"method": "revitalise", "measures": "引入社会资本", "lead_unit": "东河区教育局",
            "responsible_person": "赵六", "leader_in_charge": "孙副区长", "deadline": "2026-12-31",
            "revitalise__route": "debt_restructuring", "revitalise__new_funds": "100",
            "revitalise__funds_source": "专项债券", "version": confirmed.version}
    response = unit.post(f"/disposal/{confirmed.pk}/revise/", data)
    assert response.status_code == 200 and "修订理由" in response.content.decode()  # reason required
    assert not PlanRevision.objects.exists()
    response = unit.post(f"/disposal/{confirmed.pk}/revise/", {**data, "reason": "责任人工作调动"}, follow=True)
    assert "已保存第1次修订，方案仍为已确认" in " ".join(messages_of(response))
    confirmed.refresh_from_db()
    assert confirmed.status == PlanStatus.CONFIRMED and confirmed.revision == 1
    assert confirmed.responsible_person == "赵六"
    revision = PlanRevision.objects.get(plan=confirmed)
    assert revision.number == 1 and revision.reason == "责任人工作调动" and revision.changed_by == "unit_school"
    # The history keeps the contact encrypted, as the table does (core/crypto.py).
    assert revision.snapshot["responsible_person"].startswith("sm4:")
    assert crypto.decrypt(revision.snapshot["responsible_person"]) == "张三"
    assert crypto.unseal(revision.changes, {"responsible_person"}) == {
        "responsible_person": ["张三", "赵六"], "leader_in_charge": ["王副区长", "孙副区长"]}
    history = unit.get(f"/disposal/{confirmed.pk}/revisions/").content.decode()
    # The history on the page keeps no contact in full (core/pii.py): the names are masked.
    assert "第1次修订" in history and "责任人工作调动" in history and "张*" in history and "赵*" in history
    assert "张三" not in history
    project_page = unit.get(f"/ledger/{confirmed.project_id}/").content.decode()
    assert "责任人工作调动" in project_page and "修订处置方案" in project_page


def test_revision_of_method_or_deadline_goes_back_to_review(users, confirmed):
    unit, office = Actor(user=users["unit"]), Actor(user=users["office"])
    with pytest.raises(ServiceError, match="须填写修订理由"):
        services.plan_revise(actor=unit, plan=confirmed, data={"deadline": "2027-06-30"}, reason="",
                             version=confirmed.version)
    with pytest.raises(ServiceError, match="须通过“修订方案”"):
        services.plan_update(actor=unit, plan=confirmed, data={"deadline": "2027-06-30"}, version=confirmed.version)
    plan, revision = services.plan_revise(actor=unit, plan=confirmed, data={"deadline": "2027-06-30"},
                                          reason="资金到位推迟", version=confirmed.version)
    assert plan.status == PlanStatus.SUBMITTED and plan.revision == 1
    assert revision.changes == {"deadline": ["2026-12-31", "2027-06-30"]}
    plan = services.plan_approve(actor=Actor(user=users["department"]), plan=plan)
    plan = services.plan_confirm(actor=office, plan=plan)
    assert plan.status == PlanStatus.CONFIRMED and plan.revision == 1
    plan, revision = services.plan_revise(
        actor=unit, plan=plan, reason="无法引入社会资本，改为依法拆除", version=plan.version,
        data={"method": "demolish", "facts": {"fails_planning": True, "site_use_after": "绿地"}},
    )
    assert plan.status == PlanStatus.SUBMITTED and plan.revision == 2 and plan.method == "demolish"
    assert revision.snapshot["method"] == "revitalise" and revision.snapshot["facts"]["route"] == "debt_restructuring"
    assert list(PlanRevision.objects.filter(plan=plan).values_list("number", flat=True)) == [1, 2]
    plan = services.plan_confirm(actor=office, plan=services.plan_approve(actor=Actor(user=users["department"]),
                                                                           plan=plan))
    with pytest.raises(ServiceError, match="没有需要修订的内容"):
        services.plan_revise(actor=unit, plan=plan, data={"method": "demolish"}, reason="无", version=plan.version)
    log = ChangeLog.objects.filter(object_type="plan", action="plan_revise").order_by("id")
    assert [e.reason for e in log] == ["资金到位推迟", "无法引入社会资本，改为依法拆除"]
    assert log[1].before["method"] == "引导盘活" and log[1].after["method"] == "依法拆除"


def test_only_drafters_revise_and_only_confirmed_plans(users, confirmed, project, disposal_projects):
    with pytest.raises(NotAllowed):
        services.plan_revise(actor=Actor(user=users["office"]), plan=confirmed, data={"deadline": "2027-01-01"},
                             reason="调整", version=confirmed.version)
    Plan.objects.filter(pk=confirmed.pk).update(status=PlanStatus.DRAFT)
    with pytest.raises(ServiceError, match="不能修订该方案"):
        services.plan_revise(actor=Actor(user=users["unit"]), plan=confirmed, data={"deadline": "2027-01-01"},
                             reason="调整", version=confirmed.version)


def test_concurrent_edit_is_a_conflict(client_as, users, project, disposal_make_plan):
    plan = disposal_make_plan(project)
    stale = plan.version
    services.plan_update(actor=Actor(user=users["region"]), plan=plan, data={"measures": "先清偿债务"}, version=stale)
    with pytest.raises(ConflictError, match="该方案已被他人修改（当前版本 2，您看到的是版本 1）"):
        services.plan_update(actor=Actor(user=users["unit"]), plan=plan, data={"measures": "另一种措施"},
                             version=stale)
    assert Plan.objects.get(pk=plan.pk).measures == "先清偿债务"
    # On the page: the user's input is kept and the form moves to the saved version.
    data = {**FORM, "method": "revitalise", "revitalise__route": "debt_restructuring", "measures": "我的措施",
            "version": stale}
    response = client_as("unit").post(f"/disposal/{plan.pk}/edit/", data)
    body = response.content.decode()
    assert response.status_code == 200 and "保存未成功" in body and "我的措施" in body
    assert re.search(r'name="version" value="2"', body)
    # A stale review action is refused as well.
    with pytest.raises(ConflictError):
        services.plan_submit(actor=Actor(user=users["unit"]), plan=plan, version=stale)


def test_milestones_met_with_evidence(users, client_as, project, disposal_make_plan, closure_evidence):
    plan = disposal_make_plan(project)
    unit = Actor(user=users["unit"])
    milestone = services.milestone_add(actor=unit, plan=plan, title="签订重组协议", due_date=dt.date(2025, 6, 30))
    with pytest.raises(ServiceError, match="方案确认后才能登记节点完成"):
        services.milestone_meet(actor=unit, milestone=milestone, met_date=dt.date(2025, 6, 1))
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.CONFIRMED)
    with pytest.raises(ServiceError, match="须附佐证材料"):
        services.milestone_meet(actor=unit, milestone=milestone, met_date=dt.date(2025, 6, 1))
    other = closure_evidence(Project.objects.exclude(pk=project.pk).first(), "别的项目.pdf")
    with pytest.raises(ServiceError, match="不属于该项目"):
        services.milestone_meet(actor=unit, milestone=milestone, met_date=dt.date(2025, 6, 1),
                                evidence_ids=[str(other.pk)])
    evidence = closure_evidence(project, "重组协议.pdf")
    response = client_as("unit").post(f"/disposal/milestones/{milestone.pk}/met/",
                                      {"date": "2025-06-01", "evidence_id": str(evidence.pk)})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.met_date == dt.date(2025, 6, 1) and list(milestone.evidence.all()) == [evidence]
    client_as("unit").post(f"/disposal/milestones/{milestone.pk}/", {"title": "签订债务重组协议",
                                                                     "due_date": "2025-07-31"})
    milestone.refresh_from_db()
    assert milestone.title == "签订债务重组协议"
    entries = ChangeLog.objects.filter(object_type="milestone").order_by("id")
    assert [e.action for e in entries] == ["milestone_add", "milestone_meet", "milestone_update"]
    assert entries[1].after["evidence"] == ["重组协议.pdf"]
    page = client_as("office").get(f"/disposal/{plan.pk}/").content.decode()
    assert "重组协议.pdf" in page and "2025-06-01" in page


def test_milestone_evidence_uploaded_through_the_files_service(client_as, project, disposal_make_plan):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = disposal_make_plan(project, status=PlanStatus.CONFIRMED)
    milestone = Milestone.objects.create(plan=plan, title="拆除完成", due_date=dt.date(2025, 6, 30))
    pdf = SimpleUploadedFile("验收报告.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                             content_type="application/pdf")
    response = client_as("unit").post(f"/disposal/milestones/{milestone.pk}/met/",
                                      {"date": "2025-06-01", "evidence": pdf}, follow=True)
    assert "已登记节点" in " ".join(messages_of(response)), messages_of(response)
    assert [a.original_name for a in milestone.evidence.all()] == ["验收报告.pdf"]
    exe = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
    second = Milestone.objects.create(plan=plan, title="场地平整", due_date=dt.date(2025, 7, 30))
    response = client_as("unit").post(f"/disposal/milestones/{second.pk}/met/",
                                      {"date": "2025-06-01", "evidence": exe}, follow=True)
    assert any("照片.jpg" in m for m in messages_of(response)), messages_of(response)
    second.refresh_from_db()
    assert second.met_date is None


def test_queue_lists_only_what_waits_for_me(client_as, users, disposal_projects, disposal_make_plan):
    in_scope = disposal_make_plan(disposal_projects["in_scope"], status=PlanStatus.SUBMITTED)
    elsewhere = disposal_make_plan(disposal_projects["elsewhere"], status=PlanStatus.APPROVED)
    classified = disposal_make_plan(disposal_projects["classified"], status=PlanStatus.SUBMITTED)

    def waiting(role):
        response = client_as(role).get("/disposal/")
        assert response.status_code == 200
        sections = {s["key"]: {r.pk for r in s["rows"]} for s in response.context["sections"]}
        return sections

    assert waiting("department_baotou") == {"to_review": {in_scope.pk}}
    assert waiting("department") == {"to_review": {in_scope.pk}}
    assert waiting("department_gat") == {"to_review": {classified.pk}}
    assert waiting("office") == {"to_confirm": {elsewhere.pk}}
    assert waiting("unit") == {}
    Plan.objects.filter(pk=in_scope.pk).update(status=PlanStatus.RETURNED)
    assert waiting("unit") == {"to_fix": {in_scope.pk}}
    assert waiting("county") == {"to_fix": {in_scope.pk}}
    everything = client_as("office").get("/disposal/?status=approved").content.decode()
    assert disposal_projects["elsewhere"].name in everything
    assert disposal_projects["in_scope"].name not in everything
    assert disposal_projects["classified"].name not in client_as("office").get("/disposal/").content.decode()


def test_docx_download_and_panel_without_plan(client_as, project, disposal_make_plan):
    page = client_as("unit").get(f"/ledger/{project.pk}/").content.decode()
    assert "尚未制定处置方案" in page and f"/disposal/project/{project.pk}/new/" in page
    office_page = client_as("office").get(f"/ledger/{project.pk}/").content.decode()
    assert "尚未制定处置方案" in office_page and f"/disposal/project/{project.pk}/new/" not in office_page
    plan = disposal_make_plan(project)
    response = client_as("office").get(f"/disposal/{plan.pk}/plan.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in response["Content-Disposition"]
    assert response.content[:2] == b"PK"
    again = client_as("unit").get(f"/disposal/project/{project.pk}/new/")
    assert again.status_code == 302 and again["Location"] == f"/disposal/{plan.pk}/"


def test_a_refused_file_leaves_the_milestone_open_and_no_file_stored(users, project, disposal_make_plan, settings):
    from tests.test_orders_evidence import EXE, media_files, pdf

    plan = disposal_make_plan(project)
    unit = Actor(user=users["unit"])
    milestone = services.milestone_add(actor=unit, plan=plan, title="签订重组协议", due_date=dt.date(2025, 6, 30))
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.CONFIRMED)
    with pytest.raises(ServiceError) as caught:
        services.milestone_meet(actor=unit, milestone=milestone, met_date=dt.date(2025, 6, 1),
                                uploads=[pdf("重组协议.pdf"), pdf("程序.pdf", EXE)])
    assert "程序.pdf" in caught.value.message
    milestone.refresh_from_db()
    assert milestone.met_date is None and media_files(settings) == []
