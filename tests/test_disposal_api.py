"""/api/v1/plans: the plan's life through the API, with Chinese errors naming the field."""

import json

import pytest
from django.test import Client

from halfbuilt.disposal.models import Plan, PlanStatus
from halfbuilt.ledger.models import Project, Stage


@pytest.fixture
def api_as(users):
    def make(role):
        client = Client()
        client.force_login(users[role])

        def call(method, url, body=None):
            response = getattr(client, method)(url, json.dumps(body) if body is not None else None,
                                               content_type="application/json")
            return response.status_code, response.json()
        return call
    return make


BODY = {"method": "resume", "lead_unit": "东河区教育局", "responsible_person": "张三", "deadline": "2026-12-31",
        "facts": {"continuing_entity": "某建设集团", "committed_completion_date": "2026-10-31"}}


def test_plan_life_through_the_api(api_as, disposal_projects):
    project = disposal_projects["in_scope"]
    unit, dept, office = api_as("unit"), api_as("department"), api_as("office")
    status, plan = unit("post", "/api/v1/plans", {**BODY, "project_id": project.pk})
    assert status == 201, plan
    assert plan["status"] == "draft" and plan["method_label"] == "复工续建" and plan["revision"] == 0
    assert plan["facts"]["continuing_entity"] == "某建设集团" and plan["allowed_actions"] == ["submit"]
    pid = plan["id"]

    status, body = unit("patch", f"/api/v1/plans/{pid}", {"version": plan["version"], "measures": "加固续建"})
    assert status == 200 and body["measures"] == "加固续建" and body["version"] == plan["version"] + 1
    status, body = unit("patch", f"/api/v1/plans/{pid}", {"version": plan["version"], "measures": "旧版本"})
    assert status == 409 and "该方案已被他人修改" in body["detail"]

    assert unit("post", f"/api/v1/plans/{pid}/actions/submit")[0] == 200
    status, body = dept("post", f"/api/v1/plans/{pid}/actions/return", {"comment": ""})
    assert status == 422
    assert body["detail"] == [{"field": "comment", "message": "退回修改须填写审核意见，说明需要修改的内容"}]
    status, body = dept("post", f"/api/v1/plans/{pid}/actions/return", {"comment": "补充评估计划"})
    assert status == 200 and body["status"] == "returned" and body["review_comment"] == "补充评估计划"
    unit("post", f"/api/v1/plans/{pid}/actions/submit")
    status, body = office("post", f"/api/v1/plans/{pid}/actions/confirm")
    assert status == 409 and "不能确认" in body["detail"]
    assert dept("post", f"/api/v1/plans/{pid}/actions/approve", {"comment": "同意"})[0] == 200
    status, body = office("post", f"/api/v1/plans/{pid}/actions/confirm", {"comment": "同意实施"})
    assert status == 200 and body["status"] == "confirmed"
    assert Project.objects.get(pk=project.pk).stage == Stage.DISPOSING

    status, body = unit("post", f"/api/v1/plans/{pid}/revise", {"version": body["version"], "reason": " ",
                                                                "leader_in_charge": "王副区长"})
    assert status == 422 and body["detail"][0]["field"] == "reason"
    current = Plan.objects.get(pk=pid)
    status, body = unit("post", f"/api/v1/plans/{pid}/revise",
                        {"version": current.version, "reason": "工期调整", "deadline": "2027-06-30"})
    assert status == 200 and body["status"] == "submitted" and body["revision"] == 1
    assert body["revisions"][0]["reason"] == "工期调整"
    assert body["revisions"][0]["changes"] == {"deadline": ["2026-12-31", "2027-06-30"]}
    assert body["revisions"][0]["snapshot"]["status"] == "confirmed"

    status, listing = office("get", "/api/v1/plans?status=submitted&count=true")
    assert status == 200 and [p["id"] for p in listing["results"]] == [pid] and listing["count"] == 1
    assert office("get", "/api/v1/plans?status=confirmed")[1]["results"] == []


def test_api_errors_name_the_field(api_as, disposal_projects):
    unit = api_as("unit")
    project = disposal_projects["in_scope"]
    status, body = unit("post", "/api/v1/plans", {
        **BODY, "project_id": project.pk, "method": "demolish", "facts": {"involves_relocation": True},
    })
    assert status == 422
    assert body["detail"][0]["field"] == "facts.involves_relocation"
    assert "涉及拆迁安置" in body["detail"][0]["message"]
    status, body = unit("post", "/api/v1/plans", {**BODY, "project_id": project.pk, "deadline": "2026-02-30"})
    assert status == 422 and body["detail"][0]["field"] == "deadline" and "不是有效日期" in body["detail"][0]["message"]
    status, body = unit("post", "/api/v1/plans", {**BODY, "project_id": project.pk, "status": "confirmed"})
    assert status == 422 and body["detail"][0]["field"] == "status"
    status, body = unit("post", "/api/v1/plans", {
        **BODY, "project_id": project.pk, "method": "revitalise",
        "facts": {"route": "债务重组", "new_funds": -3, "funds_source": "x"},
    })
    assert status == 422 and body["detail"][0] == {"field": "facts.new_funds", "message": "引导盘活·金额不能为负数"}
    assert not Plan.objects.exists()
    status, body = unit("post", "/api/v1/plans", {**BODY, "project_id": disposal_projects["classified"].pk})
    assert status == 404
    assert api_as("office")("get", "/api/v1/plans?status=nonsense")[0] == 400
    assert api_as("office")("get", "/api/v1/plans?method=rebuild")[0] == 400


def test_api_unknown_action_and_detail_parts(api_as, disposal_projects, disposal_make_plan):
    plan = disposal_make_plan(disposal_projects["in_scope"], status=PlanStatus.SUBMITTED)
    dept = api_as("department_baotou")
    status, body = dept("post", f"/api/v1/plans/{plan.pk}/actions/destroy")
    assert status == 404 and "未知操作" in body["detail"]
    plan.milestones.create(title="签订协议", due_date="2026-01-31")
    status, body = dept("get", f"/api/v1/plans/{plan.pk}")
    assert status == 200
    assert body["allowed_actions"] == ["approve", "return"]
    assert body["milestones"][0]["title"] == "签订协议" and body["milestones"][0]["met_date"] is None
    assert body["facts"]["new_funds"] == "100"  # exact decimal as text
