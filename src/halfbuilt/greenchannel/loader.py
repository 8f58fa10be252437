"""Load the green channel's reference data (package data `data/authorities.csv` and `data/procedures.csv`, or
the same files in HALFBUILT_REFERENCE_DATA_DIR for another province) and make the approval authorities of every
line at the region, league and county levels. Idempotent: procedures already in the database keep the office's
edits; authorities are found by name and region (an existing organisation of that name — the region's
department of the same name — becomes the authority)."""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction

from halfbuilt.accounts.models import Organization, OrgKind
from halfbuilt.regions.models import Region, RegionLevel

from .models import Authority, AuthorityKind, ProcedureType

PACKAGE_DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict]:
    directory = Path(settings.REFERENCE_DATA_DIR) if settings.REFERENCE_DATA_DIR else PACKAGE_DATA
    path = directory / name
    if not path.exists():
        path = PACKAGE_DATA / name
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def authority_name(kind_row: dict, region: Region) -> str:
    if region.level == RegionLevel.PROVINCE:
        return kind_row["province_name"]
    if region.level == RegionLevel.PREFECTURE:
        return f"{region.name}{kind_row['prefecture_suffix']}"
    return f"{region.parent.name}{region.name}{kind_row['county_suffix']}"


@transaction.atomic
def load_greenchannel() -> dict[str, int]:
    kinds = load_procedures()
    province = Region.objects.get(code=settings.CAMPAIGN_PROVINCE_CODE)
    regions = [province, *Region.objects.exclude(level=RegionLevel.PROVINCE).select_related("parent")]
    wanted = {(authority_name(row, region), region.code): row["code"] for row in kinds for region in regions}
    orgs = {(o.name, o.region_id): o for o in Organization.objects.filter(name__in={n for n, _ in wanted})}
    Organization.objects.bulk_create([Organization(name=name, region_id=code, kind=OrgKind.AUTHORITY)
                                      for (name, code) in wanted if (name, code) not in orgs])
    orgs = {(o.name, o.region_id): o for o in Organization.objects.filter(name__in={n for n, _ in wanted})}
    linked = set(Authority.objects.values_list("organization_id", flat=True))
    Authority.objects.bulk_create([Authority(organization=orgs[key], kind_id=kind)
                                   for key, kind in wanted.items() if orgs[key].pk not in linked])
    return {"authorities": len(wanted), "procedures": ProcedureType.objects.count()}


def load_procedures() -> list[dict]:
    """The authority lines and the procedures (a procedure already there keeps the office's edits); the lines'
    rows, for naming their organisations."""
    kinds = _rows("authorities.csv")
    for order, row in enumerate(kinds):
        AuthorityKind.objects.update_or_create(code=row["code"], defaults={"name": row["name"], "order": order})
    existing = set(ProcedureType.objects.values_list("code", flat=True))
    ProcedureType.objects.bulk_create([
        ProcedureType(code=row["code"], name=row["name"], authority_kind_id=row["authority"], level=row["level"],
                      time_limit=int(row["time_limit"]), plan_kind=row["plan_kind"], legal_basis=row["legal_basis"],
                      order=order)
        for order, row in enumerate(_rows("procedures.csv")) if row["code"] not in existing
    ])
    return kinds
