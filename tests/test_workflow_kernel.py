"""The workflow kernel: one table per aggregate, one query for the allowed actions, the project locked first,
refusals that say the right thing and reveal nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from halfbuilt.accounts import scope
from halfbuilt.audit.models import ChangeLog
from halfbuilt.closure.workflow import CLOSURE_REVIEW, FOLLOWUP_CHECK
from halfbuilt.core.errors import ConflictError, NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.disposal.models import PlanStatus
from halfbuilt.disposal.workflow import PLAN_REVIEW
from halfbuilt.ledger.models import Project, Status
from halfbuilt.ledger.workflow import PROJECT_STATUS
from halfbuilt.workflow import Transition, Workflow


@pytest.fixture
def plan(disposal_projects, disposal_make_plan):
    return disposal_make_plan(disposal_projects["in_scope"], status=PlanStatus.SUBMITTED)


def test_allowed_actions_of_a_page_take_one_query_whatever_their_number(users, plan):
    """The plan page asks for its buttons, edits and parts at once (the user's roles are read once a request)."""
    reviewer = users["department_baotou"]
    scope.assignments(reviewer)
    with CaptureQueriesContext(connection) as queries:
        allowed = PLAN_REVIEW.allowed(reviewer, plan)
    assert [t.action for t in allowed] == ["approve", "return"]
    assert len(queries) == 1


@pytest.mark.parametrize("role,actions", [
    ("department_baotou", ["approve", "return"]),  # the reviewer
    ("unit", []), ("region", []), ("office", []),  # the plan is with the department
    ("department_gat", []),  # another line: the project is not theirs
])
def test_who_gets_which_buttons_on_a_submitted_plan(users, plan, role, actions):
    assert PLAN_REVIEW.action_names(users[role], plan) == actions


def test_a_transition_locks_the_project_first_then_the_aggregate(users, plan):
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite has no row locks: it serialises whole transactions")
    with CaptureQueriesContext(connection) as queries:
        PLAN_REVIEW.perform(actor=Actor(users["department_baotou"]), obj=plan, action="approve", comment="同意")
    locking = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    assert [sql.split(" FROM ")[1].split()[0].strip('"') for sql in locking] == ["ledger_project", "disposal_plan"]


def test_a_transition_writes_state_version_and_one_log_entry(users, plan):
    done = PLAN_REVIEW.perform(actor=Actor(users["department_baotou"]), obj=plan, action="approve", comment="同意")
    assert done.status == PlanStatus.APPROVED and done.version == plan.version + 1 and done.review_comment == "同意"
    entry = ChangeLog.objects.get(action="plan_approve")
    assert entry.project_id == plan.project_id and entry.reason == "同意"
    assert entry.before["status"] == "待主管部门审核" and entry.after["status"] == "待办公室确认"


def test_what_the_user_may_not_see_answers_as_if_it_did_not_exist(users, plan):
    with pytest.raises(NotAllowed) as caught:
        PLAN_REVIEW.perform(actor=Actor(users["department_gat"]), obj=plan, action="approve")
    missing = PLAN_REVIEW.model.objects.order_by("-pk").first().pk + 1000
    with pytest.raises(NotAllowed) as absent:
        PLAN_REVIEW.perform(actor=Actor(users["department_gat"]), obj=missing, action="approve")
    assert caught.value.message == absent.value.message == "方案不存在，或您无权查看"


def test_a_stale_version_is_a_conflict_and_changes_nothing(users, plan):
    with pytest.raises(ConflictError, match="该方案已被他人修改"):
        PLAN_REVIEW.perform(actor=Actor(users["department_baotou"]), obj=plan, action="approve",
                            version=plan.version - 1 if plan.version > 1 else plan.version + 1)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and not ChangeLog.objects.exists()


def test_rows_that_are_edits_cannot_be_performed_as_transitions(users, plan):
    with pytest.raises(ServiceError, match="未知操作"):
        PLAN_REVIEW.perform(actor=Actor(users["unit"]), obj=plan, action="update")


def test_a_required_comment_is_asked_for_in_the_words_of_the_table(users, projects):
    project = projects["in_scope"]
    with pytest.raises(ServiceError) as caught:
        PROJECT_STATUS.perform(actor=Actor(users["department_baotou"]), obj=project, action="reject")
    assert caught.value.message == "不予认定必须填写理由" and caught.value.field == "reason"
    assert Project.objects.get(pk=project.pk).status == Status.CANDIDATE


def test_a_table_with_two_rows_for_one_state_and_action_is_refused():
    rows = [Transition("a", "go", "b", "view", "走"), Transition("a", "go", "c", "view", "走")]
    with pytest.raises(ValueError, match="two transitions"):
        Workflow(model=Project, transitions=rows, noun="项目", project_field=None)


def test_every_table_names_its_actions_for_the_change_log():
    assert PROJECT_STATUS.log_labels() == {"confirm": "纳入台账", "reject": "不予认定", "void": "作废"}
    assert CLOSURE_REVIEW.log_labels() == {
        "closure_approve": "销号申请审核通过", "closure_return": "退回销号申请", "closure_close": "销号"}
    assert FOLLOWUP_CHECK.log_labels() == {"followup_pass": "回头看核查通过", "followup_fail": "回头看核查未通过"}
    assert set(PLAN_REVIEW.log_labels()) == {"plan_submit", "plan_return", "plan_approve", "plan_confirm"}


def test_an_opening_row_is_announced_like_a_transition_and_nothing_else_is():
    """`opened` sends the kernel's signal for a create its table declares, and refuses a row that is no opening
    one or does not lead to the object's state (a wrong call would notify the wrong people)."""
    from types import SimpleNamespace

    from halfbuilt.closure.models import ClosureRequest, ClosureStatus
    from halfbuilt.closure.workflow import CLOSURE_REVIEW
    from halfbuilt.workflow.signals import transition_performed

    heard = []

    def listen(sender, **kwargs):
        heard.append((sender, kwargs["transition"].action, kwargs["obj"]))

    transition_performed.connect(listen)
    try:
        request = ClosureRequest(status=ClosureStatus.REQUESTED)
        actor = SimpleNamespace(user=None, username="x")
        CLOSURE_REVIEW.opened(actor=actor, obj=request, action="request")
        assert heard == [(ClosureRequest, "request", request)]
        with pytest.raises(ValueError):
            CLOSURE_REVIEW.opened(actor=actor, obj=request, action="approve")
        with pytest.raises(ValueError):
            CLOSURE_REVIEW.opened(actor=actor, obj=ClosureRequest(status=ClosureStatus.APPROVED), action="request")
        assert len(heard) == 1
    finally:
        transition_performed.disconnect(listen)
