"""Who sees and acts on the prevention app's objects (each model's `restrict`, default deny).

Proposed projects: the office sees all; a department its line within its region's subtree; a league or county
its subtree; the organisation that registered one sees it too. Only the office decides (`decide`); the registering
organisation revises a returned one (`propose`). Proposals carry no secrecy: a classified work is not registered
here (its department clears it itself, docs/prevention.md).
The stall watch (feeds, flags) and the merges are the office's; a merge is seen only while both of its projects
are in the office's scope (never a classified one).
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q, QuerySet

from halfbuilt.accounts.models import Role
from halfbuilt.accounts.scope import NOTHING, assignments, region_q

PROPOSAL_ACTIONS = ("view", "decide", "propose")


def roles_of(user) -> set[str]:
    return {a.role for a in assignments(user)}


def is_office(user) -> bool:
    return Role.OFFICE in roles_of(user)


def proposer_orgs(user) -> set[int]:
    return {a.organization_id for a in assignments(user) if a.role in (Role.OFFICE, Role.DEPARTMENT, Role.REGION)}


def proposal_filter(user, action: str = "view") -> Q:
    if action not in PROPOSAL_ACTIONS:
        return NOTHING
    if action == "decide":
        return Q(pk__isnull=False) if is_office(user) else NOTHING
    mine = proposer_orgs(user)
    if action == "propose":
        return Q(proposer_org__in=mine) if mine else NOTHING
    result = NOTHING
    for a in assignments(user):
        org = a.organization
        if a.role == Role.OFFICE:
            return Q(pk__isnull=False)
        if a.role == Role.DEPARTMENT and org.department_id:
            result |= Q(department_id=org.department_id) & region_q(org.region)
        elif a.role == Role.REGION:
            result |= region_q(org.region)
    if mine:
        result |= Q(proposer_org__in=mine)
    return result


class ProposalQuerySet(QuerySet):
    def restrict(self, user, action: str = "view") -> ProposalQuerySet:
        return self.filter(proposal_filter(user, action))

    def permitted_actions(self, user, obj, scopes: set[str]) -> set[str]:
        """The kernel's question, decided from the proposal's organisation and the user's roles, no query."""
        held = set()
        if "decide" in scopes and is_office(user):
            held.add("decide")
        if "propose" in scopes and obj.proposer_org_id in proposer_orgs(user):
            held.add("propose")
        return held


class WatchQuerySet(QuerySet):
    """Feeds and flags: the office's alone."""

    def restrict(self, user, action: str = "view") -> WatchQuerySet:
        return self if is_office(user) else self.none()


class MergeQuerySet(QuerySet):
    def restrict(self, user, action: str = "view") -> MergeQuerySet:
        if not is_office(user):
            return self.none()
        visible = apps.get_model("ledger", "Project").objects.restrict(user, "void").values("pk")
        return self.filter(kept__in=visible, merged__in=visible)

    def permitted_actions(self, user, obj, scopes: set[str]) -> set[str]:
        return {"decide"} & scopes if is_office(user) else set()
