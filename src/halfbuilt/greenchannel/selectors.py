"""Reading the green channel: the lists of the pages, queues and API, the overdue items (the warning lights'
rule) and the ranking of authorities by overdue items (for the office's page and the circulars). All through
`restrict`, except `overdue_project_ids_q`, which the lights' recompute applies to every project at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from halfbuilt.accounts.models import Organization

from .models import GreenRequest, Item
from .scope import authority_orgs
from .states import RUNNING, ItemStatus

ITEM_RELATED = ("procedure_type", "authority", "project__region__parent", "request__filer_org", "document")


def requests(user) -> QuerySet[GreenRequest]:
    return GreenRequest.objects.restrict(user).select_related("project", "filer_org", "filed_by")


def items(user, action: str = "view") -> QuerySet[Item]:
    return Item.objects.restrict(user, action).select_related(*ITEM_RELATED)


def addressed(user) -> QuerySet[Item]:
    """The items addressed to the user's authorities (its queue)."""
    return items(user).filter(authority_id__in=authority_orgs(user))


def overdue_q(today: dt.date | None = None) -> Q:
    """Items whose clock runs and whose deadline passed before `today`: on the deadline day they are not late."""
    return Q(status__in=RUNNING, deadline__lt=today or timezone.localdate())


def filtered(queryset: QuerySet[Item], *, status: str = "", overdue: str = "") -> QuerySet[Item]:
    if status in ItemStatus.values:
        queryset = queryset.filter(status=status)
    if overdue == "1":
        queryset = queryset.filter(overdue_q())
    return queryset


def overdue_project_ids_q(today: dt.date) -> Q:
    """Projects with an overdue item (the lights' rule)."""
    return Q(pk__in=Item.objects.filter(overdue_q(today)).values("project_id"))


@dataclass(frozen=True)
class RankRow:
    organization: Organization
    overdue: int
    open: int


def overdue_ranking(user, today: dt.date | None = None) -> list[RankRow]:
    """Authorities by their overdue items among those the user sees, most first (for the office's page; the
    circulars can rank with it: see docs/greenchannel.md)."""
    rows = (Item.objects.restrict(user).values("authority")
            .annotate(overdue=Count("pk", filter=overdue_q(today)), open=Count("pk", filter=Q(status__in=RUNNING)))
            .filter(overdue__gt=0).order_by("-overdue", "authority"))
    orgs = Organization.objects.in_bulk([r["authority"] for r in rows])
    return [RankRow(orgs[r["authority"]], r["overdue"], r["open"]) for r in rows]
