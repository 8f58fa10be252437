"""A circular's figures, computed — never typed — from the dashboard's own functions (supervision/dashboard/
figures.py), so they equal the dashboard's on the same day: the ledger as it stands (台账, 已制定方案, 已销号, 销号率,
方案制定率, red lights) and, for the period, projects closed in its months, monthly reports due in it and submitted
by their due day (按时报送率), and the overdue 督办 at the day of computing.

The result is plain JSON (numbers, strings, rates as strings "0.333"): a published circular stores it as is."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy

from halfbuilt.greenchannel.selectors import overdue_ranking
from halfbuilt.ledger.models import Project
from halfbuilt.progress import periods
from halfbuilt.supervision.dashboard import figures as board
from halfbuilt.supervision.lights.models import Colour
from halfbuilt.supervision.lights.reasons import decode

# The figures a 红黑榜 may rank by: key → (label, whether higher is better).
METRICS: dict[str, tuple] = {
    "rate": (board.LABELS["rate"], True),
    "plan_rate": (board.LABELS["plan_rate"], True),
    "on_time_rate": (gettext_lazy("按时报送率"), True),
    "closed_in_period": (gettext_lazy("期内销号"), True),
    "red": (board.LABELS["red"], False),
    "overdue": (gettext_lazy("逾期督办"), False),
}
RATES = ("rate", "plan_rate", "on_time_rate")
RED_PROJECTS_MAX = 500


def months_of(start: dt.date, end: dt.date) -> list[str]:
    """The months (YYYY-MM) the period touches."""
    found, month = [], periods.period_of(start)
    while month <= periods.period_of(end):
        found.append(month)
        month = periods.shift(month, 1)
    return found


def report_months(start: dt.date, end: dt.date, today: dt.date) -> list[str]:
    """The months whose monthly reports fell due within the period (due day in start..end, and passed)."""
    first = periods.shift(periods.period_of(start), -1)
    return [m for m in months_of(dt.date(int(first[:4]), int(first[5:]), 1), end)
            if start <= periods.due_date(m) <= min(end, today)]


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _rows(rows: list[board.Row], closed: dict, reports: dict, overdue: dict) -> list[dict]:
    out = []
    for row in rows:
        due, on_time = reports.get(row.key, (0, 0))
        out.append({
            "key": row.key, "name": row.name, "n": row.n, "planned": row.planned, "closed": row.closed,
            "rate": _rate(row.rate), "plan_rate": _rate(row.plan_rate), "red": row.red,
            "closed_in_period": closed.get(row.key, 0), "due": due, "on_time": on_time,
            "on_time_rate": _rate(board.rate(on_time, due)), "overdue": overdue.get(row.key, 0),
            "dashboard_rank": row.rank,
        })
    return out


class _Keyed:
    """A row dict seen as `rank_by` wants it (name, key)."""

    def __init__(self, data: dict) -> None:
        self.data, self.name, self.key = data, data["name"], data["key"]


def metric_value(data: dict, metric: str):
    value = data.get(metric)
    return Decimal(value) if metric in RATES and value is not None else value


def rank(rows: list[dict], metric: str) -> list[dict]:
    """The rows ranked by `metric` (board.rank_by: equal values share a rank, then by name), each with `rank`."""
    high = METRICS[metric][1]
    placed = board.rank_by([_Keyed(r) for r in rows], lambda k: metric_value(k.data, metric), high_is_best=high)
    return [{**k.data, "rank": position} for position, k in placed]


def boards(ranked_rows: list[dict], metric: str, n: int) -> tuple[list[dict], list[dict]]:
    """红榜: the rows ranked within the first `n` places; 黑榜: those within the last `n`, worst first. Rows
    without a value (no project, no report due) are on neither; a row is never on both."""
    valued = [r for r in ranked_rows if metric_value(r, metric) is not None]
    if not valued or n < 1:
        return [], []
    top = [r for r in valued if r["rank"] <= n]
    # Worst place first; rows sharing a place keep their order by name.
    worst = sorted(valued, key=lambda r: -r["rank"])
    cut = worst[min(n, len(worst)) - 1]["rank"]
    bottom = [r for r in worst if r["rank"] >= cut and r not in top]
    return top, bottom


def red_projects(user) -> list[dict]:
    """The projects lit red in `user`'s dashboard scope: name, region, unit, reasons."""
    lit = (Project.objects.restrict(user, "dashboard").filter(light__colour=Colour.RED)
           .select_related("region__parent", "responsible_org", "light").order_by("region_id", "ledger_no"))
    return [{
        "name": p.name, "ledger_no": p.ledger_no, "region": p.region.full_name,
        "unit": p.responsible_org.name if p.responsible_org_id else p.responsible_unit,
        "reasons": [str(r.label) for r in decode(p.light.reasons) if r.colour == Colour.RED]
        or [str(r.label) for r in decode(p.light.reasons)],
    } for p in lit[:RED_PROJECTS_MAX]]


def green_overdue(user, today: dt.date) -> list[dict]:
    """绿色通道: the approval authorities by their items past the time limit (the green channel's ranking)."""
    return [{"rank": i, "name": r.organization.name, "overdue": r.overdue, "open": r.open}
            for i, r in enumerate(overdue_ranking(user, today), start=1)]


def compute(user, *, start: dt.date, end: dt.date, top_n: int = 3, metric: str = "rate",
            today: dt.date | None = None) -> dict:
    """Every figure of a circular for the period start..end, in `user`'s scope, as of `today`."""
    today = today or timezone.localdate()
    dashboard = board.dashboard(user)
    months = months_of(start, end)
    closed_l, closed_d = board.closed_between(user, months[0], months[-1])
    due_months = report_months(start, end, today)
    reports_l, reports_d = board.reports_between(user, due_months)
    overdue_l, overdue_d = board.overdue_by(user, today)
    leagues = rank(_rows(dashboard.leagues, closed_l, reports_l, overdue_l), metric)
    departments = rank(_rows(dashboard.departments, closed_d, reports_d, overdue_d), metric)
    due = sum(r["due"] for r in leagues)
    on_time = sum(r["on_time"] for r in leagues)
    planned = sum(r["planned"] for r in leagues)
    totals = {
        "n": dashboard.total.n, "closed": dashboard.closed.n, "revitalised": dashboard.revitalised.n,
        "rate": _rate(dashboard.rate), "planned": planned, "plan_rate": _rate(board.rate(planned, dashboard.total.n)),
        "red": sum(r["red"] for r in leagues), "closed_in_period": sum(closed_l.values()), "due": due,
        "on_time": on_time, "on_time_rate": _rate(board.rate(on_time, due)),
        "overdue": sum(overdue_l.values()) + sum(overdue_d.values()),
        "completed": str(dashboard.investment["completed"]),
    }
    top_l, bottom_l = boards(leagues, metric, top_n)
    top_d, bottom_d = boards(departments, metric, top_n)
    return {
        "as_of": today.isoformat(), "start": start.isoformat(), "end": end.isoformat(), "months": months,
        "report_months": due_months, "metric": metric, "top_n": top_n, "totals": totals,
        "leagues": leagues, "departments": departments,
        "honour": {"leagues": top_l, "departments": top_d}, "shame": {"leagues": bottom_l, "departments": bottom_d},
        "red_projects": red_projects(user), "green_overdue": green_overdue(user, today),
    }
