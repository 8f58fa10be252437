"""The campaign replayed in time order through the services.

Planners queue steps, each a moment and a function that calls services. `Story.run` executes them in time
order across all projects, so every service sees the state the story has reached at that moment: a roll-up's
figures count the reports in by then, a 回头看 draws from the projects closed by then. The services stamp
"now" (they take no clock); after each step, what it stamped is moved to the step's moment. That is the one
write the demo makes around the services, and it touches timestamps only.

Nothing is queued after `Clock.cutoff`: what would come later has not happened yet.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from halfbuilt.audit.models import ChangeLog
from halfbuilt.closure.models import ClosureRequest, FollowUpCheck
from halfbuilt.disposal.models import Plan, PlanRevision
from halfbuilt.files.models import Attachment
from halfbuilt.ledger.models import Project
from halfbuilt.progress.models import ProgressReport

from .clock import Clock

# What the services stamp with "now": a project's rows of each model, and their time fields.
STAMPED: list[tuple[type, tuple[str, ...]]] = [
    (Project, ("created_at", "updated_at")),
    (Plan, ("created_at", "updated_at")),
    (PlanRevision, ("changed_at",)),
    (ClosureRequest, ("requested_at", "reviewed_at", "closed_at")),
    (FollowUpCheck, ("checked_at",)),
    (Attachment, ("uploaded_at",)),
    (ProgressReport, ("submitted_at",)),
]


@dataclass
class Case:
    """One demo project through its story: the generated row, what the planners decided, what the steps wrote."""

    row: dict
    project: Project | None = None
    plan: Plan | None = None
    method: str = ""
    facts: dict = field(default_factory=dict)
    procedures: list[str] = field(default_factory=list)  # kinds of the 完善手续 procedures listed
    drafted: dt.date | None = None
    confirmed: dt.datetime | None = None
    photo: Attachment | None = None
    reports: list[tuple[str, dt.datetime]] = field(default_factory=list)


# A step gets its moment and returns the id of the project whose rows it wrote (None: it stamps its own).
StepFn = Callable[[dt.datetime], int | None]


@dataclass(order=True)
class Step:
    moment: dt.datetime
    seq: int
    run: StepFn = field(compare=False)


class Story:
    """The queue of steps, in time order, and the running of it."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._queue: list[Step] = []
        self._seq = itertools.count()
        self._current: dt.datetime | None = None
        self._updates = list(_stamp_statements())

    def add(self, moment: dt.datetime, run: StepFn) -> bool:
        """Queue `run` at `moment`; False (and nothing queued) when that is after the cutoff."""
        if moment > self.clock.cutoff:
            return False
        if self._current is not None and moment < self._current:
            raise ValueError(f"a step queued while running cannot go back in time ({moment} < {self._current})")
        heapq.heappush(self._queue, Step(moment, next(self._seq), run))
        return True

    def run(self) -> int:
        """Execute every step in time order (steps may queue later ones); returns how many ran."""
        count = 0
        while self._queue:
            step = heapq.heappop(self._queue)
            self._current = step.moment
            started = timezone.now()
            project_id = step.run(step.moment)
            self._stamp(step.moment, started, project_id)
            count += 1
        self._current = None
        return count

    def _stamp(self, moment: dt.datetime, started: dt.datetime, project_id: int | None) -> None:
        """Move what the step stamped (at or after `started`; the story's moments are all before) to `moment`.
        Plain SQL: the ORM's cost per statement would double the build, for ~10 statements a step."""
        ChangeLog.objects.filter(at__gte=started).update(at=moment)
        if project_id is None:
            return
        adapt = connection.ops.adapt_datetimefield_value
        with connection.cursor() as cursor:
            for sql in self._updates:
                cursor.execute(sql, [adapt(moment), project_id, adapt(started)])


def _stamp_statements() -> Iterator[str]:
    """UPDATE … SET field = moment WHERE (the project's row) AND field >= started, from the models' metadata."""
    quote = connection.ops.quote_name
    plan_project = quote(Plan._meta.get_field("project").column)
    plans = f"SELECT {quote(Plan._meta.pk.column)} FROM {quote(Plan._meta.db_table)} WHERE {plan_project} = %s"
    for model, fields in STAMPED:
        if model is Project:
            where = f"{quote(Project._meta.pk.column)} = %s"
        elif model is PlanRevision:
            where = f"{quote(PlanRevision._meta.get_field('plan').column)} IN ({plans})"
        else:
            where = f"{quote(model._meta.get_field('project').column)} = %s"
        for name in fields:
            column = quote(model._meta.get_field(name).column)
            yield f"UPDATE {quote(model._meta.db_table)} SET {column} = %s WHERE {where} AND {column} >= %s"
