"""按月报送: prefill, validation, due day, late and missing, and milestones met through a report."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.errors import ConflictError, NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.disposal.models import Milestone, Plan
from halfbuilt.ledger.models import Project
from halfbuilt.progress import periods, services
from halfbuilt.progress.models import ProgressReport

BEIJING = dt.timezone(dt.timedelta(hours=8))


def disposing(project, stage="disposing"):
    Project.objects.filter(pk=project.pk).update(status="in_ledger", stage=stage)
    project.refresh_from_db()
    return project


def make_plan(project, **fields):
    defaults = {"method": "revitalise", "lead_unit": "东河区教育局", "responsible_person": "张三",
                "deadline": dt.date(2027, 12, 31), "status": "confirmed"}
    return Plan.objects.create(project=project, **{**defaults, **fields})


def photo(name="现场.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (120, 160, 90)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def unit(users):
    return Actor(users["unit"])


@pytest.fixture
def school(projects):
    return disposing(projects["in_scope"])


def data(**values):
    return {"progress": "主体结构施工", "physical_progress": "30", **values}


PAST = periods.shift(periods.current_period(), -3)
LAST = periods.open_period()
NOW = periods.current_period()


# --- prefill ---------------------------------------------------------------------------------------------

def test_first_report_starts_cumulative_from_the_ledgers_completed_investment(school, unit):
    filled = services.prefill(school, PAST)
    assert filled.previous is None
    assert filled.cumulative_before == Decimal("400")
    assert filled.values["physical_progress"] == 0
    report = services.report_submit(actor=unit, project=school, period=PAST, data=data(investment_month="25.5"))
    assert report.investment_cumulative == Decimal("425.5")
    assert report.investment_month == Decimal("25.5")


def test_form_is_prefilled_from_last_month_and_the_plans_milestones(school, unit):
    plan = make_plan(school)
    due_this_month = Milestone.objects.create(plan=plan, title="完成主体封顶", due_date=periods.first_day(LAST))
    overdue = Milestone.objects.create(plan=plan, title="完成安全鉴定", due_date=periods.first_day(PAST))
    Milestone.objects.create(plan=plan, title="竣工验收", due_date=periods.first_day(NOW) + dt.timedelta(days=40))
    Milestone.objects.create(plan=plan, title="债务重组协议", due_date=periods.first_day(PAST),
                             met_date=periods.first_day(PAST))
    services.report_submit(actor=unit, project=school, period=PAST, data=data(
        physical_progress="35.5", investment_month="100", new_funds="50", problems="资金缺口 300 万元",
        suggestions="申请专项债券"))

    filled = services.prefill(school, LAST)

    assert filled.previous.period == PAST  # the last submitted one, even with a month in between missing
    assert filled.values["physical_progress"] == Decimal("35.5")
    assert filled.values["problems"] == "资金缺口 300 万元"
    assert filled.values["suggestions"] == "申请专项债券"
    assert filled.values["progress"] == "" and filled.values["investment_month"] is None
    assert filled.cumulative_before == Decimal("500")
    assert [m.pk for m in filled.milestones] == [overdue.pk, due_this_month.pk]


def test_a_saved_draft_wins_over_the_prefill_and_stays_a_draft(school, unit):
    services.report_save(actor=unit, project=school, period=LAST, data={"physical_progress": "12", "progress": ""})
    filled = services.prefill(school, LAST)
    assert filled.draft is not None and filled.values["physical_progress"] == Decimal("12")
    assert filled.values["investment_cumulative"] is None  # computed, not an override
    assert ProgressReport.objects.get(project=school, period=LAST).status == "draft"


# --- validation ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("values,field,words", [
    ({"physical_progress": "101"}, "physical_progress", "0 到 100"),
    ({"physical_progress": "-1"}, "physical_progress", "0 到 100"),
    ({"physical_progress": "三成"}, "physical_progress", "不是数字"),
    ({"investment_month": "-5"}, "investment_month", "负数"),
    ({"investment_month": "很多"}, "investment_month", "无法识别"),
    ({"progress": ""}, "progress", "本月进展"),
])
def test_bad_input_is_refused_naming_the_field(school, unit, values, field, words):
    with pytest.raises(ServiceError) as caught:
        services.report_submit(actor=unit, project=school, period=PAST, data=data(**values))
    assert caught.value.field == field and words in caught.value.message
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("period,words", [("2026-13", "格式不正确"), ("26-01", "格式不正确"),
                                          (periods.shift(periods.current_period(), 1), "尚未到来")])
def test_period_must_be_a_month_not_in_the_future(school, unit, period, words):
    with pytest.raises(ServiceError) as caught:
        services.report_submit(actor=unit, project=school, period=period, data=data())
    assert caught.value.field == "period" and words in caught.value.message


def test_money_is_exact_and_units_are_understood(school, unit):
    report = services.report_submit(actor=unit, project=school, period=PAST,
                                    data=data(investment_month="0.1", new_funds="3000元"))
    assert report.investment_month == Decimal("0.1") and report.new_funds == Decimal("0.3")
    assert report.investment_cumulative == Decimal("400.1")


def test_lower_physical_progress_needs_a_reason(school, unit):
    services.report_submit(actor=unit, project=school, period=PAST, data=data(physical_progress="40"))
    with pytest.raises(ServiceError) as caught:
        services.report_submit(actor=unit, project=school, period=LAST, data=data(physical_progress="35"))
    assert caught.value.field == "physical_progress" and "40" in caught.value.message
    report = services.report_submit(actor=unit, project=school, period=LAST,
                                    data=data(physical_progress="35", adjustment_reason="质量鉴定后部分拆除重建"))
    assert report.physical_progress == Decimal("35")
    entry = ChangeLog.objects.get(action="progress_submit", object_id=report.pk)
    assert entry.reason == "质量鉴定后部分拆除重建" and entry.project_id == school.pk


def test_cumulative_is_computed_unless_overridden_with_a_reason(school, unit):
    services.report_submit(actor=unit, project=school, period=PAST, data=data(investment_month="100"))
    with pytest.raises(ServiceError) as caught:
        services.report_submit(actor=unit, project=school, period=LAST,
                               data=data(investment_month="10", investment_cumulative="600"))
    assert caught.value.field == "investment_cumulative" and "500 + 本月 10 = 510" in caught.value.message
    same = services.report_submit(actor=unit, project=school, period=LAST,
                                  data=data(investment_month="10", investment_cumulative="510"))
    assert same.investment_cumulative == Decimal("510")


def test_override_with_reason_is_kept(school, unit):
    report = services.report_submit(actor=unit, project=school, period=PAST, data=data(
        investment_month="10", investment_cumulative="300", adjustment_reason="审计核减已完成投资"))
    assert report.investment_cumulative == Decimal("300")


def test_a_submitted_report_is_final_and_no_earlier_month_after_a_later_one(school, unit):
    services.report_submit(actor=unit, project=school, period=LAST, data=data())
    with pytest.raises(ConflictError):
        services.report_submit(actor=unit, project=school, period=LAST, data=data())
    with pytest.raises(ServiceError) as caught:
        services.report_submit(actor=unit, project=school, period=PAST, data=data())
    assert caught.value.field == "period" and "不能再补报" in caught.value.message


def test_only_projects_in_disposal_and_only_reporters(projects, users, unit):
    planning = disposing(projects["in_scope"], stage="planning")
    with pytest.raises(ServiceError, match="处置中"):
        services.report_submit(actor=unit, project=planning, period=PAST, data=data())
    school = disposing(projects["in_scope"])
    for role in ("office", "department", "department_baotou"):
        with pytest.raises(NotAllowed):
            services.report_submit(actor=Actor(users[role]), project=school, period=PAST, data=data())
    with pytest.raises(NotAllowed):  # the unit does not report for another unit's project
        services.report_submit(actor=unit, project=disposing(projects["elsewhere"]), period=PAST, data=data())
    assert not ProgressReport.objects.exists()


# --- milestones met --------------------------------------------------------------------------------------

def test_milestones_met_are_marked_in_the_plan_with_the_photos_as_evidence(school, unit):
    plan = make_plan(school)
    milestone = Milestone.objects.create(plan=plan, title="完成主体封顶", due_date=periods.first_day(NOW))
    with pytest.raises(ServiceError) as caught:
        services.report_submit(actor=unit, project=school, period=NOW, data=data(milestones_met=[milestone.pk]))
    assert caught.value.field == "milestones_met" and "照片" in caught.value.message
    milestone.refresh_from_db()
    assert milestone.met_date is None and not ProgressReport.objects.exists()

    report = services.report_submit(actor=unit, project=school, period=NOW,
                                    data=data(milestones_met=[milestone.pk]), photos=[photo()])
    milestone.refresh_from_db()
    assert milestone.met_date == timezone.localdate()
    assert list(milestone.evidence.all()) == list(report.photos.all())
    assert report.photos.get().original_name == "现场.jpg"


def test_a_milestone_of_another_project_or_already_met_is_refused(school, unit, projects):
    other = make_plan(disposing(projects["elsewhere"]))
    foreign = Milestone.objects.create(plan=other, title="别人的节点", due_date=periods.first_day(PAST))
    with pytest.raises(ServiceError) as caught:
        services.report_submit(actor=unit, project=school, period=PAST, data=data(milestones_met=[foreign.pk]))
    assert caught.value.field == "milestones_met"


# --- due day, late, missing ------------------------------------------------------------------------------

def test_due_day_is_configurable(settings):
    assert periods.due_date("2026-03") == dt.date(2026, 4, 5)
    settings.PROGRESS_DUE_DAY = 10
    assert periods.due_date("2026-03") == dt.date(2026, 4, 10)
    assert periods.due_date("2026-12") == dt.date(2027, 1, 10)
    settings.PROGRESS_DUE_DAY = 31
    assert periods.due_date("2026-03") == dt.date(2026, 4, 30)  # April has 30 days


def test_late_is_decided_by_the_beijing_date(school, progress_report, settings):
    settings.PROGRESS_DUE_DAY = 5
    on_time = progress_report(school, "2026-03", submitted_at=dt.datetime(2026, 4, 5, 23, 50, tzinfo=BEIJING))
    assert services.report_state(on_time, "2026-03") == "on_time"
    on_time.delete()
    # 00:10 on the 6th in Beijing is still the 5th in UTC: late all the same.
    late = progress_report(school, "2026-03", submitted_at=dt.datetime(2026, 4, 6, 0, 10, tzinfo=BEIJING))
    assert services.report_state(late, "2026-03") == "late"
    settings.PROGRESS_DUE_DAY = 10
    assert services.report_state(late, "2026-03") == "on_time"


def test_missing_pending_and_draft(school, progress_report):
    assert services.report_state(None, PAST) == "missing"
    assert services.report_state(None, NOW) == "pending"
    draft = progress_report(school, NOW, status="draft")
    assert services.report_state(draft, NOW) == "draft"
    assert services.report_state(progress_report(school, PAST, status="draft"), PAST) == "missing"


def test_which_projects_report_for_a_month(projects, make_project, progress_report, orgs):
    school = disposing(projects["in_scope"])
    closing = disposing(make_project(name="销号审核中项目"), stage="closing")
    closed_reported = disposing(make_project(name="已销号且报过"), stage="closed")
    progress_report(closed_reported, PAST, submitted_at=timezone.now())
    disposing(make_project(name="已销号未报"), stage="closed")
    disposing(make_project(name="方案阶段"), stage="planning")
    make_project(name="待核实", stage="disposing")  # not in the ledger
    late_plan = disposing(make_project(name="方案晚于该月"))
    plan = make_plan(late_plan)
    Plan.objects.filter(pk=plan.pk).update(created_at=periods.period_end(PAST) + dt.timedelta(hours=1))
    due = services.due_projects(Project.objects.all(), PAST)
    assert set(due.values_list("name", flat=True)) == {school.name, closing.name, closed_reported.name}
    assert late_plan.name in set(services.due_projects(Project.objects.all(), NOW).values_list("name", flat=True))


# --- nothing partial: a refused photo, or a failure after the photos were stored, leaves no file behind ----------

def test_a_refused_second_photo_leaves_no_file_and_no_report(school, unit, settings):
    from tests.test_orders_evidence import media_files

    bad = SimpleUploadedFile("坏照片.jpg", b"not an image at all" * 10, content_type="image/jpeg")
    with pytest.raises(ServiceError) as caught:
        services.report_submit(actor=unit, project=school, period=NOW, data=data(), photos=[photo(), bad])
    assert "坏照片.jpg" in caught.value.message
    assert not ProgressReport.objects.exists() and media_files(settings) == []


def test_a_failure_after_the_photos_were_stored_deletes_them(school, unit, settings, monkeypatch):
    from tests.test_orders_evidence import media_files

    def broken(**kwargs):
        raise RuntimeError("the change log is down")

    monkeypatch.setattr(services, "record_change", broken)
    with pytest.raises(RuntimeError):
        services.report_submit(actor=unit, project=school, period=NOW, data=data(), photos=[photo()])
    assert media_files(settings) == []
