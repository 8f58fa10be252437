"""The campaign's timeline beside the figures (销号率 against its target and its dates): each phase done, running or
to come, and each target with where the figures stand and the days left or past its date. The phases and targets
are the campaign's data (`campaign.selectors`); the rates are the dashboard's own, so they are the viewer's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy

from .figures import Dashboard, rate

DONE, NOW, LATER = "done", "now", "later"
STATE_LABELS = {DONE: gettext_lazy("已结束"), NOW: gettext_lazy("进行中"), LATER: gettext_lazy("未开始")}


@dataclass(frozen=True)
class PhaseRow:
    name: str
    starts: dt.date | None
    ends: dt.date
    due: dt.date | None
    due_label: str
    state: str  # DONE, NOW or LATER

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass(frozen=True)
class TargetRow:
    text: str
    due: dt.date | None
    goal: Decimal | None  # a share (1 = 100 %) where the target is a number
    actual: Decimal | None  # the viewer's figure for it
    days: int | None  # days left to the due date (negative: past it)

    @property
    def met(self) -> bool | None:
        if self.goal is None or self.actual is None:
            return None
        return self.actual >= self.goal

    @property
    def overdue_days(self) -> int:
        return -self.days if self.days is not None and self.days < 0 else 0


@dataclass(frozen=True)
class Timeline:
    phases: list[PhaseRow]
    targets: list[TargetRow]


def _state(starts: dt.date | None, ends: dt.date, today: dt.date) -> str:
    if today > ends:
        return DONE
    return LATER if starts is not None and today < starts else NOW


def timeline(board: Dashboard, today: dt.date | None = None) -> Timeline | None:
    """None without a current campaign (or one without phases and targets)."""
    from halfbuilt.campaign import selectors
    from halfbuilt.campaign.models import Target

    found_phases = selectors.phases()
    if not found_phases and not board.targets:
        return None
    today = today or timezone.localdate()
    actual = {Target.Metric.CLOSURE_RATE: board.rate,
              Target.Metric.REVITALISED_RATE: rate(board.revitalised.n, board.total.n)}
    phases = [PhaseRow(p.name, p.starts, p.ends, p.due, p.due_label, _state(p.starts, p.ends, today))
              for p in found_phases]
    targets = [TargetRow(t.text, t.due, None if t.value is None or not t.metric else t.value / 100,
                         actual.get(t.metric) if t.metric else None, (t.due - today).days if t.due else None)
               for t in board.targets]
    return Timeline(phases, targets)
