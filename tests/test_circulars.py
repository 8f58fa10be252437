"""通报: create → edit → publish with their change-log entries, the gap-free 文号, figures frozen at publication and
equal to the dashboard's, rankings and their ties, the 红黑榜, one notification per addressee, the documents, who
sees what, and bad input."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from docx import Document
from python_calamine import CalamineWorkbook

from halfbuilt.accounts.models import Organization
from halfbuilt.audit.models import ChangeLog
from halfbuilt.closure.models import ClosureRequest
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project
from halfbuilt.notifications.models import Notification
from halfbuilt.progress import periods
from halfbuilt.progress.models import ProgressReport
from halfbuilt.supervision.circulars import documents, figures, services
from halfbuilt.supervision.circulars.models import Circular
from halfbuilt.supervision.dashboard import cube
from halfbuilt.supervision.dashboard import figures as board
from halfbuilt.supervision.lights.models import Colour, Light
from halfbuilt.supervision.lights.rules import FAR_BEHIND
from tests import world
from tests.test_documents_libreoffice import converts_to_pdf, soffice  # noqa: F401  (the fixture)

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def close(project, when=NOW) -> None:
    Project.objects.filter(pk=project.pk).update(status="in_ledger", stage="closed")
    ClosureRequest.objects.create(project=project, outcome="in_use", outcome_date=when.date(), description="完成",
                                  status="closed", requested_by="unit", closed_by="office", closed_at=when)


@pytest.fixture
def ledger(projects, disposal_make_plan):
    """Baotou: the Donghe school (disposing, plan confirmed, red) and a closed museum; Chifeng: its kindergarten
    and a closed library; Ordos: one project; the classified GAT project red and closed. Office's view: Baotou
    1/2, Chifeng 1/2, Ordos 0/1."""
    p = dict(projects)
    p["museum"] = world.project(name="包头市博物馆", region_id="150202", department_id="WLT", category_id="A08")
    p["library"] = world.project(name="红山区图书馆", region_id="150402", department_id="WLT", category_id="A08")
    p["ordos"] = world.project(name="东胜区学校", region_id="150602")
    Project.objects.filter(pk__in=[x.pk for x in p.values()]).update(status="in_ledger")
    Project.objects.filter(pk=p["in_scope"].pk).update(stage="disposing")
    disposal_make_plan(p["in_scope"], "revitalise", status="confirmed")
    close(p["museum"])
    close(p["library"], NOW - dt.timedelta(days=62))
    close(p["classified"])
    for key in ("in_scope", "classified"):
        Light.objects.create(project=p[key], colour=Colour.RED, reasons=1 << FAR_BEHIND.bit, since=timezone.now())
    cube.rebuild()
    return p


def create(users, **fields):
    data = {"period_kind": "month", "month": "2026-11", **fields}
    return services.create_circular(actor=Actor(users["office"]), **data)


def edit(users, circular, **fields):
    circular.refresh_from_db()
    data = {"title": circular.title, "opening": circular.opening, "findings": circular.findings,
            "requirements": circular.requirements, "top_n": circular.top_n, "ranking": circular.ranking,
            "public": circular.public, "addressees": list(circular.addressees.all()), **fields}
    return services.edit_circular(actor=Actor(users["office"]), circular=circular, **data)


def publish(users, circular):
    return services.publish_circular(actor=Actor(users["office"]), circular=circular)


pytestmark = pytest.mark.usefixtures("_at_now")


@pytest.fixture
def _at_now():
    with time_machine.travel(NOW, tick=False):
        yield


# --- services and the change log -----------------------------------------------------------------------------------

def test_create_edit_publish_each_log_and_the_text_is_prefilled(users, ledger):
    circular = create(users)
    assert circular.title == "关于2026年11月全区“半拉子”工程大起底工作进展情况的通报"
    assert (circular.start, circular.end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 20))
    assert "纳入台账的“半拉子”工程共5个" in circular.findings and "销号率40%" in circular.findings
    assert circular.addressees.filter(name="包头市人民政府").exists()
    assert circular.addressees.filter(name="内蒙古自治区教育厅").exists()
    assert not circular.addressees.filter(name="包头市东河区人民政府").exists()  # counties are not 主送 by default
    edit(users, circular, opening="现将有关情况通报如下。")
    published = publish(users, circular)
    assert published.status == "published" and published.doc_no == "内半办通〔2026〕1号"
    entries = list(ChangeLog.objects.filter(object_id=str(circular.pk), action__startswith="circular_")
                   .order_by("id").values_list("action", "before", "after"))
    assert [e[0] for e in entries] == ["circular_create", "circular_edit", "circular_publish"]
    assert entries[1][1]["opening"] != entries[1][2]["opening"] == "现将有关情况通报如下。"
    assert entries[2][2] == {"circular_status": "已发布", "doc_no": "内半办通〔2026〕1号"}


def test_a_published_circular_is_final(users, ledger):
    circular = publish(users, create(users))
    with pytest.raises(ServiceError, match="不能修改通报"):
        edit(users, circular, opening="改")
    with pytest.raises(ServiceError, match="不能发布通报"):
        publish(users, circular)


def test_only_the_office_creates_edits_and_publishes(users, ledger):
    with pytest.raises(NotAllowed):
        services.create_circular(actor=Actor(users["department"]), period_kind="month", month="2026-11")
    circular = create(users)
    with pytest.raises(NotAllowed):
        services.publish_circular(actor=Actor(users["region"]), circular=circular)
    assert Circular.objects.get(pk=circular.pk).status == "draft"


# --- numbering -----------------------------------------------------------------------------------------------------

def test_numbers_are_gap_free_and_a_failed_publish_gives_its_number_back(users, ledger):
    first = publish(users, create(users))
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(users, create(users))
        raise RuntimeError("rolled back after numbering")
    empty = create(users)
    empty.addressees.clear()
    with pytest.raises(ServiceError, match="主送单位"):
        publish(users, empty)
    second = publish(users, create(users))
    assert [first.doc_no, second.doc_no] == ["内半办通〔2026〕1号", "内半办通〔2026〕2号"]
    assert Circular.objects.get(pk=empty.pk).doc_no == ""
    with time_machine.travel(dt.datetime(2027, 1, 5, 10, 0, tzinfo=NOW.tzinfo), tick=False):
        assert publish(users, create(users, month="2026-12")).doc_no == "内半办通〔2027〕1号"


def test_orders_and_circulars_count_apart(users, ledger):
    from tests.orders_helpers import issue

    order = issue(users, project=ledger["in_scope"])
    assert order.doc_no == "内半办督〔2026〕1号"
    assert publish(users, create(users)).doc_no == "内半办通〔2026〕1号"


# --- figures -------------------------------------------------------------------------------------------------------

def test_figures_equal_the_dashboards_for_the_same_user_and_day(users, ledger):
    for role in ("office", "department", "region"):
        user = users[role]
        data = figures.compute(user, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 20))
        dashboard = board.dashboard(user)
        for mine, theirs in ((data["leagues"], dashboard.leagues), (data["departments"], dashboard.departments)):
            assert sorted((r["key"], r["n"], r["planned"], r["closed"], r["red"], r["rate"]) for r in mine) == sorted(
                (r.key, r.n, r.planned, r.closed, r.red, None if r.rate is None else str(r.rate)) for r in theirs)
        assert (data["totals"]["n"], data["totals"]["closed"]) == (dashboard.total.n, dashboard.closed.n), role
        assert data["totals"]["rate"] == str(dashboard.rate), role


def test_the_period_counts_closures_in_its_months_reports_due_in_it_and_red_lights(users, ledger):
    period = periods.shift(periods.period_of(NOW.date()), -1)  # October's reports, due in November
    due_day = periods.due_date(period)
    ProgressReport.objects.create(
        project=ledger["in_scope"], period=period, progress="复工", physical_progress=Decimal(30),
        investment_month=Decimal(1), investment_cumulative=Decimal(401), new_funds=Decimal(0), status="submitted",
        submitted_at=timezone.make_aware(dt.datetime.combine(due_day, dt.time(9)), NOW.tzinfo))
    data = figures.compute(users["office"], start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 20))
    leagues = {r["name"]: r for r in data["leagues"]}
    assert (leagues["包头市"]["closed_in_period"], leagues["赤峰市"]["closed_in_period"]) == (1, 0)
    baotou = leagues["包头市"]
    assert (baotou["due"], baotou["on_time"], baotou["on_time_rate"]) == (1, 1, "1.000")
    assert leagues["赤峰市"]["on_time_rate"] is None  # nothing due: no rate, not 0
    assert [p["name"] for p in data["red_projects"]] == ["东河区第一中学教学楼"]  # never the classified one
    assert data["red_projects"][0]["reasons"] == ["形象进度严重落后计划进度"]
    assert data["red_projects"][0]["unit"] == "东河区第一中学" and data["red_projects"][0]["region"] == "包头市东河区"
    assert "GAT" not in {r["key"] for r in data["departments"]}


def test_published_figures_stay_frozen_while_a_new_drafts_follow_the_ledger(users, ledger):
    published = publish(users, create(users))
    frozen = Circular.objects.get(pk=published.pk).figures
    close(ledger["ordos"])
    cube.rebuild()
    again = Circular.objects.get(pk=published.pk)
    assert again.figures == frozen and services.figures_of(again, users["office"]) == frozen
    assert frozen["totals"]["closed"] == 2
    draft = create(users)
    assert services.figures_of(draft, users["office"])["totals"]["closed"] == 3


# --- rankings and the 红黑榜 ----------------------------------------------------------------------------------------

def rows(*values):
    return [{"key": key, "name": name, "rate": rate, "red": red} for key, name, rate, red in values]


def test_equal_figures_share_a_rank_and_go_by_name_then_code():
    ranked = figures.rank(rows(("c", "丙", "0.500", 0), ("b", "乙", "0.500", 2), ("a", "甲", "0.900", 1),
                               ("d", "丁", None, 0), ("e", "乙", "0.100", 1)), "rate")
    assert [(r["rank"], r["name"], r["key"]) for r in ranked] == [
        (1, "甲", "a"), (2, "丙", "c"), (2, "乙", "b"), (4, "乙", "e"), (5, "丁", "d")]
    fewer_is_better = figures.rank(rows(("a", "甲", None, 2), ("b", "乙", None, 0), ("c", "丙", None, 0)), "red")
    assert [(r["rank"], r["name"]) for r in fewer_is_better] == [(1, "丙"), (1, "乙"), (3, "甲")]


def test_the_boards_take_the_top_and_bottom_places_ties_included_never_both():
    ranked = figures.rank(rows(*[(k, n, r, 0) for k, n, r in (
        ("a", "甲", "0.9"), ("b", "乙", "0.8"), ("c", "丙", "0.8"), ("d", "丁", "0.5"), ("e", "戊", "0.1"),
        ("f", "己", "0.1"), ("g", "庚", None))]), "rate")
    top, bottom = figures.boards(ranked, "rate", 2)
    assert [r["name"] for r in top] == ["甲", "丙", "乙"]  # 丙 and 乙 share the second place
    assert [r["name"] for r in bottom] == ["己", "戊"]  # worst first; 庚 has no rate and is on neither
    small_top, small_bottom = figures.boards(ranked[:3], "rate", 3)
    assert len(small_top) == 3 and small_bottom == []


def test_the_circular_ranks_by_its_chosen_figure(users, ledger):
    circular = create(users, ranking="red", top_n=1)
    data = services.figures_of(circular, users["office"])
    assert [(r["rank"], r["name"], r["red"]) for r in data["leagues"]] == [
        (1, "赤峰市", 0), (1, "鄂尔多斯市", 0), (3, "包头市", 1)]
    assert [r["name"] for r in data["shame"]["leagues"]] == ["包头市"]


# --- notifications -------------------------------------------------------------------------------------------------

def test_publishing_notifies_each_addressees_people_once(users, ledger, make_user, orgs):
    both = make_user("region", orgs["region"])
    from halfbuilt.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=both, role="department", organization=orgs["department"])
    circular = create(users)
    edit(users, circular, addressees=[orgs["region"], orgs["department"]])
    publish(users, circular)
    told = list(Notification.objects.filter(event="circular_published").values_list("recipient__username",
                                                                                     flat=True))
    assert sorted(told) == sorted([users["region"].username, users["department"].username, both.username])
    assert Notification.objects.get(recipient=users["region"]).url == f"/circulars/{circular.pk}/"


# --- who sees it ---------------------------------------------------------------------------------------------------

def test_drafts_are_the_offices_and_published_ones_their_addressees(users, ledger, orgs):
    circular = create(users)
    edit(users, circular, addressees=[orgs["region"]])

    def seen() -> set[str]:
        return {role for role, user in users.items() if Circular.objects.restrict(user).filter(pk=circular.pk)}

    assert seen() == {"office"}
    publish(users, circular)
    assert seen() == {"office", "region"}


# --- documents -----------------------------------------------------------------------------------------------------

def test_the_docx_holds_number_title_addressees_and_text_and_the_xlsx_the_rankings(users, ledger):
    circular = create(users)
    edit(users, circular, opening="现将十一月情况通报如下。", addressees=list(Organization.objects.filter(
        name__in=["包头市人民政府", "赤峰市人民政府"])))
    circular = publish(users, circular)
    data = circular.figures
    text = "\n".join(p.text for p in Document(io.BytesIO(documents.build_docx(circular, data))).paragraphs)
    for expected in ("内半办通〔2026〕1号", circular.title, "包头市人民政府，赤峰市人民政府：",
                     "现将十一月情况通报如下。", "一、主要情况", "二、工作要求"):
        assert expected in text, expected
    book = CalamineWorkbook.from_filelike(io.BytesIO(documents.build_xlsx(circular, data)))
    assert book.sheet_names == ["概况", "盟市排名", "部门排名", "红黑榜", "红灯项目", "绿色通道超期"]
    leagues = book.get_sheet_by_name("盟市排名").to_python()
    assert [row[:3] for row in leagues[2:]] == [[1, "包头市", 2], [1, "赤峰市", 2], [3, "鄂尔多斯市", 1]]
    red = book.get_sheet_by_name("红灯项目").to_python()
    assert red[2][1:4] == ["东河区第一中学教学楼", "包头市东河区", "东河区第一中学"]


# --- bad input -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("fields", "field"), [
    ({"month": "2026-13"}, "month"),
    ({"month": "2027-01"}, "month"),
    ({"period_kind": "quarter", "quarter": "2026-Q5"}, "quarter"),
    ({"period_kind": "custom", "start": "2026-11-10", "end": "2026-11-01"}, "end"),
    ({"period_kind": "custom", "start": "", "end": "2026-11-01"}, "start"),
    ({"period_kind": "yearly"}, "period_kind"),
    ({"top_n": "三"}, "top_n"),
    ({"top_n": 0}, "top_n"),
    ({"ranking": "money"}, "ranking"),
])
def test_bad_input_names_its_field_and_writes_nothing(users, ledger, fields, field):
    with pytest.raises(ServiceError) as refused:
        create(users, **fields)
    assert refused.value.field == field
    assert not Circular.objects.exists()


def test_a_quarter_and_a_custom_period(users, ledger):
    q = create(users, period_kind="quarter", quarter="2026-q3")
    assert (q.start, q.end) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert q.title.startswith("关于2026年第三季度")
    custom = create(users, period_kind="custom", start="2026-10-15", end="2026-11-14")
    assert "2026年10月15日至2026年11月14日" in custom.title


def test_the_dashboard_shows_the_plan_rate_the_circular_ranks_by(users, ledger, client):
    client.force_login(users["office"])
    body = client.get("/dashboard/").content.decode()
    rates = {r.name: r.plan_rate for r in board.dashboard(users["office"]).leagues}
    # Baotou: the school is being disposed of, the museum closed (both had a plan); Ordos has none.
    assert (rates["包头市"], rates["鄂尔多斯市"]) == (Decimal("1.000"), Decimal("0.000"))
    assert body.count('data-figure="plan_rate">100%') >= 1 and 'data-figure="plan_rate">0%' in body
    data = figures.compute(users["office"], start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 20))
    assert {r["name"]: r["plan_rate"] for r in data["leagues"]}["包头市"] == "1.000"


def test_the_menu_shows_circulars_to_the_office_and_to_an_addressee_once_one_is_published(users, ledger, client,
                                                                                         orgs):
    def has_entry(role) -> bool:
        client.force_login(users[role])
        return 'href="/circulars/"' in client.get("/").content.decode()

    circular = create(users)
    edit(users, circular, addressees=[orgs["region"]])
    assert (has_entry("office"), has_entry("region"), has_entry("county")) == (True, False, False)
    publish(users, circular)
    assert (has_entry("office"), has_entry("region"), has_entry("county")) == (True, True, False)


# --- the pages -----------------------------------------------------------------------------------------------------

def test_the_create_page_names_the_bad_field_and_writes_nothing(users, ledger, client):
    client.force_login(users["office"])
    response = client.post("/circulars/new/", {"period_kind": "month", "month": "2026-13", "top_n": "3",
                                               "ranking": "rate"})
    assert response.status_code == 200
    assert "月份“2026-13”格式不正确" in response.content.decode()
    assert response.context["form"].errors["month"]
    assert not Circular.objects.exists()


def test_the_edit_page_refuses_no_addressee_and_a_stale_version(users, ledger, client):
    circular = create(users)
    client.force_login(users["office"])
    form = {"title": "标题", "opening": "开头", "findings": "情况", "requirements": "要求", "top_n": "3",
            "ranking": "rate", "version": str(circular.version)}
    response = client.post(f"/circulars/{circular.pk}/edit/", form)
    assert response.status_code == 200 and "请至少选择一个主送单位" in response.content.decode()
    edit(users, circular, title="别人改过")
    stale = {**form, "addressees": [circular.addressees.first().pk]}
    response = client.post(f"/circulars/{circular.pk}/edit/", stale)
    assert response.status_code == 200 and "已被他人修改" in response.content.decode()
    assert Circular.objects.get(pk=circular.pk).title == "别人改过"


def test_publishing_from_the_page_shows_the_number_and_the_frozen_figures(users, ledger, client):
    circular = create(users)
    client.force_login(users["office"])
    response = client.post(f"/circulars/{circular.pk}/publish/", {"version": str(circular.version)}, follow=True)
    body = response.content.decode()
    assert "内半办通〔2026〕1号" in body and "发布时已冻结" in body and 'id="leagues"' in body
    assert "发布通报</button>" not in body  # final: no button any more


def test_the_offices_home_counts_its_drafts(users, ledger, client):
    import re

    client.force_login(users["office"])
    assert 'data-queue="circular_drafts"' not in client.get("/").content.decode()  # nothing waiting: not shown
    create(users)
    publish(users, create(users))
    body = client.get("/").content.decode()
    assert re.search(r'data-queue="circular_drafts".*?data-count>1<', body, re.S)


def test_the_documents_open_in_libreoffice(users, ledger, soffice, tmp_path):  # noqa: F811
    circular = publish(users, create(users))
    assert converts_to_pdf(soffice, tmp_path, "通报.docx", documents.build_docx(circular, circular.figures))
    assert converts_to_pdf(soffice, tmp_path, "通报.xlsx", documents.build_xlsx(circular, circular.figures))
