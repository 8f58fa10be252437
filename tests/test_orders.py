"""督办: issue → reply → accept / return, the table per role, visibility, the 文号 sequence, deadlines in working
days, overdue, the ranking, the 督办单 and the change log."""

import datetime as dt
import io

import pytest
import time_machine
from django.db import transaction
from docx import Document

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core import workdays
from halfbuilt.core.errors import ConflictError, NotAllowed, ServiceError
from halfbuilt.ledger.models import Project
from halfbuilt.supervision.orders import documents, selectors
from halfbuilt.supervision.orders.models import SupervisionOrder
from halfbuilt.supervision.orders.workflow import ORDER_FLOW
from tests.orders_helpers import issue, reply, review

BEFORE_NATIONAL_DAY = dt.datetime(2026, 9, 29, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def visible_to(users, order) -> set[str]:
    return {role for role, user in users.items() if SupervisionOrder.objects.restrict(user).filter(pk=order.pk)}


# --- the flow and its table ------------------------------------------------------------------------------------

def test_issue_reply_return_reply_accept(users, projects):
    order = issue(users, project=projects["in_scope"])
    assert order.status == "issued" and order.addressee.name == "东河区第一中学"
    reply(users, order)
    review(users, order, "return", comment="缺少资金到位凭证")
    order.refresh_from_db()
    assert order.status == "returned"
    reply(users, order, measures="补充了资金到位凭证")
    review(users, order, "accept", comment="同意办结")
    order.refresh_from_db()
    assert order.status == "closed" and order.closed_by == "office" and order.closed_at is not None
    assert [(e.kind, e.text) for e in order.events.all()] == [
        ("reply", "已落实资金，十月复工"), ("return", "缺少资金到位凭证"), ("reply", "补充了资金到位凭证"),
        ("accept", "同意办结")]


def test_each_state_allows_each_role_exactly_its_actions(users, projects):
    order = issue(users, project=projects["in_scope"])
    roles = ("office", "department", "department_baotou", "region", "county", "unit")

    def allowed():
        order.refresh_from_db()
        return {role: [t.action for t in ORDER_FLOW.allowed(users[role], order)] for role in roles}

    nobody = dict.fromkeys(roles, [])
    assert allowed() == {**nobody, "unit": ["reply"]}
    reply(users, order)
    assert allowed() == {**nobody, "office": ["accept", "return"]}
    review(users, order, "return", comment="不充分")
    assert allowed() == {**nobody, "unit": ["reply"]}
    reply(users, order)
    review(users, order, "accept")
    assert allowed() == nobody


def test_every_action_writes_one_change_log_entry_on_the_project(users, projects):
    project = projects["in_scope"]
    order = issue(users, project=project)
    reply(users, order)
    review(users, order, "return", comment="不充分")
    reply(users, order)
    review(users, order, "accept")
    entries = ChangeLog.objects.filter(object_type="supervisionorder", object_id=str(order.pk)).order_by("id")
    assert [e.action for e in entries] == ["order_issue", "order_reply", "order_return", "order_reply",
                                            "order_accept"]
    assert {e.project_id for e in entries} == {project.pk}
    assert entries[2].reason == "不充分"


def test_returning_needs_comments_and_changes_nothing_without(users, projects):
    order = issue(users, project=projects["in_scope"])
    reply(users, order)
    with pytest.raises(ServiceError) as refused:
        review(users, order, "return", comment="  ")
    assert refused.value.field == "comment" and "退回意见" in refused.value.message
    order.refresh_from_db()
    assert order.status == "replied" and order.events.count() == 1


# --- the kernel's own-scope mode ---------------------------------------------------------------------------------

def test_invisible_order_answers_as_if_it_did_not_exist(users, projects):
    order = issue(users, project=projects["in_scope"])
    for pk in (order.pk, order.pk + 1000):
        with pytest.raises(NotAllowed) as refused:
            reply(users, pk, role="department_gat")
        assert refused.value.message == "督办不存在，或您无权查看"


def test_who_never_takes_an_action_is_told_no_and_who_may_but_not_now_is_told_the_state(users, projects):
    order = issue(users, project=projects["in_scope"])
    with pytest.raises(NotAllowed) as never:  # the region sees the order and its project, but never reviews it
        review(users, order, "accept", role="region")
    assert "您无权办结（摘牌）" in never.value.message
    with pytest.raises(ServiceError) as not_now:  # the issuer, before any reply
        review(users, order, "accept")
    assert not isinstance(not_now.value, NotAllowed) and "当前状态为“待回复”" in not_now.value.message
    with pytest.raises(ConflictError):  # a stale version changes nothing
        reply(users, order, version=order.version + 5)
    order.refresh_from_db()
    assert order.status == "issued" and order.version == 1


# --- visibility ------------------------------------------------------------------------------------------------------

def test_an_order_on_a_project_is_seen_by_issuer_addressee_office_and_who_sees_the_project(users, projects):
    order = issue(users, role="department_baotou", project=projects["in_scope"])
    assert visible_to(users, order) == {"office", "department", "department_baotou", "region", "county", "unit"}


def test_a_classified_projects_orders_exist_only_for_its_department(users, projects, orgs):
    secret = projects["classified"]
    with pytest.raises(NotAllowed):
        issue(users, role="office", project=secret, addressee=orgs["department_gat"])
    order = issue(users, role="department_gat", project=secret, addressee=orgs["department_gat"])
    assert visible_to(users, order) == {"department_gat"}
    assert [r.organization.name for r in selectors.overdue_ranking(users["office"],
                                                                  today=order.deadline + dt.timedelta(1))] == []


def test_an_order_on_an_organisation_is_seen_by_issuer_addressee_and_office(users, orgs, make_user):
    chifeng_user = make_user("region", orgs["chifeng"])
    order = issue(users, role="office", subject=orgs["chifeng"])
    assert order.addressee == orgs["chifeng"] and order.project is None
    assert visible_to(users, order) == {"office"}
    assert SupervisionOrder.objects.restrict(chifeng_user, "reply").filter(pk=order.pk).exists()


def test_a_department_issues_only_within_its_field_and_region(users, projects, orgs):
    with pytest.raises(NotAllowed) as refused:  # Baotou's education bureau, a Chifeng school
        issue(users, role="department_baotou", project=projects["elsewhere"], addressee=orgs["chifeng"])
    assert refused.value.message == "项目不存在，或您无权查看"
    with pytest.raises(ServiceError) as outside:
        issue(users, role="department_baotou", subject=orgs["chifeng"])
    assert outside.value.field == "subject"
    with pytest.raises(NotAllowed):
        issue(users, role="region", project=projects["in_scope"])


def test_the_addressee_must_be_one_of_the_projects(users, projects, orgs):
    with pytest.raises(ServiceError) as refused:
        issue(users, project=projects["in_scope"], addressee=orgs["chifeng"])
    assert refused.value.field == "addressee"
    assert not SupervisionOrder.objects.exists()


# --- numbers ---------------------------------------------------------------------------------------------------------

@time_machine.travel(BEFORE_NATIONAL_DAY, tick=False)
def test_numbers_run_per_issuer_and_year_without_gaps(users, projects, orgs):
    first = issue(users, project=projects["in_scope"])
    second = issue(users, project=projects["elsewhere"], addressee=orgs["chifeng"])
    by_department = issue(users, role="department", project=projects["in_scope"])
    with pytest.raises(RuntimeError), transaction.atomic():  # an issue rolled back gives its number back
        issue(users, project=projects["in_scope"])
        raise RuntimeError("rolled back after numbering")
    third = issue(users, project=projects["in_scope"])
    assert [first.doc_no, second.doc_no, third.doc_no] == ["内半办督〔2026〕1号", "内半办督〔2026〕2号",
                                                         "内半办督〔2026〕3号"]
    assert by_department.doc_no == "内蒙古自治区教育厅督〔2026〕1号"
    with time_machine.travel(dt.datetime(2027, 1, 4, 10, 0, tzinfo=BEFORE_NATIONAL_DAY.tzinfo), tick=False):
        assert issue(users, project=projects["in_scope"]).doc_no == "内半办督〔2027〕1号"


# --- deadlines and overdue ---------------------------------------------------------------------------------------

def test_working_days_skip_national_day_and_count_the_adjusted_saturday():
    # 2026-09-29 (Tue): 09-30 is day 1; 10-01..10-07 are holidays; 10-08, 10-09, 10-10 (调休 Saturday) and 10-12.
    assert workdays.add_workdays(dt.date(2026, 9, 29), 5) == dt.date(2026, 10, 12)
    assert workdays.add_workdays(dt.date(2026, 9, 30), 1) == dt.date(2026, 10, 8)
    assert workdays.workdays_between(dt.date(2026, 9, 29), dt.date(2026, 10, 12)) == 5


@time_machine.travel(BEFORE_NATIONAL_DAY, tick=False)
def test_a_deadline_is_given_in_working_days_or_as_a_date_and_shown_both_ways(users, projects):
    by_days = issue(users, project=projects["in_scope"], days=5)
    assert (by_days.issued_on, by_days.deadline, by_days.deadline_workdays) == (
        dt.date(2026, 9, 29), dt.date(2026, 10, 12), 5)
    by_date = issue(users, project=projects["in_scope"], days=None, deadline="2026-10-09")
    assert (by_date.deadline, by_date.deadline_workdays) == (dt.date(2026, 10, 9), 3)
    from halfbuilt.supervision.orders.services import deadline_text

    assert deadline_text(by_days) == "2026年10月12日（5个工作日）"


@pytest.mark.parametrize(("fields", "field"), [
    ({"days": None}, "deadline_workdays"),
    ({"days": 5, "deadline": "2026-10-09"}, "deadline_workdays"),
    ({"days": "五"}, "deadline_workdays"),
    ({"days": 0}, "deadline_workdays"),
    ({"days": None, "deadline": "2026-09-29"}, "deadline"),
    ({"days": None, "deadline": "2026/10/09"}, "deadline"),
    ({"reason": " "}, "reason"),
    ({"requirements": "要" * 2001}, "requirements"),
])
@time_machine.travel(BEFORE_NATIONAL_DAY, tick=False)
def test_bad_input_names_its_field_and_writes_nothing(users, projects, fields, field):
    with pytest.raises(ServiceError) as refused:
        issue(users, project=projects["in_scope"], **fields)
    assert refused.value.field == field
    assert not SupervisionOrder.objects.exists() and not ChangeLog.objects.filter(action="order_issue").exists()


def test_overdue_from_the_day_after_the_deadline_until_replied(users, projects):
    with time_machine.travel(BEFORE_NATIONAL_DAY, tick=False):
        order = issue(users, project=projects["in_scope"], days=5)  # due 2026-10-12
    school = Project.objects.filter(pk=order.project_id)
    on_deadline, day_after = dt.date(2026, 10, 12), dt.date(2026, 10, 13)
    assert not SupervisionOrder.objects.overdue(on_deadline).exists()
    assert not school.filter(selectors.overdue_project_ids_q(on_deadline)).exists()
    assert list(SupervisionOrder.objects.overdue(day_after)) == [order]
    assert school.filter(selectors.overdue_project_ids_q(day_after)).exists()
    with time_machine.travel(dt.datetime(2026, 10, 13, 9, 0, tzinfo=BEFORE_NATIONAL_DAY.tzinfo), tick=False):
        order.refresh_from_db()
        assert order.is_overdue
        reply(users, order)
        assert order.events.get().late
        order.refresh_from_db()
        assert not order.is_overdue
    assert not SupervisionOrder.objects.overdue(day_after).exists()


def test_ranking_counts_overdue_orders_by_addressee_most_first_ties_by_name(users, projects, orgs, make_project):
    school = projects["in_scope"]
    another = make_project(name="东河区另一所学校", responsible_org=orgs["county"])
    issue(users, project=projects["elsewhere"], addressee=orgs["chifeng"])
    issue(users, project=projects["elsewhere"], addressee=orgs["chifeng"])
    issue(users, project=school)  # the school
    issue(users, project=another, addressee=orgs["county"])  # 包头市东河区人民政府
    done = issue(users, project=another, addressee=orgs["county"])
    reply(users, done, role="county")  # replied: no longer owed
    late = dt.date.today() + dt.timedelta(days=60)
    rows = [(r.organization.name, r.overdue) for r in selectors.overdue_ranking(users["office"], today=late)]
    # 东 (U+4E1C) sorts before 包 (U+5305): ties in code point order.
    assert rows == [("赤峰市人民政府", 2), ("东河区第一中学", 1), ("包头市东河区人民政府", 1)]
    assert [(r.organization.name, r.overdue) for r in selectors.overdue_ranking(users["region"], today=late)] == [
        ("东河区第一中学", 1), ("包头市东河区人民政府", 1)]


# --- the 督办单 --------------------------------------------------------------------------------------------------

@time_machine.travel(BEFORE_NATIONAL_DAY, tick=False)
def test_the_order_document_has_number_addressee_deadline_and_signature(users, projects):
    order = issue(users, project=projects["in_scope"], listed=True)
    doc = Document(io.BytesIO(documents.build_order_docx(order)))
    lines = [p.text for p in doc.paragraphs if p.text]
    assert lines[0] == "半拉子工程大起底工作领导小组办公室"
    assert lines[1] == "内半办督〔2026〕1号"
    assert lines[2] == "关于对“东河区第一中学教学楼”挂牌督办的通知"
    assert lines[3] == "东河区第一中学："
    assert "停工两年未复工" in lines and "制定复工方案并落实资金" in lines
    assert any("请于2026年10月12日（5个工作日）前" in line for line in lines)
    assert lines[-2:] == ["半拉子工程大起底工作领导小组办公室", "2026年9月29日"]
