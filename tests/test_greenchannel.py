"""The green channel's services: filing reaches every authority at once, the clocks in working days (Spring
Festival, 调休 Saturdays, the 补正 pause), decisions back into the plan, the request's end, the change log, the
warning light and the ranking."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.greenchannel import clocks, selectors, services
from halfbuilt.greenchannel.models import GreenRequest, Item
from halfbuilt.notifications.models import Notification
from tests import greenchannel_helpers as g

TZ = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), TZ), tick=False)


@pytest.fixture
def world(users, projects, make_user):
    authorities = g.authority_users(make_user)
    plan = g.plan_in_disposal(projects["in_scope"])
    return {"users": users, "projects": projects, "auth": authorities, "plan": plan}


# --- working days ---------------------------------------------------------------------------------------------

def test_a_clock_started_before_spring_festival_skips_the_holiday_and_counts_the_adjusted_saturday():
    # Filed Friday 13 Feb 2026: Saturday 14 Feb is a 调休 workday, 15–23 Feb the Spring Festival holiday.
    assert clocks.first_deadline(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 14)
    assert clocks.first_deadline(dt.date(2026, 2, 13), 5) == dt.date(2026, 2, 27)
    # A plain Saturday is no workday: filed Friday 27 Feb + 1 is Saturday 28 Feb (调休), + 2 is Monday 2 Mar.
    assert clocks.first_deadline(dt.date(2026, 2, 27), 2) == dt.date(2026, 3, 2)
    # National Day 2026: filed Wednesday 30 Sep, 1–7 Oct off, Saturday 10 Oct a 调休 workday.
    assert clocks.first_deadline(dt.date(2026, 9, 30), 3) == dt.date(2026, 10, 10)


def test_filing_reaches_each_authority_at_once_with_its_deadline_in_working_days(world):
    with at(dt.date(2026, 2, 13)):
        request = g.file(world["users"]["unit"], world["projects"]["in_scope"])
    planning, fire = g.item_of(request, "planning_permit"), g.item_of(request, "fire_acceptance")
    assert planning.authority.name == g.AUTHORITIES["zrzy"] and fire.authority.name == g.AUTHORITIES["xf"]
    # 规划许可 10 working days, 消防验收 15, from Friday 13 Feb: Saturdays 14 and 28 Feb count, 15–23 Feb not.
    assert planning.deadline == dt.date(2026, 3, 5)
    assert fire.deadline == dt.date(2026, 3, 12)
    assert planning.plan_procedure.kind == "planning_permit" and fire.plan_procedure.kind == "fire_acceptance"
    assert set(Notification.objects.filter(event="green_item_received").values_list("recipient__username",
                                                                                    flat=True)) == {"auth_zrzy",
                                                                                                   "auth_xf"}
    entry = ChangeLog.objects.get(action="green_request_file")
    assert entry.project_id == world["projects"]["in_scope"].pk and "消防验收" in entry.after["items"]


def test_the_proposal_is_the_plans_procedures_not_done(world):
    proposed = {t.code for t in services.proposed(world["projects"]["in_scope"])}
    assert proposed == {"planning_permit", "fire_acceptance"}


def test_supplement_stops_the_clock_until_the_unit_supplies_what_is_missing(world):
    unit, zrzy = world["users"]["unit"], world["auth"]["zrzy"]
    with at(dt.date(2026, 2, 10)):  # Tuesday: 10 working days
        request = g.file(unit, world["projects"]["in_scope"], ["planning_permit"])
    item = g.item_of(request, "planning_permit")
    with at(dt.date(2026, 2, 12)):  # 2 working days used
        services.act(actor=g.actor(zrzy), item=item, action="accept")
        services.act(actor=g.actor(zrzy), item=item, action="supplement", comment="缺少建设工程设计方案总平面图")
    item.refresh_from_db()
    assert item.status == "supplement" and item.used == 2 and item.missing.startswith("缺少")
    with at(dt.date(2026, 3, 20)):  # weeks later: still paused, never overdue
        clock = clocks.clock_of(item)
        assert not clock.running and not clock.overdue and clock.remaining == 8
        assert not Item.objects.filter(selectors.overdue_q()).exists()
    assert Notification.objects.filter(event="green_item_supplement", recipient=unit).exists()
    with at(dt.date(2026, 2, 13)):  # supplied on Friday 13 Feb: 8 days left, across Spring Festival and the
        # two 调休 Saturdays (14 and 28 Feb)
        services.supply(actor=g.actor(unit), item=item, note="已补充总平面图", uploads=[g.pdf("总平面图.pdf")])
        item.refresh_from_db()
        assert item.status == "processing" and item.deadline == dt.date(2026, 3, 3)
        assert clocks.clock_of(item).remaining == 8
    assert item.events.get(action="supply").files.count() == 1


def test_done_marks_the_plans_procedure_and_the_last_decision_ends_the_request(world):
    unit, zrzy, xf = world["users"]["unit"], world["auth"]["zrzy"], world["auth"]["xf"]
    request = g.file(unit, world["projects"]["in_scope"])
    planning, fire = g.item_of(request, "planning_permit"), g.item_of(request, "fire_acceptance")
    today = timezone.localdate()
    services.complete(actor=g.actor(zrzy), item=planning, doc_no="建字第150202202600012号", done_on=today,
                      document=g.pdf())
    procedure = planning.plan_procedure
    procedure.refresh_from_db()
    assert procedure.done_date == today and procedure.document_no == "建字第150202202600012号"
    assert ChangeLog.objects.filter(action="procedure_done", project_id=request.project_id).exists()
    request.refresh_from_db()
    assert request.status == "open"
    services.refuse(actor=g.actor(xf), item=fire, reason="主体结构未完工，不具备验收条件",
                    legal_basis="《建设工程消防设计审查验收管理暂行规定》第二十七条")
    request.refresh_from_db()
    assert request.status == "concluded" and request.concluded_on == today
    fire.plan_procedure.refresh_from_db()
    assert fire.plan_procedure.done_date is None  # refused: the plan's procedure stays to do
    assert Notification.objects.filter(event="green_request_done", recipient=unit).exists()
    assert ChangeLog.objects.filter(action="green_request_conclude").exists()


def test_a_decision_needs_its_document_number_document_reason_and_basis(world):
    request = g.file(world["users"]["unit"], world["projects"]["in_scope"])
    planning, fire = g.item_of(request, "planning_permit"), g.item_of(request, "fire_acceptance")
    zrzy, xf = g.actor(world["auth"]["zrzy"]), g.actor(world["auth"]["xf"])
    with pytest.raises(ServiceError, match="批准文号"):
        services.complete(actor=zrzy, item=planning, doc_no=" ", done_on=timezone.localdate(), document=g.pdf())
    with pytest.raises(ServiceError, match="批准文件"):
        services.complete(actor=zrzy, item=planning, doc_no="建字1号", done_on=timezone.localdate())
    with pytest.raises(ServiceError, match="法律依据"):
        services.refuse(actor=xf, item=fire, reason="不具备条件", legal_basis="")
    with pytest.raises(ServiceError, match="需补正的材料"):
        services.act(actor=xf, item=fire, action="supplement", comment="")
    planning.refresh_from_db()
    assert planning.status == "pending" and not ChangeLog.objects.filter(action__startswith="green_item").exists()


def test_an_authority_acts_only_on_its_own_items_and_sees_no_other(world):
    request = g.file(world["users"]["unit"], world["projects"]["in_scope"])
    planning, fire = g.item_of(request, "planning_permit"), g.item_of(request, "fire_acceptance")
    zrzy = world["auth"]["zrzy"]
    assert set(Item.objects.restrict(zrzy)) == {planning}
    assert set(Item.objects.restrict(world["auth"]["chifeng_zrzy"])) == set()
    with pytest.raises(NotAllowed, match="不存在"):
        services.act(actor=g.actor(zrzy), item=fire, action="accept")
    with pytest.raises(NotAllowed):
        services.act(actor=g.actor(world["users"]["unit"]), item=planning, action="accept")
    from halfbuilt.ledger.models import Project

    assert set(Project.objects.restrict(zrzy)) == {world["projects"]["in_scope"]}
    assert set(GreenRequest.objects.restrict(world["auth"]["chifeng_zrzy"])) == set()


def test_filing_is_refused_for_classified_projects_for_strangers_and_twice(world, users):
    from tests.greenchannel_helpers import plan_in_disposal

    classified = world["projects"]["classified"]
    plan_in_disposal(classified)
    with pytest.raises(ServiceError, match="涉密"):
        g.file(users["department_gat"], classified)
    with pytest.raises(NotAllowed, match="不存在"):
        g.file(users["unit"], classified)
    with pytest.raises(NotAllowed, match="责任单位"):
        g.file(users["office"], world["projects"]["in_scope"])
    g.file(users["unit"], world["projects"]["in_scope"], ["planning_permit"])
    with pytest.raises(ServiceError, match="不能重复申请"):
        g.file(users["region"], world["projects"]["in_scope"], ["planning_permit"])
    with pytest.raises(ServiceError, match="不存在或已停用"):
        g.file(users["unit"], world["projects"]["in_scope"], ["no_such_thing"])
    assert GreenRequest.objects.count() == 1


def test_an_overdue_item_turns_the_light_red_and_ranks_its_authority(world):
    from halfbuilt.supervision.lights.models import Colour, Light, LightReason
    from halfbuilt.supervision.lights.recompute import recompute

    project = world["projects"]["in_scope"]
    request = g.file(world["users"]["unit"], project)
    planning = g.item_of(request, "planning_permit")
    late = timezone.make_aware(dt.datetime.combine(planning.deadline + dt.timedelta(days=1), dt.time(12)))
    recompute(now=late)
    assert LightReason.objects.filter(project=project, code="green_item_overdue").exists()
    assert Light.objects.get(project=project).colour == Colour.RED
    ranking = selectors.overdue_ranking(world["users"]["office"], today=late.date())
    assert [r.organization.name for r in ranking][0] == g.AUTHORITIES["zrzy"]
    services.act(actor=g.actor(world["auth"]["zrzy"]), item=planning, action="supplement", comment="缺图纸")
    recompute(now=late)
    assert not LightReason.objects.filter(project=project, code="green_item_overdue").exists()


def test_a_joint_review_records_a_conclusion_per_item(world):
    request = g.file(world["users"]["unit"], world["projects"]["in_scope"])
    planning = g.item_of(request, "planning_permit")
    review = services.record_review(actor=g.actor(world["users"]["office"]), request=request,
                                    held_on=timezone.localdate(), attendees="自然资源局、消防救援大队",
                                    conclusions={planning.pk: "同意容缺受理，限期补齐"})
    assert review.conclusions.get().item == planning
    with pytest.raises(NotAllowed):
        services.record_review(actor=g.actor(world["users"]["unit"]), request=request,
                               held_on=timezone.localdate(), attendees="x", conclusions={planning.pk: "y"})
    with pytest.raises(ServiceError, match="至少填写"):
        services.record_review(actor=g.actor(world["users"]["office"]), request=request,
                               held_on=timezone.localdate(), attendees="x", conclusions={planning.pk: " "})


def test_the_office_edits_a_time_limit_and_new_requests_use_it(world):
    services.update_procedure(actor=g.actor(world["users"]["office"]), procedure="planning_permit",
                              time_limit="3", active=True)
    with pytest.raises(ServiceError, match="办理时限"):
        services.update_procedure(actor=g.actor(world["users"]["office"]), procedure="planning_permit",
                                  time_limit="三天", active=True)
    with pytest.raises(NotAllowed):
        services.update_procedure(actor=g.actor(world["users"]["unit"]), procedure="planning_permit",
                                  time_limit="30", active=True)
    with at(dt.date(2026, 2, 13)):
        request = g.file(world["users"]["unit"], world["projects"]["in_scope"], ["planning_permit"])
    assert g.item_of(request, "planning_permit").deadline == dt.date(2026, 2, 25)


def test_the_ledger_has_one_row_per_item_with_the_working_days_used_and_the_summary_names_each(world):
    import io

    from docx import Document
    from openpyxl import load_workbook

    from halfbuilt.greenchannel import documents

    with at(dt.date(2026, 2, 10)):
        request = g.file(world["users"]["unit"], world["projects"]["in_scope"])
    planning = g.item_of(request, "planning_permit")
    with at(dt.date(2026, 2, 26)):  # 2/11 2/12 2/13 2/14(调休) 2/24 2/25 2/26: 7 working days
        services.complete(actor=g.actor(world["auth"]["zrzy"]), item=planning, doc_no="=HYPERLINK(1)",
                          done_on=dt.date(2026, 2, 26), document=g.pdf())
        planning.refresh_from_db()
        assert clocks.clock_of(planning).text() == "办理完毕，用时 7 个工作日"
        sheet = load_workbook(io.BytesIO(documents.ledger_xlsx(selectors.items(world["users"]["office"])))).active
        rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=3)]
        word = Document(io.BytesIO(documents.request_docx(request, list(request.items.all()))))
    assert len(rows) == 2
    done = next(r for r in rows if r[4] == "建设工程规划许可证")
    assert done[5] == g.AUTHORITIES["zrzy"] and done[6] == "2026-02-10" and done[10] == "2026-02-26"
    assert done[11] == "=HYPERLINK(1)" and done[12] == 7  # text stays text, never a formula
    fire = next(r for r in rows if r[4] == "消防验收")
    assert fire[8] == "2026-03-09" and fire[12] == 7 and fire[13] == 8
    cells = " ".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    assert "建设工程规划许可证" in cells and "消防验收" in cells and "=HYPERLINK(1)" in cells


def test_every_page_an_item_appears_on_shows_its_deadline_and_days_left(world, client):
    with at(dt.date(2026, 2, 10)):
        request = g.file(world["users"]["unit"], world["projects"]["in_scope"])
        client.force_login(world["users"]["unit"])
        pages = [f"/green/{request.pk}/", "/green/", f"/ledger/{request.project_id}/",
                 f"/green/items/{g.item_of(request, 'planning_permit').pk}/"]
        for path in pages:
            html = client.get(path).content.decode()
            assert "2026-03-02" in html and "剩余 10 个工作日" in html, path


def test_the_api_files_with_documents_uploaded_before_and_names_a_foreign_one(world, client, closure_evidence):
    unit, project = world["users"]["unit"], world["projects"]["in_scope"]
    mine, foreign = closure_evidence(project, "申请表.pdf"), closure_evidence(world["projects"]["elsewhere"])
    client.force_login(unit)
    refused = client.post("/api/v1/green/requests", {"project_id": project.pk, "procedures": ["planning_permit"],
                                                     "documents": [str(foreign.pk)]}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "documents"
    assert not GreenRequest.objects.exists()
    made = client.post("/api/v1/green/requests", {"project_id": project.pk, "procedures": ["planning_permit"],
                                                  "documents": [str(mine.pk)]}, content_type="application/json")
    assert made.status_code == 201 and made.json()["items"][0]["remaining_workdays"] == 10
    assert list(GreenRequest.objects.get().documents.all()) == [mine]


def test_a_circulars_figures_rank_the_authorities_by_overdue_items(world):
    import io

    from docx import Document

    from halfbuilt.progress import periods
    from halfbuilt.supervision.circulars import documents, tables
    from halfbuilt.supervision.circulars import services as circulars

    with at(dt.date(2026, 2, 10)):
        request = g.file(world["users"]["unit"], world["projects"]["in_scope"])
    late = g.item_of(request, "planning_permit").deadline + dt.timedelta(days=1)
    with at(late):
        office = g.actor(world["users"]["office"])
        circular = circulars.create_circular(actor=office, period_kind="month", month=periods.period_of(late))
        data = circulars.figures_of(circular, world["users"]["office"])
        word = Document(io.BytesIO(documents.build_docx(circular, data)))
    # 消防验收 (15 working days) is not late yet: only 自然资源局 ranks.
    assert data["green_overdue"] == [{"rank": 1, "name": g.AUTHORITIES["zrzy"], "overdue": 1, "open": 1}]
    assert tables.green_cells({}) == []  # a circular frozen before the green channel has no such figure
    assert g.AUTHORITIES["zrzy"] in " ".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    from django.test import Client

    client = Client()
    client.force_login(world["users"]["office"])
    with at(late):
        page = client.get(f"/circulars/{circular.pk}/").content.decode()
    assert 'id="green-overdue"' in page and g.AUTHORITIES["zrzy"] in page


def test_a_refused_second_file_refuses_the_filing_and_leaves_no_file_stored(world, settings):
    from tests.test_orders_evidence import EXE, media_files, pdf

    with pytest.raises(ServiceError) as caught:
        g.file(world["users"]["unit"], world["projects"]["in_scope"],
               uploads=[pdf("申请表.pdf"), pdf("程序.pdf", EXE)])
    assert "程序.pdf" in caught.value.message
    assert not GreenRequest.objects.exists() and media_files(settings) == []


def test_a_failure_after_the_files_were_stored_deletes_them(world, settings, monkeypatch):
    from tests.test_orders_evidence import media_files, pdf

    def broken(**kwargs):
        raise RuntimeError("the change log is down")

    monkeypatch.setattr(services, "record_change", broken)
    with pytest.raises(RuntimeError):
        g.file(world["users"]["unit"], world["projects"]["in_scope"], uploads=[pdf("申请表.pdf")])
    assert not GreenRequest.objects.exists() and media_files(settings) == []
