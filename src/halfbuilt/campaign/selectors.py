"""What the other apps read of the campaign (docs/campaign.md): the current campaign, its phases and deadlines,
its targets, its scope rule, who has filed a 实施方案, and each department line's criteria in force.

All read the one current campaign; with none loaded they answer None / empty, never raise."""

import datetime as dt
from dataclasses import dataclass

from halfbuilt.ledger.coverage import ScopeRule

from .models import Campaign, CriteriaVersion, FilingStatus, Phase, PlanFiling, Target


def current() -> Campaign | None:
    return Campaign.objects.filter(current=True).select_related("province").first()


def phases(campaign: Campaign | None = None) -> list[Phase]:
    """`campaign`'s phases, or the current campaign's (one query; none without a campaign)."""
    if campaign is None:
        return list(Phase.objects.filter(campaign__current=True))
    return list(campaign.phases.all())


def phase(key: str) -> Phase | None:
    """A phase of the current campaign by key: deploy (部署), survey (摸底), plan (方案), disposal (集中处置)."""
    return Phase.objects.filter(campaign__current=True, key=key).first()


def deadline(key: str) -> dt.date | None:
    """The deadline of phase `key`: its own due date where it has one (survey: the ledger due 08-31; deploy: the
    实施方案 due), else its end (plan: every project's plan drafted and confirmed by 10-31)."""
    found = phase(key)
    return found.deadline if found else None


def targets() -> list[Target]:
    return list(Target.objects.filter(campaign__current=True))


def target(key: str) -> Target | None:
    return Target.objects.filter(campaign__current=True, key=key).first()


def scope_rule() -> ScopeRule | None:
    campaign = current()
    if campaign is None:
        return None
    return ScopeRule(since=campaign.scope_since, levels=campaign.levels, text=campaign.scope_text)


@dataclass(frozen=True)
class FilingRow:
    filing: PlanFiling
    filed: bool  # submitted at least once (waiting, returned or accepted)


def filing_status() -> list[FilingRow]:
    """Every expected filer of the current campaign and where its 实施方案 stands (departments first, then the
    leagues/cities by code). For the office's pages and the dashboard; callers check the office's right."""
    rows = PlanFiling.objects.filter(campaign__current=True).select_related("organization__region")
    return [FilingRow(f, f.status != FilingStatus.PENDING) for f in rows]


def filing_counts() -> dict[str, int]:
    counts = {status: 0 for status in FilingStatus.values}
    for row in filing_status():
        counts[row.filing.status] += 1
    return counts


def criteria_in_force(department_id: str | None) -> CriteriaVersion | None:
    """The newest version of a department line's criteria, or None."""
    if not department_id:
        return None
    return CriteriaVersion.objects.filter(department_id=department_id).prefetch_related("documents").first()
