"""Load a campaign from its data file (package data `data/campaign-<province>.json`, or the first campaign*.json
of HALFBUILT_REFERENCE_DATA_DIR for another province). Idempotent: a campaign already in the database is left as
the office has edited it; only expected filers missing from it are added.

The file: key, name, province, current, scope {approved_since, approval_levels, text}, phases [{key, name, starts,
ends, due, due_label, note}], targets [{key, text, metric, value, due}], filers {departments: [codes], regions:
[codes]}. See docs/campaign.md."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from halfbuilt.accounts.models import Organization, OrgKind
from halfbuilt.ledger.models import ApprovalLevel
from halfbuilt.regions.models import Region

from .models import Campaign, FilerKind, Phase, PlanFiling, Target

PACKAGE_DATA = Path(__file__).resolve().parent / "data"


def campaign_file() -> Path:
    if settings.REFERENCE_DATA_DIR:
        directory = Path(settings.REFERENCE_DATA_DIR)
        matches = sorted(directory.glob("campaign*.json"))
    else:
        directory = PACKAGE_DATA
        matches = sorted(directory.glob(f"campaign-{settings.CAMPAIGN_PROVINCE_CODE}*.json"))
    if not matches:
        raise FileNotFoundError(_("起底行动数据缺失：{directory}/campaign*.json").format(directory=directory))
    return matches[0]


def _date(value: str | None, what: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(_("{what}“{value}”不是日期（应为 YYYY-MM-DD）").format(what=what, value=value)) from exc


@transaction.atomic
def load_campaign(path: Path | None = None) -> tuple[Campaign, bool]:
    """(the campaign, whether it was created now)."""
    data = json.loads((path or campaign_file()).read_text(encoding="utf-8"))
    campaign = Campaign.objects.filter(key=data["key"]).first()
    created = campaign is None
    if created:
        campaign = _create(data)
    _ensure_filers(campaign, data.get("filers", {}))
    return campaign, created


def _create(data: dict) -> Campaign:
    scope = data["scope"]
    levels = scope["approval_levels"]
    if unknown := [level for level in levels if level not in ApprovalLevel.values]:
        raise ValueError(_("起底范围的审批层级“{levels}”无效").format(levels="、".join(unknown)))
    current = bool(data.get("current", True))
    if current:
        Campaign.objects.filter(current=True).update(current=False)
    campaign = Campaign.objects.create(
        key=data["key"], name=data["name"], province=Region.objects.get(code=data["province"]), current=current,
        scope_since=str(scope["approved_since"]), scope_levels=",".join(levels), scope_text=scope.get("text", ""),
    )
    for order, item in enumerate(data["phases"]):
        Phase.objects.create(
            campaign=campaign, key=item["key"], name=item["name"], order=order,
            starts=_date(item.get("starts"), item["name"]), ends=_date(item["ends"], item["name"]),
            due=_date(item.get("due"), item["name"]), due_label=item.get("due_label", ""), note=item.get("note", ""),
        )
    for order, item in enumerate(data.get("targets", [])):
        value = item.get("value")
        Target.objects.create(
            campaign=campaign, key=item["key"], order=order, text=item["text"], metric=item.get("metric", ""),
            value=Decimal(str(value)) if value not in (None, "") else None, due=_date(item.get("due"), item["text"]),
        )
    return campaign


def _ensure_filers(campaign: Campaign, filers: dict) -> None:
    """A 待报送 row for each expected filer: the competent departments at the province level, the leagues/cities."""
    province = campaign.province
    for kind, codes, lookup in (
        (FilerKind.DEPARTMENT, filers.get("departments", []),
         lambda code: {"kind": OrgKind.DEPARTMENT, "department_id": code, "region": province}),
        (FilerKind.REGION, filers.get("regions", []), lambda code: {"kind": OrgKind.GOVERNMENT, "region_id": code}),
    ):
        for code in codes:
            org = Organization.objects.filter(**lookup(code)).first()
            if org is None:
                raise ValueError(_("实施方案报送单位“{code}”在参考数据中不存在").format(code=code))
            PlanFiling.objects.get_or_create(campaign=campaign, organization=org, defaults={"filer_kind": kind})


