"""The dashboard's figures recomputed independently of the cube: a GROUP BY over the projects, for its tests."""

from collections import Counter
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.utils import timezone

from halfbuilt.closure.models import ClosureRequest
from halfbuilt.ledger.models import Project

SCOPE = ("region_id", "prefecture_id", "department_id", "classified", "status")


def _last_closed():
    return ClosureRequest.objects.filter(project=OuterRef("pk"), status="closed").order_by("-closed_at", "-id")


def _scope(values, league: bool) -> tuple:
    """The scope columns' values; the league-level grains leave the county-level region out."""
    return tuple("" if league and k == "region_id" else values[k] for k in SCOPE)


def expected_main(league: bool = False) -> dict[tuple, tuple]:
    """(scope…, kind, stage, method, outcome, light) → (projects, total, completed), straight from the projects."""
    rows = (Project.objects.order_by()
            .annotate(m=F("plan__method"), o=Subquery(_last_closed().values("outcome")[:1]))
            .values(*SCOPE, "kind", "stage", "m", "o")
            .annotate(n=Count("pk"), total=Sum("total_investment"), completed=Sum("completed_investment")))
    found: dict[tuple, list] = {}
    for r in rows:
        outcome = (r["o"] or "") if r["stage"] == "closed" else ""
        key = (*_scope(r, league), r["kind"], r["stage"], r["m"] or "", outcome, "")
        entry = found.setdefault(key, [0, Decimal(0), Decimal(0)])
        entry[0] += r["n"]
        entry[1] += r["total"] or 0
        entry[2] += r["completed"] or 0
    return {k: tuple(v) for k, v in found.items()}


def actual_main(league: bool = False) -> dict[tuple, tuple]:
    from halfbuilt.supervision.dashboard.models import Cell

    cells = Cell.objects.filter(grain="lmain" if league else "main").exclude(n=0)
    return {(*(getattr(c, k) for k in SCOPE), c.kind, c.stage, c.method, c.outcome, c.light):
            (c.n, c.total, c.completed) for c in cells}


def expected_months() -> Counter:
    """(grain, scope…, month) → projects: registered in the month; closed in the month."""
    counts: Counter = Counter()
    rows = Project.objects.annotate(closed_at=Subquery(_last_closed().values("closed_at")[:1]))
    for p in rows:
        values = {k: getattr(p, k) for k in SCOPE}
        for prefix, league in (("", False), ("l", True)):
            scope = _scope(values, league)
            counts[(prefix + "entered", *scope, timezone.localtime(p.created_at).strftime("%Y-%m"))] += 1
            if p.stage == "closed" and p.closed_at:
                counts[(prefix + "closed", *scope, timezone.localtime(p.closed_at).strftime("%Y-%m"))] += 1
    return counts


def actual_months() -> Counter:
    from halfbuilt.supervision.dashboard.models import Cell

    return Counter({(c.grain, *(getattr(c, k) for k in SCOPE), c.month): c.n
                    for c in Cell.objects.exclude(grain__in=("main", "lmain")).exclude(n=0)})


def assert_cube_matches() -> None:
    assert actual_main() == expected_main()
    assert actual_main(league=True) == expected_main(league=True)
    assert actual_months() == expected_months()
