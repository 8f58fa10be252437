"""A classified project is cleared by its owning department alone (work plan §三: 涉密项目由各行业主管部门自行起底):
it drafts, confirms, reports, requests and closes, while nobody else ever sees the project."""

import datetime as dt

import pytest

from halfbuilt.closure import services as closure
from halfbuilt.core.errors import NotAllowed
from halfbuilt.core.request_context import Actor
from halfbuilt.disposal import services as disposal
from halfbuilt.ledger.models import Project, Stage
from halfbuilt.progress import periods
from halfbuilt.progress import services as progress

PLAN = {"method": "revitalise", "lead_unit": "自治区公安厅装备财务处", "responsible_person": "李四",
        "deadline": "2026-12-31", "facts": {"route": "debt_restructuring", "new_funds": "300",
                                             "funds_source": "部门预算"}}


@pytest.fixture
def classified(disposal_projects):
    return disposal_projects["classified"]


def test_the_owning_department_takes_its_classified_project_from_plan_to_closure(users, classified,
                                                                                closure_evidence):
    gat = Actor(users["department_gat"])
    plan = disposal.plan_create(actor=gat, project=classified, data=PLAN)
    plan = disposal.plan_submit(actor=gat, plan=plan)
    plan = disposal.plan_approve(actor=gat, plan=plan)
    plan = disposal.plan_confirm(actor=gat, plan=plan)
    assert Project.objects.get(pk=classified.pk).stage == Stage.DISPOSING

    period = periods.shift(periods.current_period(), -1)
    report = progress.report_submit(actor=gat, project=classified, period=period, data={
        "progress": "债务重组协议已签订", "physical_progress": "40", "investment_month": "50"})
    assert report.status == "submitted"

    request = closure.closure_request(
        actor=gat, project=classified, outcome="in_use", outcome_date=dt.date.today() - dt.timedelta(days=1),
        description="已投入使用", evidence_ids=[closure_evidence(classified).pk])
    request = closure.closure_review(actor=gat, request=request, approve=True)
    closure.closure_close(actor=gat, request=request)
    assert Project.objects.get(pk=classified.pk).stage == Stage.CLOSED


@pytest.mark.parametrize("role", ["office", "region", "county", "unit", "department"])
def test_nobody_else_can_draft_a_plan_for_it(users, classified, role):
    with pytest.raises(NotAllowed):
        disposal.plan_create(actor=Actor(users[role]), project=classified, data=PLAN)


def test_the_department_does_not_draft_for_projects_that_are_not_classified(users, disposal_projects):
    with pytest.raises(NotAllowed):
        disposal.plan_create(actor=Actor(users["department"]), project=disposal_projects["in_scope"], data=PLAN)
