"""事前防范: each risk rule fires just past its threshold and not at it, with its reason explained; the score and
level; the office's edits of a rule (threshold, template, off); registering, deciding and revising a proposal."""

from decimal import Decimal

import pytest

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.prevention import risk, services
from halfbuilt.prevention.models import ProposedProject, RiskRule
from halfbuilt.prevention.workflow import PROPOSAL_FLOW
from tests.prevention_helpers import actor, funds, proposal_data

D = Decimal


def fired(facts: risk.Facts) -> dict[str, str]:
    return {r.key: r.text for r in risk.evaluate(facts).reasons}


def facts(**overrides) -> risk.Facts:
    base = dict(total=D(10000), funds=(risk.Fund("central", D(10000), "secured"),), fiscal_capacity=D(3000),
                feasibility="done", performance="done", land_ready=True, planning_ready=True, needs_operation=True,
                operator="某运营单位", running_budget=D(100))
    base.update(overrides)
    return risk.Facts(**base)


def test_a_sound_proposal_has_no_reason_and_a_low_level(db):
    result = risk.evaluate(facts())
    assert (result.score, result.level, result.reasons) == (0, "低", [])


def test_secured_funds_at_the_threshold_pass_and_just_below_fire(db):
    at = (risk.Fund("central", D(6000), "secured"), risk.Fund("bond", D(4000), "promised"))
    below = (risk.Fund("central", D("5999"), "secured"), risk.Fund("bond", D("4001"), "promised"))
    assert "secured_share" not in fired(facts(funds=at))
    assert fired(facts(funds=below))["secured_share"] == (
        "已落实资金 5,999 万元，仅占总投资 10,000 万元的 60%，低于 60%")


def test_unknown_funds_fire_past_their_share(db):
    at = (risk.Fund("central", D(8000), "secured"), risk.Fund("social", D(2000), "unknown"))
    past = (risk.Fund("central", D(7999), "secured"), risk.Fund("social", D(2001), "unknown"))
    assert "unknown_share" not in fired(facts(funds=at))
    assert fired(facts(funds=past))["unknown_share"] == "来源不明确的资金 2,001 万元，占总投资的 20%，超过 20%"


def test_a_funding_gap_fires_from_the_first_yuan(db):
    assert "funding_gap" not in fired(facts())
    short = (risk.Fund("central", D("9999.9999"), "secured"),)
    assert fired(facts(funds=short))["funding_gap"].startswith("列明的资金来源合计 9,999.9999 万元，尚缺 0.0001 万元")


def test_the_local_share_beyond_the_fiscal_capacity_fires_as_in_qingshuihe(db):
    """清水河县: 60 亿元 planned, the county able to carry 5.4 % of it."""
    at = (risk.Fund("central", D(7000), "secured"), risk.Fund("local", D(3000), "secured"))
    past = (risk.Fund("central", D(6999), "secured"), risk.Fund("local", D(3001), "secured"))
    assert "local_capacity" not in fired(facts(funds=at))
    assert fired(facts(funds=past))["local_capacity"] == (
        "本级财政出资 3,001 万元，是本级可承受出资 3,000 万元的 1 倍，超过 100%")
    qingshuihe = facts(total=D(600000), funds=(risk.Fund("local", D(600000), "promised"),),
                       fiscal_capacity=D(32400))
    assert "18.5 倍" in fired(qingshuihe)["local_capacity"]


def test_a_facility_without_operator_or_running_budget_fires(db):
    assert fired(facts(operator=""))["no_operator"] == "建成后需运营，但未落实运营单位"
    assert fired(facts(operator="", running_budget=None))["no_operator"] == "建成后需运营，但未落实运营单位、年运营经费"
    assert "no_operator" not in fired(facts(operator="", running_budget=None, needs_operation=False))


def test_studies_and_readiness_fire_until_done(db):
    got = fired(facts(feasibility="underway", performance="none", land_ready=False))
    assert got["no_feasibility"] == "可行性研究正在开展"
    assert got["no_performance"] == "事前绩效评估未开展"
    assert got["land_planning"] == "用地手续尚未落实"


def test_score_adds_the_points_and_names_the_level(db):
    result = risk.evaluate(facts(feasibility="none", operator=""))  # 20 + 20
    assert (result.score, result.level) == (40, "中")
    result = risk.evaluate(facts(feasibility="none", operator="", funds=(risk.Fund("central", D(10), "secured"),)))
    assert result.level == "高" and result.score == 90


