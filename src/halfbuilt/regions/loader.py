"""Load the reference CSVs (package data, or HALFBUILT_REFERENCE_DATA_DIR for another province). Idempotent."""

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Category, Department, Region

PACKAGE_DATA = Path(__file__).resolve().parent / "data"


def data_dir() -> Path:
    return Path(settings.REFERENCE_DATA_DIR) if settings.REFERENCE_DATA_DIR else PACKAGE_DATA


def _rows(name: str) -> list[dict[str, str]]:
    directory = data_dir()
    matches = sorted(directory.glob(f"{name}*.csv"))
    if not matches:
        raise FileNotFoundError(_("参考数据缺失：{directory}/{name}*.csv").format(directory=directory, name=name))
    with matches[0].open(encoding="utf-8-sig", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    regions = _rows("regions")
    for row in regions:  # the file lists parents before children
        Region.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "parent_id": row["parent_code"] or None,
                "level": row["level"],
                "kind": row["kind"],
                "is_functional_zone": row["kind"] == "功能区",
            },
        )
    departments = _rows("departments")
    for row in departments:
        Department.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "covers": row.get("covers", "")}
        )
    categories = _rows("categories")
    for row in categories:
        Category.objects.update_or_create(
            code=row["code"],
            defaults={
                "group": row["group"],
                "name": row["name"],
                "examples": row["examples"],
                "default_department_id": row["default_department"] or None,
            },
        )
    by_code = {c.code: c for c in Category.objects.all()}
    for row in departments:
        codes = [c for c in row.get("categories", "").split(";") if c]
        Department.objects.get(code=row["code"]).categories.set([by_code[c] for c in codes])
    return {"regions": len(regions), "departments": len(departments), "categories": len(categories)}
