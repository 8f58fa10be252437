"""Each disposal method's facts and rules (work plan §四（二）1–5), through the services a user's action calls."""

import datetime as dt
from decimal import Decimal

import pytest

from halfbuilt.core.errors import ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.disposal import methods, services
from halfbuilt.disposal.models import Plan, PlanStatus, ProcedureKind

COMMON = {"lead_unit": "东河区教育局", "responsible_person": "张三", "deadline": dt.date(2026, 12, 31)}


@pytest.fixture
def unit(users):
    return Actor(user=users["unit"])


@pytest.fixture
def project(disposal_projects):
    return disposal_projects["in_scope"]


def create(actor, project, method, facts):
    return services.plan_create(actor=actor, project=project, data={**COMMON, "method": method, "facts": facts})


def confirmed(plan: Plan) -> Plan:
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.CONFIRMED)
    plan.refresh_from_db()
    return plan


# --- 复工续建 ---------------------------------------------------------------------------------------

APPRAISAL = {"appraisal_date": "2025-03-01", "appraisal_agency": "内蒙古建筑工程质量检测中心",
             "appraisal_conclusion": "合格"}
AUTHORITY = {"authority_confirmed_by": "东河区住房和城乡建设局", "authority_confirmed_date": "2025-03-10"}
ENTITY = {"continuing_entity": "包头某建设集团", "committed_completion_date": "2026-09-30"}


def test_resume_cannot_start_without_the_appraisal(unit, project):
    plan = confirmed(create(unit, project, "resume", ENTITY))
    with pytest.raises(ServiceError, match="未经安全质量评估鉴定，不能复工续建") as caught:
        services.record_resumption(actor=unit, plan=plan, date=dt.date(2025, 4, 1))
    assert caught.value.field == "facts.appraisal_date"
    plan.refresh_from_db()
    assert "resumed_date" not in plan.facts


def test_resume_cannot_start_without_the_authority_confirmation(unit, project):
    plan = confirmed(create(unit, project, "resume", {**ENTITY, **APPRAISAL}))
    with pytest.raises(ServiceError, match="尚未经施工主管部门确认"):
        services.record_resumption(actor=unit, plan=plan, date=dt.date(2025, 4, 1))


def test_resume_cannot_start_after_a_failed_appraisal(unit, project):
    facts = {**ENTITY, **APPRAISAL, **AUTHORITY, "appraisal_conclusion": "不合格"}
    plan = confirmed(create(unit, project, "resume", facts))
    with pytest.raises(ServiceError, match="结论为“不合格”"):
        services.record_resumption(actor=unit, plan=plan, date=dt.date(2025, 4, 1))


def test_resume_starts_after_passing_appraisal_and_confirmation(unit, project):
    plan = confirmed(create(unit, project, "resume", {**ENTITY, **APPRAISAL, **AUTHORITY,
                                                       "appraisal_conclusion": "基本合格"}))
    with pytest.raises(ServiceError, match="不能早于施工主管部门确认日期"):
        services.record_resumption(actor=unit, plan=plan, date=dt.date(2025, 3, 5))
    services.record_resumption(actor=unit, plan=plan, date=dt.date(2025, 4, 1))
    plan.refresh_from_db()
    assert plan.facts["resumed_date"] == "2025-04-01"
    assert plan.facts["appraisal_conclusion"] == "basically_qualified"
    # The date the system recorded survives a later edit of the facts (it is not the form's to change).
    services.plan_update(actor=unit, plan=plan, version=plan.version,
                         data={"facts": {**ENTITY, **APPRAISAL, **AUTHORITY, "continuation_plan": "先加固后续建"}})
    plan.refresh_from_db()
    assert plan.facts["resumed_date"] == "2025-04-01"
    assert ("复工日期", "2025-04-01") in methods.fact_rows(plan)


def test_resume_before_the_plan_is_confirmed_is_refused(unit, project):
    plan = create(unit, project, "resume", {**ENTITY, **APPRAISAL, **AUTHORITY})
    with pytest.raises(ServiceError, match="确认后才能复工续建"):
        services.record_resumption(actor=unit, plan=plan, date=dt.date(2025, 4, 1))