def test_the_office_sets_a_rule_threshold_template_and_switch(users):
    rule = next(r for r in risk.rules() if r.key == "secured_share")
    services.update_rule(actor=actor(users["office"]), rule=rule, version=rule.version, data={
        "label": "资金落实不足", "threshold": D(80), "points": 50, "enabled": True,
        "template": "到位 {secured} / {total}（{share}），要求 {threshold}%"})
    seventy = (risk.Fund("central", D(7000), "secured"), risk.Fund("bond", D(3000), "promised"))
    assert fired(facts(funds=seventy))["secured_share"] == "到位 7,000 / 10,000（70%），要求 80%"
    assert ChangeLog.objects.filter(action="risk_rule_update").count() == 1
    rule.refresh_from_db()
    services.update_rule(actor=actor(users["office"]), rule=rule, version=rule.version, data={
        "label": rule.label, "threshold": D(80), "points": 50, "enabled": False, "template": rule.template})
    assert "secured_share" not in fired(facts(funds=seventy))


def test_a_template_with_an_unknown_placeholder_or_a_department_is_refused(users):
    rule = next(r for r in risk.rules() if r.key == "no_feasibility")
    data = {"label": rule.label, "threshold": None, "points": 20, "enabled": True, "template": "缺少{total}"}
    with pytest.raises(ServiceError, match="“{total}”不可用；可用：{state}"):
        services.update_rule(actor=actor(users["office"]), rule=rule, data=data, version=rule.version)
    with pytest.raises(ServiceError, match="格式不正确"):
        services.update_rule(actor=actor(users["office"]), rule=rule, data={**data, "template": "缺少{state:d}"},
                             version=rule.version)
    with pytest.raises(NotAllowed):
        services.update_rule(actor=actor(users["department"]), rule=rule, data={**data, "template": "{state}"},
                             version=rule.version)
    assert RiskRule.objects.get(pk=rule.pk).template == "可行性研究{state}"


def test_register_scores_and_logs_the_proposal(users):
    proposal = services.register_proposal(
        actor=actor(users["county"]), data=proposal_data(feasibility="none"),
        funds=funds(("central", "5000", "secured"), ("local", "5000", "promised")))
    assert proposal.proposer_org.name == "包头市东河区人民政府" and proposal.status == "submitted"
    assert [r["key"] for r in proposal.risk_reasons] == ["secured_share", "local_capacity", "no_feasibility"]
    assert proposal.risk_level == "高"
    assert ChangeLog.objects.filter(action="proposal_register", object_id=str(proposal.pk)).exists()


def test_register_is_refused_outside_the_region_and_with_local_money_but_no_capacity(users):
    with pytest.raises(NotAllowed, match="无权在“赤峰市红山区”登记"):
        from halfbuilt.regions.models import Region

        services.register_proposal(actor=actor(users["county"]), data=proposal_data(region=Region.objects.get(
            code="150402")), funds=funds())
    with pytest.raises(ServiceError, match="须填写本级财政可承受出资"):
        services.register_proposal(actor=actor(users["county"]), data=proposal_data(fiscal_capacity=None),
                                   funds=funds())
    assert not ProposedProject.objects.exists()


def test_the_office_decides_with_reasons_and_a_returned_one_is_revised(users):
    proposal = services.register_proposal(actor=actor(users["county"]), data=proposal_data(), funds=funds())
    with pytest.raises(ServiceError, match="必须填写修改意见"):
        services.decide(actor=actor(users["office"]), proposal=proposal, action="revise", reason="")
    with pytest.raises(NotAllowed):
        services.decide(actor=actor(users["region"]), proposal=proposal, action="approve", reason="同意")
    services.decide(actor=actor(users["office"]), proposal=proposal, action="revise", reason="补充运营经费测算")
    proposal.refresh_from_db()
    assert proposal.status == "revised" and proposal.decision_reason == "补充运营经费测算"
    revised = services.resubmit_proposal(actor=actor(users["county"]), proposal=proposal, version=proposal.version,
                                         data=proposal_data(running_budget=D(300)), funds=funds())
    assert revised.status == "submitted" and revised.running_budget == D(300)
    services.decide(actor=actor(users["office"]), proposal=revised, action="approve", reason="资金已落实")
    revised.refresh_from_db()
    assert (revised.status, revised.decided_by) == ("approved", "office")
    logged = list(ChangeLog.objects.filter(object_type="proposedproject").order_by("id")
                  .values_list("action", flat=True))
    assert logged == ["proposal_register", "proposal_revise", "proposal_resubmit", "proposal_approve"]
    assert [t.action for t in PROPOSAL_FLOW.allowed(users["office"], revised)] == []


def test_who_sees_a_proposal(users):
    proposal = services.register_proposal(actor=actor(users["county"]), data=proposal_data(), funds=funds())
    seen = {role for role, user in users.items() if ProposedProject.objects.restrict(user).filter(pk=proposal.pk)}
    assert seen == {"office", "department", "department_baotou", "region", "county"}
