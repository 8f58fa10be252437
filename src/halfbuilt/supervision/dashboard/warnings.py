"""The dashboard's 预警与督办: what the viewer must chase beside the lights — overdue and 挂牌 督办, overdue tip-offs,
who has not filed its 实施方案. Each figure is the owning app's own count (its queues module, through `restrict`)
and links to that app's list filtered to exactly what it counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from halfbuilt.campaign import queues as campaign_queues
from halfbuilt.core.queues import QueueCount
from halfbuilt.supervision.orders import queues as order_queues
from halfbuilt.supervision.orders import selectors as order_selectors
from halfbuilt.tipoffs import queues as tipoff_queues

# The 挂牌督办 listed on the page (the rest behind the figure's link), nearest deadline first.
LISTED_SHOWN = 10


@dataclass
class Warnings:
    figures: list[QueueCount] = field(default_factory=list)
    listed: list = field(default_factory=list)  # SupervisionOrder, open and 挂牌
    not_filed: list[str] = field(default_factory=list)  # who has not filed its 实施方案 (the office only)


def warnings(user) -> Warnings:
    figures = order_queues.dashboard_counts(user)
    listed_open = next(f.count for f in figures if f.key == order_queues.LISTED_OPEN)
    listed = list(order_selectors.listed_open(user).order_by("deadline", "-issued_on")[:LISTED_SHOWN]
                  ) if listed_open else []
    found = Warnings(figures, listed)
    tipoffs = tipoff_queues.overdue(user)
    if tipoffs is not None:
        figures.append(tipoffs)
    filings = campaign_queues.not_filed(user)
    if filings is not None:
        figures.append(filings[0])
        found.not_filed = filings[1]
    return found
