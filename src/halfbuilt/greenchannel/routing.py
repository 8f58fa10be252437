"""Which authority an item goes to: the authority of the procedure's line at the procedure's level in the
project's place (its county, its league/city, the region), or the nearest level above that has one."""

from __future__ import annotations

from django.conf import settings

from halfbuilt.accounts.models import Organization
from halfbuilt.ledger.models import Project
from halfbuilt.regions.models import RegionLevel

from .models import Authority, ProcedureType
from .states import Level


def _places(project: Project, level: str) -> list[str]:
    county = project.region_id if project.region.level == RegionLevel.COUNTY else None
    chain = [county, project.prefecture_id, settings.CAMPAIGN_PROVINCE_CODE]
    start = {Level.COUNTY: 0, Level.PREFECTURE: 1, Level.PROVINCE: 2}[level]
    return [code for code in chain[start:] if code]


def authority_for(project: Project, procedure: ProcedureType) -> Organization | None:
    places = _places(project, procedure.level)
    found = {a.organization.region_id: a.organization for a in Authority.objects.filter(
        kind_id=procedure.authority_kind_id, organization__region_id__in=places, organization__active=True,
    ).select_related("organization")}
    return next((found[code] for code in places if code in found), None)
