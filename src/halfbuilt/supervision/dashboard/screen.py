"""The 大屏 (command-room screen): the dashboard's headline figures, its league ranking, trend and map as one JSON
document, in the user's scope, read from the cube at the moment given with them (`as_of`)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from halfbuilt.core.formatting import percent

from . import areas, figures

RANKING_ROWS = 14  # the rows the ranking panel holds at 1080 px (Inner Mongolia: 12 leagues and 自治区本级)


def _pct(share) -> float | None:
    return None if share is None else float(share * 100)


def data(user) -> dict:
    board = figures.dashboard(user)
    view = areas.map_view(user, board)
    now = timezone.localtime()
    yi = board.investment_yi
    return {
        "as_of": now.isoformat(timespec="seconds"), "as_of_text": now.strftime("%Y-%m-%d %H:%M:%S"),
        "refresh": settings.DASHBOARD_SCREEN_REFRESH_SECONDS,
        "figures": {
            "total": board.total.n, "revitalised": board.revitalised.n, "closed": board.closed.n,
            "rate": _pct(board.rate), "rate_text": percent(board.rate) if board.rate is not None else "—",
            "target": _pct(board.target),
            "target_text": percent(board.target) if board.target is not None else "",
            "red": sum(r.red for r in board.leagues), "yellow": sum(r.yellow for r in board.leagues),
            "invest_total": f"{yi['total']:,.2f}", "invest_completed": f"{yi['completed']:,.2f}",
            "invest_needed": f"{yi['needed']:,.2f}",
        },
        "ranking": [{"rank": r.rank, "name": r.name, "n": r.n, "closed": r.closed,
                     "rate": percent(r.rate) if r.rate is not None else "—"} for r in board.leagues[:RANKING_ROWS]],
        "months": {"labels": [m.month for m in board.months], "entered": [m.entered for m in board.months],
                   "closed": [m.closed for m in board.months],
                   "names": [str(figures.LABELS["entered"]), str(figures.LABELS["closed"])]},
        "map": view.data() if view else None,
    }
