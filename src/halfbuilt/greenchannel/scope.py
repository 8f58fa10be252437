"""Who sees a green-channel request or item, and who acts on it (the kernel's own-scope contract).

Project roles (office, departments, regions, units) see the requests and items of the projects they see.
An authority sees only the items addressed to it, the requests they belong to and — through `accounts/scope.py`'s
grant — those projects; never a classified project (the services file no request on one). Acts: the authority's
people on their items (`act`); the unit or its region supply what an item's 补正 asks (`supply`, the project's
`green_file`)."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q, QuerySet

from halfbuilt.accounts.models import Role
from halfbuilt.accounts.scope import NOTHING, assignments, project_filter

ITEM_ACTIONS = ("view", "act", "supply")
NOT_AUTHORITY = frozenset({Role.AUTHORITY})


def authority_orgs(user) -> set[int]:
    """The approval authorities the user works for."""
    return {a.organization_id for a in assignments(user) if a.role == Role.AUTHORITY}


def is_authority(user) -> bool:
    return bool(authority_orgs(user))


def _projects(user, action: str = "view"):
    """The projects the user's project roles (not its authority role) give it."""
    condition = project_filter(user, action, exclude_roles=NOT_AUTHORITY)
    return apps.get_model("ledger", "Project").objects.filter(condition).values("pk")


def item_filter(user, action: str = "view") -> Q:
    if action not in ITEM_ACTIONS or not assignments(user):
        return NOTHING
    mine = authority_orgs(user)
    addressed = Q(authority_id__in=mine, project__classified=False) if mine else NOTHING
    if action == "act":
        return addressed
    if action == "supply":
        return Q(project__in=_projects(user, "green_file"))
    return Q(project__in=_projects(user)) | addressed


class ItemQuerySet(QuerySet):
    def restrict(self, user, action: str = "view") -> ItemQuerySet:
        """The one selector for items: what `user` may `action` (view, act, supply); default deny."""
        return self.filter(item_filter(user, action))

    def permitted_actions(self, user, obj, scopes: set[str]) -> set[str]:
        held = set()
        if "act" in scopes and obj.authority_id in authority_orgs(user) and not obj.project.classified:
            held.add("act")
        if "supply" in scopes:
            project_model = apps.get_model("ledger", "Project")
            if project_model.objects.permits(user, "green_file", obj.project_id):
                held.add("supply")
        return held


class RequestQuerySet(QuerySet):
    def restrict(self, user, action: str = "view") -> RequestQuerySet:
        """Requests of the projects the user sees; for an authority, those with an item addressed to it."""
        if action != "view" or not assignments(user):
            return self.none()
        condition = Q(project__in=_projects(user))
        mine = authority_orgs(user)
        if mine:
            items = apps.get_model("greenchannel", "Item").objects.filter(authority_id__in=mine,
                                                                          project__classified=False)
            condition |= Q(pk__in=items.values("request_id"))
        return self.filter(condition)
