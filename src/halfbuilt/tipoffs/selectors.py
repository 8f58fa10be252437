"""Reading tip-offs for moderators (always through `TipOff.objects.restrict`), the likely duplicates among the
projects the moderator sees, and the public view of one tip-off by its code (status and public answer only)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from difflib import SequenceMatcher

from halfbuilt.accounts.scope import region_q
from halfbuilt.core import pii
from halfbuilt.ledger.models import Project

from .models import PERSONAL, TipOff

DUPLICATES_MAX = 5
NEAR_KM = 2.0  # a project this close counts as a likely duplicate whatever its name


def queue(user):
    return TipOff.objects.restrict(user).select_related("region__parent").prefetch_related("photos")


def contact(tipoff: TipOff, *, masked: bool) -> dict[str, str]:
    """The reporter's name and phone as the moderator's page shows them: masked (张*, 138****0000) unless asked
    for in full (services.reveal_contact logs that)."""
    values = {key: getattr(tipoff, key) or "" for key in PERSONAL}
    return {key: pii.masked(kind, values[key]) if masked and values[key] else values[key]
            for key, kind in PERSONAL.items()}


@dataclass(frozen=True)
class Candidate:
    project: Project
    similarity: float  # 0..1, of the names
    distance_km: float | None


def _km(lat1, lng1, lat2, lng2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def duplicates(user, tipoff: TipOff) -> list[Candidate]:
    """The projects of the place's county (that the moderator sees) most like the tip-off: by name, and by
    distance when both have a position. Not voided ones."""
    projects = (Project.objects.restrict(user).filter(region_q(tipoff.region)).exclude(status="voided")
                .only("id", "name", "ledger_no", "status", "longitude", "latitude", "region_id")[:2000])
    found = []
    for project in projects:
        similarity = SequenceMatcher(None, tipoff.what, project.name).ratio()
        distance = None
        if None not in (tipoff.latitude, tipoff.longitude, project.latitude, project.longitude):
            distance = _km(float(tipoff.latitude), float(tipoff.longitude), float(project.latitude),
                           float(project.longitude))
        if similarity >= 0.3 or (distance is not None and distance <= NEAR_KM):
            found.append(Candidate(project, similarity, distance))
    # Name and nearness together; at a tie the likelier name first.
    found.sort(key=lambda c: (-(c.similarity + (1 if c.distance_km is not None and c.distance_km <= NEAR_KM else 0)),
                              -c.similarity, c.project.pk))
    return found[:DUPLICATES_MAX]


@dataclass(frozen=True)
class PublicTipOff:
    """What the tracking page and Open311 may show: never what the reporter wrote."""

    code: str
    status: str
    status_label: str
    answer: str
    created_at: object
    decided_at: object
    project_id: int | None  # the accepted or linked project, when it is public


def public_tipoff(code: str) -> PublicTipOff | None:
    from halfbuilt.public.selectors import public_projects

    tipoff = TipOff.objects.filter(code=str(code or "")[:32]).only(
        "code", "status", "public_answer", "created_at", "decided_at", "project_id").first()
    if tipoff is None:
        return None
    public = tipoff.project_id and public_projects().filter(pk=tipoff.project_id).exists()
    return PublicTipOff(tipoff.code, tipoff.status, tipoff.get_status_display(), tipoff.public_answer,
                        tipoff.created_at, tipoff.decided_at, tipoff.project_id if public else None)
