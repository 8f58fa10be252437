"""The demo projects' field values, drawn from the catalog with a seeded random generator (no database
access): every league/city gets every category, both kinds, a mix of statuses, of date precisions and of
money to the yuan, well-formed 项目代码 and USCC codes, a few classified and a few 待指定 projects."""

from __future__ import annotations

import math
import random
from decimal import Decimal

from halfbuilt.ledger.models import ApprovalLevel, Kind, Status
from halfbuilt.ledger.rules import USCC_CHARSET, USCC_WEIGHTS
from halfbuilt.regions.models import Region, RegionLevel

from .catalog import (
    AREA_CODES,
    BUILDING_SUFFIX,
    CENTRES,
    CLASSIFIED_LINES,
    GIVEN,
    IDLE_CAUSES,
    LATE_SHOWCASE,
    MONGOLIAN_NAMES,
    MULTI_DEPARTMENT,
    ORDINALS,
    REJECT_REASONS,
    RIVERS,
    SHOWCASE,
    STALLED_CAUSES,
    STREETS,
    SURNAMES,
    TEMPLATES,
    TOWNS,
    Template,
)

SEED = 20220810  # the day the Inner Mongolia campaign was deployed
PROJECTS_PER_PREFECTURE = 36  # × 12 leagues/cities = 432, plus the showcase

def uscc(rng: random.Random, prefix: str, region_code: str) -> str:
    """A well-formed 统一社会信用代码 with a correct check character (GB 32100)."""
    body = prefix + region_code + "".join(rng.choice(USCC_CHARSET) for _ in range(9))
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return body + USCC_CHARSET[(31 - total % 31) % 31]


HIGH_IMPACT_REASON = "群众反映强烈，长期闲置影响城市形象，经旗县人民政府研究纳入起底"


def _high_impact(level: str, name: str) -> dict:
    """Half of the county-approved projects (chosen by name, drawing nothing) are marked 影响较大 with a reason;
    the others stay outside the scope and are flagged in the list."""
    if level != ApprovalLevel.COUNTY or len(name) % 2:
        return {}
    return {"high_impact": True, "high_impact_reason": HIGH_IMPACT_REASON}


def partial_date(rng: random.Random, year: int) -> str:
    """Ledgers often know only the year or the month: keep a mix of precisions."""
    roll = rng.random()
    if roll < 0.2:
        return f"{year}"
    month = rng.randint(1, 12)
    if roll < 0.7:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def money(rng: random.Random, value: float) -> Decimal:
    """万元 with decimals; one in ten exact to the yuan (4 places)."""
    places = Decimal("0.0001") if rng.random() < 0.1 else Decimal("0.01")
    return Decimal(str(value)).quantize(places)


