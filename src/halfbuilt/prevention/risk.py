"""The risk of a proposed project becoming half-built (事前防范): rules as data, each fired one explained.

Each rule is a row the office edits (`models.RiskRule`: label, threshold, points, explanation template, on/off);
what it checks is the function of its key here (`CHECKS`), and the placeholders its template may use are listed
with it (`PLACEHOLDERS`). The score is the sum of the fired rules' points (at most 100); the level follows
`LEVELS`. A rule fires strictly past its threshold: a share exactly at the threshold passes.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.core.formatting import money

from .models import FundLevel, FundState, RiskRule, StudyState

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Fund:
    level: str
    amount: Decimal
    state: str


@dataclass(frozen=True)
class Facts:
    """What the rules read of a proposal (its form's data or its stored row)."""

    total: Decimal
    funds: tuple[Fund, ...] = ()
    fiscal_capacity: Decimal | None = None
    feasibility: str = StudyState.NONE
    performance: str = StudyState.NONE
    land_ready: bool = False
    planning_ready: bool = False
    needs_operation: bool = True
    operator: str = ""
    running_budget: Decimal | None = None

    @classmethod
    def of(cls, proposal) -> Facts:
        funds = tuple(Fund(f.level, f.amount, f.state) for f in proposal.funds.all())
        return cls(total=proposal.total_investment, funds=funds, fiscal_capacity=proposal.fiscal_capacity,
                   feasibility=proposal.feasibility, performance=proposal.performance,
                   land_ready=proposal.land_ready, planning_ready=proposal.planning_ready,
                   needs_operation=proposal.needs_operation, operator=proposal.operator,
                   running_budget=proposal.running_budget)

    def amount(self, *, state: str | None = None, level: str | None = None) -> Decimal:
        return sum((f.amount for f in self.funds if (state is None or f.state == state)
                    and (level is None or f.level == level)), Decimal(0))


def _share(part: Decimal, total: Decimal) -> Decimal:
    return part / total * HUNDRED if total else Decimal(0)


def _pct(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1')).normalize():f}%"


# A check: (facts, threshold) → the template's values when the rule fires, else None.
Check = Callable[[Facts, Decimal | None], dict | None]


def secured_share(facts: Facts, threshold: Decimal | None) -> dict | None:
    secured = facts.amount(state=FundState.SECURED)
    share = _share(secured, facts.total)
    if threshold is None or share >= threshold:
        return None
    return {"secured": money(secured), "total": money(facts.total), "share": _pct(share), "threshold": threshold}


def unknown_share(facts: Facts, threshold: Decimal | None) -> dict | None:
    unknown = facts.amount(state=FundState.UNKNOWN)
    share = _share(unknown, facts.total)
    if threshold is None or share <= threshold:
        return None
    return {"unknown": money(unknown), "share": _pct(share), "threshold": threshold}


def funding_gap(facts: Facts, threshold: Decimal | None) -> dict | None:
    listed = facts.amount()
    gap = max(facts.total - listed, Decimal(0))
    share = _share(gap, facts.total)
    if threshold is None or share <= threshold:
        return None
    return {"listed": money(listed), "gap": money(gap), "share": _pct(share), "threshold": threshold}


def local_capacity(facts: Facts, threshold: Decimal | None) -> dict | None:
    """The region's own budget asked for more than `threshold` % of what it can carry (清水河县: 5.4 %)."""
    local = facts.amount(level=FundLevel.LOCAL)
    if threshold is None or not local:
        return None
    capacity = facts.fiscal_capacity or Decimal(0)
    if local <= capacity * threshold / HUNDRED:
        return None
    times = f"{(local / capacity).quantize(Decimal('0.1')).normalize():f}" if capacity else "—"
    return {"local": money(local), "capacity": money(capacity), "times": times, "threshold": threshold}


def no_operator(facts: Facts, threshold: Decimal | None) -> dict | None:
    if not facts.needs_operation:
        return None
    missing = []
    if not facts.operator.strip():
        missing.append(_("运营单位"))
    if not facts.running_budget:
        missing.append(_("年运营经费"))
    return {"missing": "、".join(missing)} if missing else None


def _study(state: str, threshold: Decimal | None) -> dict | None:
    return None if state == StudyState.DONE else {"state": str(StudyState(state).label)}


def no_feasibility(facts: Facts, threshold: Decimal | None) -> dict | None:
    return _study(facts.feasibility, threshold)


def no_performance(facts: Facts, threshold: Decimal | None) -> dict | None:
    return _study(facts.performance, threshold)


def land_planning(facts: Facts, threshold: Decimal | None) -> dict | None:
    missing = [str(label) for ready, label in ((facts.land_ready, _("用地手续")), (facts.planning_ready, _("规划许可")))
               if not ready]
    return {"missing": "、".join(missing)} if missing else None


@dataclass(frozen=True)
class RuleKind:
    check: Check
    label: str
    template: str
    placeholders: tuple[str, ...]
    threshold: Decimal | None = None
    points: int = 20
    threshold_help: str = ""


KINDS: dict[str, RuleKind] = {
    "secured_share": RuleKind(
        secured_share, gettext_lazy("已落实资金占比偏低"),
        gettext_lazy("已落实资金 {secured} 万元，仅占总投资 {total} 万元的 {share}，低于 {threshold}%"),
        ("secured", "total", "share", "threshold"), Decimal(60), 30,
        gettext_lazy("已落实资金低于总投资的该百分比时触发")),
    "unknown_share": RuleKind(
        unknown_share, gettext_lazy("资金来源不明确"),
        gettext_lazy("来源不明确的资金 {unknown} 万元，占总投资的 {share}，超过 {threshold}%"),
        ("unknown", "share", "threshold"), Decimal(20), 20,
        gettext_lazy("来源不明确的资金超过总投资的该百分比时触发")),
    "funding_gap": RuleKind(
        funding_gap, gettext_lazy("资金来源不足总投资"),
        gettext_lazy("列明的资金来源合计 {listed} 万元，尚缺 {gap} 万元（{share}）"),
        ("listed", "gap", "share", "threshold"), Decimal(0), 20, gettext_lazy("缺口超过总投资的该百分比时触发")),
    "local_capacity": RuleKind(
        local_capacity, gettext_lazy("本级出资超出财政承受能力"),
        gettext_lazy("本级财政出资 {local} 万元，是本级可承受出资 {capacity} 万元的 {times} 倍，超过 {threshold}%"),
        ("local", "capacity", "times", "threshold"), Decimal(100), 30,
        gettext_lazy("本级出资超过可承受出资的该百分比时触发")),
    "no_operator": RuleKind(
        no_operator, gettext_lazy("建成后无运营主体或经费"), gettext_lazy("建成后需运营，但未落实{missing}"),
        ("missing",), None, 20),
    "no_feasibility": RuleKind(
        no_feasibility, gettext_lazy("未完成可行性研究"), gettext_lazy("可行性研究{state}"), ("state",), None, 20),
    "no_performance": RuleKind(
        no_performance, gettext_lazy("未开展事前绩效评估"), gettext_lazy("事前绩效评估{state}"), ("state",), None, 10),
    "land_planning": RuleKind(
        land_planning, gettext_lazy("用地或规划未落实"), gettext_lazy("{missing}尚未落实"), ("missing",), None, 10),
}
# (lowest score, level): the first that the score reaches.
LEVELS = ((60, gettext_lazy("高")), (30, gettext_lazy("中")), (0, gettext_lazy("低")))


@dataclass(frozen=True)
class Reason:
    key: str
    label: str
    points: int
    text: str

    def stored(self) -> dict:
        return {"key": self.key, "label": self.label, "points": self.points, "text": self.text}


@dataclass
class Assessment:
    score: int = 0
    level: str = ""
    reasons: list[Reason] = field(default_factory=list)


def template_error(key: str, template: str) -> str | None:
    """Why the office's template cannot be used for rule `key` (an unknown placeholder, a stray brace), or None."""
    allowed = set(KINDS[key].placeholders)
    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name is not None}
    except ValueError:
        return _("说明模板中的花括号不成对")
    if unknown := sorted(names - allowed):
        return _("说明模板中的“{{{name}}}”不可用；可用：{allowed}").format(
            name=unknown[0], allowed="、".join(f"{{{n}}}" for n in KINDS[key].placeholders) or _("无"))
    try:  # a format spec ({share:d}) would fail on every proposal scored: tried here on sample text
        template.format_map(dict.fromkeys(allowed, "1"))
    except (ValueError, KeyError, IndexError):
        return _("说明模板的格式不正确：占位符只写名称，如 {example}").format(
            example=f"{{{KINDS[key].placeholders[0]}}}" if KINDS[key].placeholders else "")
    return None


def rules() -> list[RiskRule]:
    """The rules in force: the office's rows, the defaults of `KINDS` for those not stored yet (made once)."""
    stored = {r.key: r for r in RiskRule.objects.all()}
    missing = [RiskRule(key=key, label=str(kind.label), threshold=kind.threshold, points=kind.points,
                        template=str(kind.template)) for key, kind in KINDS.items() if key not in stored]
    if missing:
        RiskRule.objects.bulk_create(missing, ignore_conflicts=True)
        stored = {r.key: r for r in RiskRule.objects.all()}
    return [stored[key] for key in KINDS if key in stored]


def evaluate(facts: Facts, rule_rows: list[RiskRule] | None = None) -> Assessment:
    result = Assessment()
    for rule in rule_rows if rule_rows is not None else rules():
        kind = KINDS.get(rule.key)
        if kind is None or not rule.enabled:
            continue
        values = kind.check(facts, rule.threshold)
        if values is None:
            continue
        shown = {k: (f"{v.normalize():f}" if isinstance(v, Decimal) else v) for k, v in values.items()}
        result.reasons.append(Reason(rule.key, rule.label, rule.points, rule.template.format_map(shown)))
    result.score = min(100, sum(r.points for r in result.reasons))
    result.level = next(str(label) for low, label in LEVELS if result.score >= low)
    return result
