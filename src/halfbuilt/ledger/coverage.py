"""The campaign's scope (起底范围) over the ledger: which projects it covers, as one queryset expression.

The rule's data (approved since when, at which approval levels) belongs to the campaign (the `campaign` app,
which registers `current_rule` here in its AppConfig.ready(); the ledger imports no campaign code). Projects
outside that are still covered when marked 影响较大 with a reason. `outside_q()` serves the list's filter and
badge (one query, whatever the number of rows); `ScopeRule.warning` is its twin for one row not yet stored
(the form, the importer), tested to agree with it (docs/campaign.md)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import ApprovalLevel

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class ScopeRule:
    since: str  # a partial date: "2016" covers 2016-01-01 on; ISO text compares as the ledger stores it
    levels: tuple[str, ...]  # ApprovalLevel values
    text: str = ""  # the campaign's own wording of the rule

    def marked_q(self) -> Q:
        return Q(high_impact=True) & ~Q(high_impact_reason="")

    def inside_q(self) -> Q:
        # An unknown approval date ("") sorts before any year, so it is not inside.
        return Q(approval_level__in=self.levels, approval_date__gte=self.since) | self.marked_q()

    def outside_q(self) -> Q:
        return ~self.inside_q()

    def describe(self) -> str:
        names = "、".join(str(ApprovalLevel(level).label) for level in self.levels)
        return _("起底范围：{since}年以来{levels}审批的项目，其他项目须标记“影响较大”并说明理由").format(
            since=self.since[:4], levels=names)

    def warning(self, *, approval_level: str, approval_date: str, high_impact: bool, high_impact_reason: str) -> str:
        """Why a project with these values is outside the scope, or "" when it is inside."""
        if high_impact and high_impact_reason.strip():
            return ""
        if approval_level in self.levels and approval_date and approval_date >= self.since:
            return ""
        if high_impact:
            why = _("已标记“影响较大”但未填写理由")
        elif not approval_date or not approval_level:
            why = _("审批层级或审批时间未填写")
        elif approval_level not in self.levels:
            why = _("审批层级为{level}").format(level=ApprovalLevel(approval_level).label)
        else:
            why = _("审批时间 {date} 早于 {since} 年").format(date=approval_date, since=self.since[:4])
        return _("该项目超出起底范围（{why}）。{rule}").format(why=why, rule=self.describe())


_provider: list[Callable[[], ScopeRule | None]] = []


def register(provider: Callable[[], ScopeRule | None]) -> None:
    _provider[:] = [provider]


def current_rule() -> ScopeRule | None:
    """The current campaign's rule; None when there is no campaign (nothing is then flagged)."""
    return _provider[0]() if _provider else None


def outside_q() -> Q:
    rule = current_rule()
    return rule.outside_q() if rule else NOTHING


def scope_warnings(project) -> list[str]:
    """A saved project outside the scope is kept, and flagged: the rule, named (the page, the API)."""
    rule = current_rule()
    if rule is None:
        return []
    message = rule.warning(approval_level=project.approval_level, approval_date=project.approval_date,
                           high_impact=project.high_impact, high_impact_reason=project.high_impact_reason)
    return [message] if message else []