def test_resume_appraisal_must_be_complete_and_before_the_confirmation(unit, project):
    with pytest.raises(ServiceError, match="缺“评估鉴定机构”") as caught:
        create(unit, project, "resume", {"appraisal_date": "2025-03-01", "appraisal_conclusion": "合格"})
    assert caught.value.field == "facts.appraisal_agency"
    with pytest.raises(ServiceError, match="不能早于评估鉴定日期"):
        create(unit, project, "resume", {**APPRAISAL, **AUTHORITY, "authority_confirmed_date": "2025-02-01"})
    with pytest.raises(ServiceError, match="评估鉴定结论“优秀”无效"):
        create(unit, project, "resume", {**APPRAISAL, "appraisal_conclusion": "优秀"})
    assert not Plan.objects.exists()


@pytest.mark.parametrize("missing", ["continuing_entity", "committed_completion_date"])
def test_office_cannot_confirm_resume_without_entity_and_completion_date(users, unit, project, missing):
    facts = {k: v for k, v in ENTITY.items() if k != missing}
    plan = create(unit, project, "resume", facts)
    plan = services.plan_submit(actor=unit, plan=plan)
    plan = services.plan_approve(actor=Actor(user=users["department"]), plan=plan)
    label = methods.METHODS["resume"].field(missing).label
    with pytest.raises(ServiceError, match=f"须填写“{label}”"):
        services.plan_confirm(actor=Actor(user=users["office"]), plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


# --- 依法拆除 ---------------------------------------------------------------------------------------

def test_demolish_refused_when_relocation_is_involved(unit, project):
    with pytest.raises(ServiceError, match="涉及拆迁安置的项目不能采用依法拆除") as caught:
        create(unit, project, "demolish", {"involves_relocation": True, "fails_safety": True})
    assert caught.value.field == "facts.involves_relocation"
    assert not Plan.objects.exists()
    project.refresh_from_db()
    assert project.stage == ""  # nothing partial: the stage did not move either


def test_demolish_refused_when_no_condition_holds(unit, project):
    with pytest.raises(ServiceError, match="须至少符合一项拆除条件：无法补齐建设手续、不符合现行规划"):
        create(unit, project, "demolish", {"involves_relocation": False, "demolition_date": "2026-05-01"})


def test_demolish_with_a_condition_records_date_and_site_use(unit, project):
    plan = create(unit, project, "demolish", {"fails_planning": "是", "demolition_date": "2026年5月1日",
                                              "site_use_after": "社区公园"})
    assert plan.facts["fails_planning"] is True and plan.facts["involves_relocation"] is False
    assert plan.facts["demolition_date"] == "2026-05-01"
    # A later edit cannot slip relocation in either.
    with pytest.raises(ServiceError, match="涉及拆迁安置"):
        services.plan_update(actor=unit, plan=plan, version=plan.version,
                             data={"facts": {"fails_planning": True, "involves_relocation": True}})


# --- 司法处置 ---------------------------------------------------------------------------------------

def test_judicial_auction_needs_an_extinct_developer(unit, project):
    with pytest.raises(ServiceError, match="依法拍卖仅适用于开发建设单位主体已灭失") as caught:
        create(unit, project, "judicial", {"route": "拍卖", "court": "包头市中级人民法院"})
    assert caught.value.field == "facts.developer_extinct"


def test_judicial_auction_proceeds_go_to_the_projects_debts(unit, project):
    plan = create(unit, project, "judicial", {"route": "auction", "developer_extinct": True,
                                              "court": "包头市中级人民法院", "case_number": "（2025）内02执123号"})
    assert plan.facts["proceeds_to_debts"] is True
    assert ("拍卖所得用途", "用于处置该项目已发生债务") in methods.fact_rows(plan)
    services.plan_update(actor=unit, plan=plan, version=plan.version,
                         data={"facts": {"route": "mediation", "court": "东河区人民法院"}})
    plan.refresh_from_db()
    assert "proceeds_to_debts" not in plan.facts
    assert methods.display_value(methods.METHODS["judicial"].field("route"), plan.facts["route"]) == "人民调解+司法确认"


def test_judicial_plan_cannot_be_submitted_without_route_and_court(unit, project):
    plan = create(unit, project, "judicial", {"case_number": "（2025）内0202民初1号"})
    with pytest.raises(ServiceError, match="须填写“司法处置途径”；.*须填写“法院”"):
        services.plan_submit(actor=unit, plan=plan)


# --- 引导盘活 ---------------------------------------------------------------------------------------

def test_revitalise_money_is_exact(unit, project):
    plan = create(unit, project, "revitalise", {
        "route": "社会资本合作", "counterparties": "包头某投资公司、某银行", "new_funds": "1234.5678万元",
        "funds_source": "社会资本",
    })
    assert plan.facts["new_funds"] == "1234.5678"
    assert Decimal(plan.facts["new_funds"]) == Decimal("1234.5678")
    assert plan.facts["counterparties"] == ["包头某投资公司", "某银行"]
    plan = services.plan_update(actor=unit, plan=plan, version=plan.version,
                                data={"facts": {"route": "financial_instruments", "new_funds": "0.1",
                                                "funds_source": "政策性开发性金融工具"}})
    assert plan.facts["new_funds"] == "0.1"  # not 0.1000000000000000055511151231257827
    assert ("新增资金（万元）", "0.1万元") in methods.fact_rows(plan)


@pytest.mark.parametrize("amount,message", [
    ("-5", "金额不能为负数"), ("很多", "无法识别"), ("NaN", "无法识别"), (True, "金额应为数字"),
])
def test_revitalise_money_refuses_bad_amounts(unit, project, amount, message):
    with pytest.raises(ServiceError, match=message) as caught:
        create(unit, project, "revitalise", {"route": "债务重组", "new_funds": amount, "funds_source": "x"})
    assert caught.value.field == "facts.new_funds"
    assert "引导盘活" in caught.value.message


def test_revitalise_new_funds_need_a_source_and_route_is_one_of_five(unit, project):
    with pytest.raises(ServiceError, match="须注明资金来源"):
        create(unit, project, "revitalise", {"route": "债务重组", "new_funds": "10"})
    routes = "债务重组、破产清算、社会资本合作、收购续建开发、金融工具"
    with pytest.raises(ServiceError, match=f"盘活路径“招商引资”无效，应为：{routes}"):
        create(unit, project, "revitalise", {"route": "招商引资"})


# --- 完善手续 ---------------------------------------------------------------------------------------

def test_procedures_are_tracked_until_every_one_is_done(users, unit, project):
    plan = create(unit, project, "procedures", {"central_approval_needed": True})
    assert plan.facts["central_approval_needed"] is True
    with pytest.raises(ServiceError, match="至少一项待补手续"):
        services.plan_submit(actor=unit, plan=plan)
    fire = services.procedure_add(actor=unit, plan=plan, kind="消防验收", authority="东河区住建局")
    other = services.procedure_add(actor=unit, plan=plan, kind=ProcedureKind.OTHER, name="人防验收")
    with pytest.raises(ServiceError, match="须填写手续名称"):
        services.procedure_add(actor=unit, plan=plan, kind="other")
    with pytest.raises(ServiceError, match="手续类别“环评”无效"):
        services.procedure_add(actor=unit, plan=plan, kind="环评")
    assert fire.kind == ProcedureKind.FIRE_ACCEPTANCE
    assert not services.procedures_complete(plan)
    with pytest.raises(ServiceError, match="方案确认后才能登记手续办结"):
        services.procedure_done(actor=unit, procedure=fire, done_date=dt.date(2025, 5, 1))
    plan = services.plan_submit(actor=unit, plan=plan)
    plan = services.plan_approve(actor=Actor(user=users["department"]), plan=plan)
    plan = services.plan_confirm(actor=Actor(user=users["office"]), plan=plan)
    services.procedure_done(actor=unit, procedure=fire, done_date=dt.date(2025, 5, 1),
                            document_no="包东消验字〔2025〕3号")
    assert not services.procedures_complete(plan)
    services.procedure_done(actor=unit, procedure=other, done_date=dt.date(2025, 6, 1))
    assert services.procedures_complete(plan)
    fire.refresh_from_db()
    assert fire.document_no == "包东消验字〔2025〕3号"


def test_procedures_only_for_the_procedures_method(unit, project):
    plan = create(unit, project, "revitalise", {"route": "债务重组"})
    with pytest.raises(ServiceError, match="只有“完善手续”方案"):
        services.procedure_add(actor=unit, plan=plan, kind="land_use")


# --- common ------------------------------------------------------------------------------------

def test_unknown_fact_keys_and_methods_are_named(unit, project):
    with pytest.raises(ServiceError, match="“court”不是“复工续建”的要素") as caught:
        create(unit, project, "resume", {"court": "某法院"})
    assert caught.value.field == "facts.court"
    with pytest.raises(ServiceError, match="处置方式“rebuild”无效") as caught:
        create(unit, project, "rebuild", {})
    assert caught.value.field == "method"
    with pytest.raises(ServiceError, match="安全质量评估鉴定日期“2025-02-30”不是有效日期"):
        create(unit, project, "resume", {"appraisal_date": "2025-02-30"})
