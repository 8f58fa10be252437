"""What the page's charts draw, as JSON for dashboard.js: the same figures as the tables beside them."""

from .figures import LABELS, Dashboard


def data(board: Dashboard) -> dict:
    def counts(items):
        return {"labels": [c.label for c in items], "values": [c.n for c in items]}

    return {
        "kind": counts(board.by_kind),
        "stage": counts(board.by_stage),
        "method": counts(board.by_method),
        "leagues": {"labels": [r.name for r in board.leagues], "series": {
            str(LABELS["in_ledger"]): [r.n for r in board.leagues],
            str(LABELS["closed"]): [r.closed for r in board.leagues],
        }},
        "months": {"labels": [m.month for m in board.months], "series": {
            str(LABELS["entered"]): [m.entered for m in board.months],
            str(LABELS["closed"]): [m.closed for m in board.months],
        }},
    }
