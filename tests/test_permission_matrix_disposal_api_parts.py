"""Permission matrix of the plan's parts in the API: milestones, missing procedures (完善手续) and the day work
resumed (复工续建) — every route × every role × in-scope / out-of-scope / classified plan.

Same expectations as test_permission_matrix_disposal: the unit and the governments of its region work on the
parts (the owning department for its classified projects); invisible → 404, visible but not allowed → 403.
"""

import datetime as dt

import pytest

from halfbuilt.disposal.models import Milestone, Plan, PlanStatus, Procedure
from tests import test_permission_matrix_disposal as matrix
from tests.test_permission_matrix import OBJECTS, ROLES

DRAFTERS = matrix.DRAFTERS
client_for = matrix.client_for
plans = matrix.plans


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_api_milestone_routes(client_for, plans, closure_evidence, role, obj):
    plan = plans(PlanStatus.CONFIRMED)[obj]
    client = client_for(role)
    response = matrix.api(client, "post", f"/api/v1/plans/{plan.pk}/milestones",
                          {"title": "新节点", "due_date": "2026-03-31"})
    matrix.check_api(response, role, obj, DRAFTERS, Milestone.objects.filter(plan=plan, title="新节点").exists(),
                     ok=201)

    milestone = Milestone.objects.create(plan=plan, title="原节点", due_date=dt.date(2025, 6, 30))
    response = matrix.api(client, "patch", f"/api/v1/plans/milestones/{milestone.pk}",
                          {"title": "改后节点", "due_date": "2025-07-31"})
    matrix.check_api(response, role, obj, DRAFTERS, Milestone.objects.get(pk=milestone.pk).title == "改后节点")

    evidence = closure_evidence(plan.project)
    response = matrix.api(client, "post", f"/api/v1/plans/milestones/{milestone.pk}/met",
                          {"met_date": "2025-06-01", "evidence": [str(evidence.pk)]})
    matrix.check_api(response, role, obj, DRAFTERS, Milestone.objects.get(pk=milestone.pk).met_date is not None)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_api_procedure_routes(client_for, plans, role, obj):
    plan = plans(PlanStatus.CONFIRMED, method="procedures")[obj]
    client = client_for(role)
    response = matrix.api(client, "post", f"/api/v1/plans/{plan.pk}/procedures",
                          {"kind": "land_use", "authority": "自然资源局"})
    matrix.check_api(response, role, obj, DRAFTERS, Procedure.objects.filter(plan=plan, kind="land_use").exists(),
                     ok=201)

    procedure = Procedure.objects.create(plan=plan, kind="fire_acceptance")
    response = matrix.api(client, "post", f"/api/v1/plans/procedures/{procedure.pk}/done",
                          {"done_date": "2025-06-01", "document_no": "东消验字〔2025〕1号"})
    matrix.check_api(response, role, obj, DRAFTERS, Procedure.objects.get(pk=procedure.pk).done_date is not None)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_api_record_resumption(client_for, plans, role, obj):
    plan = plans(PlanStatus.CONFIRMED, method="resume", facts=matrix.RESUME_FACTS)[obj]
    response = matrix.api(client_for(role), "post", f"/api/v1/plans/{plan.pk}/resume", {"date": "2025-04-01"})
    matrix.check_api(response, role, obj, DRAFTERS, "resumed_date" in Plan.objects.get(pk=plan.pk).facts)
