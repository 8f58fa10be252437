"""Writes of the risk check (事前防范): register a proposed project, revise a returned one, decide on it (through the
kernel), and the office's rules. Each in one transaction with its change-log entry."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from halfbuilt.accounts import scope
from halfbuilt.accounts.models import Role
from halfbuilt.audit.services import record_change
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger import rules as ledger_rules

from . import risk
from .models import FundingSource, FundLevel, ProposedProject, RiskRule, WatchSettings
from .workflow import PROPOSAL_FLOW

PROPOSAL_FIELDS = ["name", "project_code", "category", "region", "department", "total_investment", "fiscal_capacity",
                   "feasibility", "performance", "land_ready", "planning_ready", "needs_operation", "operator",
                   "running_budget", "planned_start", "planned_completion"]
MAX_FUNDS = 20


def snapshot(proposal: ProposedProject) -> dict:
    data = {f: getattr(proposal, f"{f}_id" if f in ("category", "region", "department") else f)
            for f in PROPOSAL_FIELDS}
    data["funds"] = [{"level": f.level, "amount": f.amount, "state": f.state} for f in proposal.funds.all()]
    data["risk_score"], data["risk_level"] = proposal.risk_score, proposal.risk_level
    return data


def _proposer_org(user, region):
    """The organisation the user registers for: the first of theirs whose region covers `region`."""
    for a in scope.assignments(user):
        if a.role in scope.SUBMIT_ROLES and scope.region_within(region, a.organization.region):
            return a.organization
    return None


def _check(user, data: dict, funds: list[dict]) -> None:
    region = data["region"]
    if not scope.can_submit_in(user, region):
        raise NotAllowed(_("您无权在“{region}”登记拟建项目").format(region=region.full_name), field="region")
    lines = scope.submit_departments(user)
    department = data.get("department")
    if lines is not None and (department is None or department.code not in lines):
        raise NotAllowed(str(ledger_rules.OTHER_LINE), field="department")
    total = data.get("total_investment")
    if total is None or total <= 0:
        raise ServiceError(_("总投资应大于 0"), field="total_investment")
    if code := data.get("project_code"):
        try:
            data["project_code"] = ledger_rules.check_project_code(code)
        except ValueError as exc:
            raise ServiceError(str(exc), field="project_code") from exc
    if len(funds) > MAX_FUNDS:
        raise ServiceError(_("资金来源最多 {count} 项").format(count=MAX_FUNDS), field="funds")
    for n, fund in enumerate(funds, start=1):
        if fund["amount"] is None or fund["amount"] < 0:
            raise ServiceError(_("第 {n} 项资金来源的金额应为非负数").format(n=n), field="funds")
    local = sum((f["amount"] for f in funds if f["level"] == FundLevel.LOCAL), Decimal(0))
    if local and data.get("fiscal_capacity") is None:
        raise ServiceError(_("有本级财政出资时，须填写本级财政可承受出资"), field="fiscal_capacity")


def _write(proposal: ProposedProject, data: dict, funds: list[dict]) -> None:
    for name in PROPOSAL_FIELDS:
        if name in data:
            setattr(proposal, name, data[name])
    proposal.prefecture = proposal.region.prefecture
    if not proposal.needs_operation:
        proposal.operator = proposal.operator or ""
    proposal.save()
    proposal.funds.all().delete()
    FundingSource.objects.bulk_create([FundingSource(proposal=proposal, level=f["level"], amount=f["amount"],
                                                     state=f["state"], note=f.get("note", "")) for f in funds])
    assessment = risk.evaluate(risk.Facts.of(proposal))
    proposal.risk_score, proposal.risk_level = assessment.score, assessment.level
    proposal.risk_reasons = [r.stored() for r in assessment.reasons]
    proposal.save(update_fields=["risk_score", "risk_level", "risk_reasons"])


@transaction.atomic
def register_proposal(*, actor: Actor, data: dict, funds: list[dict]) -> ProposedProject:
    _check(actor.user, data, funds)
    org = _proposer_org(actor.user, data["region"])
    if org is None:
        raise NotAllowed(_("您无权在“{region}”登记拟建项目").format(region=data["region"].full_name), field="region")
    proposal = ProposedProject(proposer_org=org, created_by=actor.user)
    _write(proposal, data, funds)
    record_change(actor=actor, action="proposal_register", obj=proposal, before=None, after=snapshot(proposal))
    return proposal


@transaction.atomic
def resubmit_proposal(*, actor: Actor, proposal: ProposedProject | int, data: dict, funds: list[dict],
                      version: int) -> ProposedProject:
    """The registering organisation's revision of a returned proposal: scored again, back to 待决策."""
    step = PROPOSAL_FLOW.begin(actor=actor, obj=proposal, action="resubmit", version=version)
    _check(actor.user, data, funds)
    locked, before = step.obj, snapshot(step.obj)
    locked.status = step.transition.target
    _write(locked, data, funds)
    PROPOSAL_FLOW.save(locked, ["status"])
    record_change(actor=actor, action="proposal_resubmit", obj=locked, before=before, after=snapshot(locked))
    return locked


def decide(*, actor: Actor, proposal: ProposedProject | int, action: str, reason: str,
           version: int | None = None) -> ProposedProject:
    """approve / revise / reject, with the reasons (required)."""
    return PROPOSAL_FLOW.perform(actor=actor, obj=proposal, action=action, comment=reason, version=version)


def _office_only(user, what: str) -> None:
    if not any(a.role == Role.OFFICE for a in scope.assignments(user)):
        raise NotAllowed(_("只有领导小组办公室可以修改{what}").format(what=what))


@transaction.atomic
def update_rule(*, actor: Actor, rule: RiskRule, data: dict, version: int) -> RiskRule:
    _office_only(actor.user, _("风险规则"))
    locked = RiskRule.objects.select_for_update().get(pk=rule.pk)
    if locked.version != version:
        raise ServiceError(_("该规则已被他人修改，请刷新后再保存"))
    if message := risk.template_error(locked.key, data["template"]):
        raise ServiceError(message, field="template")
    if risk.KINDS[locked.key].threshold is not None and data.get("threshold") is None:
        raise ServiceError(_("该规则须填写阈值"), field="threshold")
    before = {f: getattr(locked, f) for f in ("label", "threshold", "points", "template", "enabled")}
    for name in before:
        setattr(locked, name, data[name] if name != "threshold" or risk.KINDS[locked.key].threshold is not None
                else None)
    locked.version += 1
    locked.save()
    record_change(actor=actor, action="risk_rule_update", obj=locked, before=before,
                  after={f: getattr(locked, f) for f in before})
    return locked


@transaction.atomic
def update_watch_settings(*, actor: Actor, data: dict, version: int) -> WatchSettings:
    _office_only(actor.user, _("停建预警阈值"))
    WatchSettings.current()
    locked = WatchSettings.objects.select_for_update().get(pk=1)
    if locked.version != version:
        raise ServiceError(_("阈值已被他人修改，请刷新后再保存"))
    names = ("no_progress_months", "overdue_months", "idle_months")
    before = {n: getattr(locked, n) for n in names}
    for n in names:
        setattr(locked, n, data[n])
    locked.version += 1
    locked.save()
    record_change(actor=actor, action="watch_settings_update", obj=locked, before=before,
                  after={n: getattr(locked, n) for n in names})
    return locked
