"""What a demo plan says: the method's facts and the plan's parts, drawn for a generated project row. Fact
dates (appraisal, the authority's confirmation, a case's year) lie before the drafting day; the deadline,
the committed completion and the demolition date are the plan's own dates, ahead of it."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from halfbuilt.disposal.methods import METHODS
from halfbuilt.disposal.models import Method

from .rows import person
from .texts import (
    AGENCIES,
    CONTRACTORS,
    COOPERATING,
    FUND_SOURCES,
    MEASURES,
    REVITALISE_ROUTES,
    SITE_USES,
)

CENT = Decimal("0.01")


def facts(rng: random.Random, method: str, row: dict, drafted: dt.date, complete: bool) -> dict:
    """The method's facts; `complete` when the plan goes to review (what review needs is filled in)."""
    place = row["region"].full_name
    if method == Method.PROCEDURES:
        central = rng.random() < 0.1
        return {"central_approval_needed": central,
                "central_approval_note": "已按程序报国家有关部门审批" if central else ""}
    if method == Method.RESUME:
        if not complete and rng.random() < 0.4:
            return {"continuation_plan": "待评估鉴定完成后编制续建方案"}
        appraised = drafted - dt.timedelta(days=rng.randint(25, 90))
        confirmed = appraised + dt.timedelta(days=rng.randint(5, 20))
        return {
            "appraisal_date": appraised.isoformat(), "appraisal_agency": rng.choice(AGENCIES),
            "appraisal_conclusion": "qualified" if rng.random() < 0.6 else "basically_qualified",
            "authority_confirmed_by": f"{place}住房和城乡建设局", "authority_confirmed_date": confirmed.isoformat(),
            "continuation_plan": "按原设计完成剩余主体及配套工程，对鉴定指出的部位先行加固。",
            "continuing_entity": row["owner_unit"] if rng.random() < 0.6 else rng.choice(CONTRACTORS),
        }
    if method == Method.REVITALISE:
        route = rng.choice(list(REVITALISE_ROUTES))
        funds = (row["total_investment"] * Decimal(str(rng.uniform(0.1, 0.5)))).quantize(CENT)
        return {"route": route, "counterparties": REVITALISE_ROUTES[route], "new_funds": str(funds),
                "funds_source": rng.choice(FUND_SOURCES)}
    if method == Method.JUDICIAL:
        route = rng.choice(["judgment", "judgment", "auction", "mediation"])
        prefecture = row["prefecture"]
        court = f"{prefecture.name}中级人民法院" if rng.random() < 0.5 else f"{place}人民法院"
        year = drafted.year if rng.random() < 0.6 else drafted.year - 1
        return {
            "route": route, "developer_extinct": route == "auction", "court": court,
            "case_number": f"（{year}）内{prefecture.code[2:4]}民初{rng.randint(100, 3999)}号",
            "outcome": "调解协议已经司法确认" if route == "mediation" and complete else "",
        }
    conditions = rng.sample(["cannot_legalise", "fails_planning", "fails_safety", "no_market_need"], rng.randint(1, 2))
    demolition = drafted + dt.timedelta(days=rng.randint(60, 200))
    return {"involves_relocation": False, **{c: True for c in conditions},
            "demolition_date": demolition.isoformat() if complete else None, "site_use_after": rng.choice(SITE_USES)}


def plan_data(rng: random.Random, method: str, row: dict, method_facts: dict, deadline: dt.date) -> dict:
    """The plan as `disposal.services.plan_create` takes it."""
    place = row["region"].full_name
    route = ""
    if method in (Method.REVITALISE, Method.JUDICIAL) and method_facts.get("route"):
        route = METHODS[method].field("route").choice_label(method_facts["route"])
    measures = MEASURES[method].format(items="规划许可、施工许可、竣工验收", route=route or "多种方式",
                                       use=method_facts.get("site_use_after", ""))
    if method == Method.RESUME and method_facts.get("continuing_entity"):
        method_facts = {**method_facts, "committed_completion_date": deadline.isoformat()}
    return {
        "introduction": f"{row['name']}，{row['content']}，总投资{row['total_investment']}万元，"
                        f"已完成投资{row['completed_investment']}万元。",
        "problems": row["causes"] or "资金不足导致停建",
        "method": method, "measures": measures, "lead_unit": row["responsible_unit"],
        "responsible_person": row["responsible_person"] or "王建国", "responsible_phone": row["phone"],
        "cooperating_units": COOPERATING[method].format(p=place), "deadline": deadline,
        "leader_in_charge": f"{person(rng)}（副{_title(row['region'].name)}）",
        "facts": method_facts,
    }


def _title(region_name: str) -> str:
    for suffix, title in (("旗", "旗长"), ("县", "县长"), ("区", "区长"), ("盟", "盟长")):
        if region_name.endswith(suffix):
            return title
    return "市长"
