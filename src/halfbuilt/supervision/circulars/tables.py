"""The circular's tables as headers and cells, once for the page, the .docx and the .xlsx."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from halfbuilt.supervision.dashboard.figures import LABELS

from .figures import METRICS
from .texts import rate_text

RANKING_HEADERS = (_("名次"), _("名称"), LABELS["in_ledger"], LABELS["planned"], LABELS["plan_rate"],
                   LABELS["closed"], LABELS["rate"], METRICS["closed_in_period"][0], _("应报送"), _("按时报送"),
                   METRICS["on_time_rate"][0], LABELS["red"], METRICS["overdue"][0])
# The printed notice's narrower table (an A4 page holds ten columns): the rates and the counts they rank by.
DOC_RANKING_HEADERS = (_("名次"), _("名称"), LABELS["in_ledger"], LABELS["closed"], LABELS["rate"],
                       LABELS["plan_rate"], METRICS["closed_in_period"][0], METRICS["on_time_rate"][0],
                       LABELS["red"], METRICS["overdue"][0])
BOARD_HEADERS = (_("榜单"), _("名次"), _("名称"), _("排名指标"))
RED_HEADERS = (_("序号"), _("项目名称"), _("所在地区"), _("责任单位"), _("亮灯原因"))
GREEN_HEADERS = (_("名次"), _("审批部门"), _("绿色通道超期事项"), _("在办事项"))


def ranking_cells(row: dict) -> list:
    return [row["rank"], row["name"], row["n"], row["planned"], rate_text(row["plan_rate"]), row["closed"],
            rate_text(row["rate"]), row["closed_in_period"], row["due"], row["on_time"],
            rate_text(row["on_time_rate"]), row["red"], row["overdue"]]


def doc_ranking_cells(row: dict) -> list:
    return [row["rank"], row["name"], row["n"], row["closed"], rate_text(row["rate"]), rate_text(row["plan_rate"]),
            row["closed_in_period"], rate_text(row["on_time_rate"]), row["red"], row["overdue"]]


def metric_text(row: dict, metric: str) -> str:
    value = row.get(metric)
    return rate_text(value) if metric in ("rate", "plan_rate", "on_time_rate") else str(value)


def board_cells(data: dict) -> list[list]:
    """红榜 and 黑榜 of leagues, then of departments: (which, rank, name, the ranking figure)."""
    metric, lines = data["metric"], []
    for group, group_label in (("leagues", _("盟市")), ("departments", _("行业主管部门"))):
        for which, label in (("honour", _("红榜")), ("shame", _("黑榜"))):
            for row in data[which][group]:
                lines.append([f"{group_label}{label}", row["rank"], row["name"], metric_text(row, metric)])
    return lines


def red_cells(data: dict) -> list[list]:
    return [[i, p["name"], p["region"], p["unit"], "；".join(p["reasons"])]
            for i, p in enumerate(data["red_projects"], start=1)]


def green_cells(data: dict) -> list[list]:
    """绿色通道 overdue items by authority (a circular frozen before the green channel has none)."""
    return [[r["rank"], r["name"], r["overdue"], r["open"]] for r in data.get("green_overdue", [])]


def total_cells(data: dict) -> list[tuple[str, str]]:
    """The whole region's figures: the ledger's counts, then every ranking figure."""
    t = data["totals"]
    counts = [(LABELS["in_ledger"], t["n"]), (LABELS["planned"], t["planned"]), (LABELS["closed"], t["closed"])]
    return [(str(label), str(n)) for label, n in counts] + [
        (str(label), metric_text(t, key)) for key, (label, _high) in METRICS.items()]
