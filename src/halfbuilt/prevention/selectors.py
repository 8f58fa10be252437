"""What the prevention pages read, each through its model's `restrict`."""

from __future__ import annotations

from django.db.models import QuerySet

from halfbuilt.accounts import scope
from halfbuilt.regions.models import Region

from .models import FeedImport, FlagStatus, MergeProposal, MergeStatus, ProposedProject, StallFlag
from .scope import is_office

LIST_LIMIT = 300


def proposals(user) -> QuerySet:
    return ProposedProject.objects.restrict(user).select_related("region", "proposer_org", "category")


def may_list_proposals(user) -> bool:
    return scope.holds_action(user, "prevention_propose") or is_office(user)


def may_propose(user) -> bool:
    return scope.submit_regions_q(user) != scope.NOTHING


def propose_regions(user) -> QuerySet:
    return Region.objects.filter(scope.submit_regions_q(user)).order_by("code")


def flags(user, status: str = FlagStatus.OPEN) -> QuerySet:
    found = StallFlag.objects.restrict(user).select_related("region", "feed", "ledger_project", "proposal")
    return found.filter(status=status) if status else found


def feeds(user) -> QuerySet:
    return FeedImport.objects.restrict(user)


def merges(user, status: str = MergeStatus.PROPOSED) -> QuerySet:
    found = MergeProposal.objects.restrict(user).select_related("kept__region", "merged__region")
    return found.filter(status=status) if status else found


def proposal_flags(user, proposal: ProposedProject) -> QuerySet:
    """The stall watch's flags of an approved proposal (followed by its 项目代码)."""
    return StallFlag.objects.restrict(user).filter(proposal=proposal).select_related("feed")
