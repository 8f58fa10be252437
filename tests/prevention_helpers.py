"""Shared makers of the prevention tests: a proposal's data, a feed file, an actor."""

from decimal import Decimal

from halfbuilt.core.request_context import Actor
from halfbuilt.regions.models import Category, Department, Region


def actor(user) -> Actor:
    return Actor(user=user, ip="127.0.0.1")


def proposal_data(**overrides) -> dict:
    data = {
        "name": "东河区新城综合服务中心", "project_code": "", "category": Category.objects.get(code="A03"),
        "region": Region.objects.get(code="150202"), "department": Department.objects.get(code="JYT"),
        "total_investment": Decimal("10000"), "fiscal_capacity": Decimal("3000"), "feasibility": "done",
        "performance": "done", "land_ready": True, "planning_ready": True, "needs_operation": True,
        "operator": "东河区教育局", "running_budget": Decimal("200"), "planned_start": "2027-03",
        "planned_completion": "2028-12",
    }
    data.update(overrides)
    return data


def funds(*rows) -> list[dict]:
    """(level, amount, state) rows; the default: the whole total secured, a third from the region itself."""
    rows = rows or (("central", "7000", "secured"), ("local", "3000", "secured"))
    return [{"level": level, "amount": Decimal(amount), "state": state, "note": ""} for level, amount, state in rows]


def feed_csv(tmp_path, lines: list[str], name: str = "进度.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