def person(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return rng.choice(MONGOLIAN_NAMES)
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def phone(rng: random.Random, prefecture_code: str) -> str:
    if rng.random() < 0.6:
        return rng.choice(["13", "15", "18"]) + "".join(str(rng.randint(0, 9)) for _ in range(9))
    return f"{AREA_CODES[prefecture_code]}-{rng.randint(2000000, 8999999)}"


def place_name(rng: random.Random, region: Region) -> str:
    """How a county writes its own name in a project name: 旗/县 often alone, districts with their city."""
    if region.level == RegionLevel.PREFECTURE or region.is_functional_zone:
        return region.name
    if region.kind != "市辖区" and rng.random() < 0.5:
        return region.name
    return region.full_name


def generate(
    rng: random.Random, regions: list[Region], categories: list[str], per_prefecture: int = PROJECTS_PER_PREFECTURE,
) -> list[dict]:
    """Project field values: the showcase, then `per_prefecture` projects in each league/city, going through
    the categories in turn (36 cover all 17 twice; 1 makes the small demo of the frozen-clock tests)."""
    prefectures = [r for r in regions if r.level == RegionLevel.PREFECTURE]
    children: dict[str, list[Region]] = {}
    for region in regions:
        if region.level == RegionLevel.COUNTY:
            children.setdefault(region.parent_id, []).append(region)
    by_code = {r.code: r for r in regions}
    taken: set[tuple[str, str]] = set()
    codes: set[str] = set()
    rows = []

    def showcase(entries: list[tuple[str, str, int, str, dict]]) -> None:
        for region_code, category, index, name, overrides in entries:
            region = by_code[region_code]
            row = _project(rng, region, region.prefecture, category, taken, codes, TEMPLATES[category][index], name)
            rows.append({**row, **overrides})

    showcase(SHOWCASE)
    for i in range(per_prefecture * len(prefectures)):
        prefecture = prefectures[i % len(prefectures)]
        category = categories[(i // len(prefectures)) % len(categories)]
        region = prefecture if rng.random() < 0.15 else rng.choice(children[prefecture.code])
        rows.append(_project(rng, region, prefecture, category, taken, codes))
    showcase(LATE_SHOWCASE)
    return rows


def _project(
    rng, region: Region, prefecture: Region, category: str, taken: set, codes: set,
    template: Template | None = None, name: str = "",
) -> dict:
    place = place_name(rng, region)
    attempt = 0
    while not name:
        template = rng.choice(TEMPLATES[category])
        town, town2 = rng.sample(TOWNS, 2)
        candidate = template.name.format(
            p=place, n=rng.choice(ORDINALS[: 3 + attempt // 4]), town=town, town2=town2,
            street=rng.choice(STREETS), river=rng.choice(RIVERS),
        )
        if attempt >= 20:
            candidate += f"（{ORDINALS[1 + attempt % 9]}期）"
        if (region.code, candidate) not in taken:
            name = candidate
        attempt += 1
    taken.add((region.code, name))

    kind = Kind.STALLED if rng.random() < 0.6 else Kind.IDLE
    # Approved 2016–2020, inside the campaign's scope (起底范围: 2016 onwards). The draw is the one the demo has
    # always made (2008–2017), mapped, so every later draw, and with them the names the story forces, stay the same.
    drawn_year = rng.randint(2008, 2017)
    approval_year = 2016 + (drawn_year - 2008) * 4 // 9
    start_year = approval_year + rng.randint(1, 2)
    end_year = start_year + rng.randint(1, 3)
    total = math.exp(rng.uniform(math.log(80), math.log(30000)))
    share = rng.uniform(0.15, 0.9) if kind == Kind.STALLED else rng.uniform(0.92, 1.0)
    total_investment = money(rng, total)
    completed = min(money(rng, total * share), total_investment)
    funds = completed * Decimal(str(round(rng.uniform(0.6, 1.0), 2)))
    funds = funds.quantize(Decimal("0.01"))
    has_funds = rng.random() > 0.05

    department: str | None = template.department
    if category in MULTI_DEPARTMENT and rng.random() < 0.08:
        department = None  # 待指定: the office assigns it
    classified = department in CLASSIFIED_LINES and rng.random() < 0.4
    roll = rng.random()
    if department is None:
        status, reason = Status.CANDIDATE, ""  # cannot be confirmed before a department is assigned
    elif classified or roll < 0.8:
        status, reason = Status.IN_LEDGER, ""
    elif roll < 0.93:
        status, reason = Status.CANDIDATE, ""
    else:
        status, reason = Status.REJECTED, rng.choice(REJECT_REASONS)

    project_code = ""
    if drawn_year >= 2015 and rng.random() < 0.8:
        while not project_code or project_code in codes:
            project_code = (
                f"{approval_year}-{region.code}-{template.industry}-01-{rng.randint(0, 99999):05d}{rng.randint(0, 9)}"
            )
        codes.add(project_code)

    unit_place = region.full_name
    responsible_unit = f"{unit_place}{template.bureau}"
    owner_roll = rng.random()
    if template.facility and owner_roll < 0.4:
        owner_unit, owner_prefix = BUILDING_SUFFIX.sub("", name), "12"
    elif owner_roll < 0.8:
        owner_unit, owner_prefix = responsible_unit, "11"
    else:
        owner_unit, owner_prefix = f"{unit_place}城市建设投资有限责任公司", "91"
    if prefecture.code == region.code:
        approval_level = ApprovalLevel.REGION if rng.random() < 0.2 else ApprovalLevel.PREFECTURE
    else:
        # Mostly approved by the league/city; the few approved by the county are outside the campaign's scope,
        # and half of those are brought in as 影响较大 (below).
        approval_level = ApprovalLevel.COUNTY if rng.random() < 0.04 else ApprovalLevel.PREFECTURE
    lon, lat = CENTRES[prefecture.code]
    located = rng.random() < 0.85
    causes = rng.sample(STALLED_CAUSES if kind == Kind.STALLED else IDLE_CAUSES, rng.choice((1, 1, 2)))
    abbreviation = region.name[0] if region.level == RegionLevel.COUNTY else prefecture.name[0]
    return {
        "project_code": project_code,
        "name": name,
        "region": region,
        "prefecture": prefecture,
        "address": f"{unit_place}{rng.choice(STREETS)}{rng.randint(1, 300)}号" if rng.random() < 0.6
        else f"{unit_place}{rng.choice(TOWNS)}",
        "longitude": Decimal(f"{lon + rng.uniform(-0.4, 0.4):.6f}") if located else None,
        "latitude": Decimal(f"{lat + rng.uniform(-0.3, 0.3):.6f}") if located else None,
        "category_id": category,
        "department_id": department,
        "approval_level": approval_level,
        "approval_date": partial_date(rng, approval_year),
        "approval_doc": f"{abbreviation}发改审批字〔{approval_year}〕{rng.randint(3, 260)}号",
        **_high_impact(approval_level, name),
        "owner_unit": owner_unit,
        "owner_uscc": uscc(rng, owner_prefix, region.code),
        "content": template.content.format(
            area=rng.randrange(800, 30000, 50), floors=rng.randint(2, 12), units=rng.randrange(50, 2000, 10),
            beds=rng.randrange(40, 500, 10), km=round(rng.uniform(1.5, 48), 1),
        ),
        "kind": kind,
        "total_investment": total_investment,
        "completed_investment": completed,
        "funds_in_place": funds if has_funds else None,
        "unpaid_amount": max(completed - funds, Decimal(0)) if has_funds else None,
        "start_date": partial_date(rng, start_year),
        "stop_date": partial_date(rng, end_year) if kind == Kind.STALLED else "",
        "completion_date": partial_date(rng, end_year) if kind == Kind.IDLE else "",
        "causes": "；".join(causes),
        "responsible_unit": responsible_unit,
        "responsible_person": person(rng),
        "phone": phone(rng, prefecture.code),
        "status": status,
        "status_reason": reason,
        "classified": classified,
    }


