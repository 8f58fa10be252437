"""Demo projects into the ledger through `ledger.services`: submitted by their county, league or (classified)
department, then confirmed or rejected by the competent department — months before any plan."""

from __future__ import annotations

import datetime as dt
import random
from functools import partial

from halfbuilt.ledger import services as ledger
from halfbuilt.ledger.models import Project, Status
from halfbuilt.regions.models import Category, Department

from .accounts import Cast, actor
from .story import Case, Story

# Days before today the projects are submitted, and how long the department takes to confirm them: all of it
# before the first plan (plans.py) and inside the change log's retention (190 days at least).
SUBMITTED_DAYS_AGO = (165, 172)
REVIEW_DAYS = (2, 12)


def existing(rows: list[dict]) -> set[tuple[str, str]]:
    """(region, name) of the generated projects already in the ledger: a second run leaves them alone."""
    names = [r["name"] for r in rows]
    return set(Project.objects.filter(name__in=names).values_list("region_id", "name"))


def schedule(story: Story, cast: Cast, rng: random.Random, case: Case, lookups: Lookups) -> None:
    clock, row = story.clock, case.row
    submitted = clock.at(clock.day(rng.randint(*SUBMITTED_DAYS_AGO)), rng.randint(9, 16), rng.randrange(0, 60, 5))
    story.add(submitted, partial(_create, cast, case, lookups.data(row)))
    if row["status"] != Status.CANDIDATE:
        reviewed = submitted + dt.timedelta(days=rng.randint(*REVIEW_DAYS), hours=rng.randint(0, 2))
        story.add(reviewed, partial(_review, cast, case))


class Lookups:
    """Categories and departments by code, and project codes already taken, for `project_create`'s data."""

    def __init__(self, rows: list[dict]) -> None:
        self.categories = {c.code: c for c in Category.objects.all()}
        self.departments = {d.code: d for d in Department.objects.all()}
        codes = [r["project_code"] for r in rows if r["project_code"]]
        self.taken = set(Project.objects.filter(project_code__in=codes).values_list("project_code", flat=True))

    def data(self, row: dict) -> dict:
        data = {k: row[k] for k in ledger.EDITABLE_FIELDS if k in row}
        data["category"] = self.categories[row["category_id"]]
        data["department"] = self.departments.get(row["department_id"] or "")
        if data["project_code"] in self.taken:  # a real project has it: the demo's stays without one
            data["project_code"] = ""
        return data


def _create(cast: Cast, case: Case, data: dict, moment: dt.datetime) -> int:
    case.project = ledger.project_create(actor=actor(cast.submitter(case.row)), data=data)
    return case.project.pk


def _review(cast: Cast, case: Case, moment: dt.datetime) -> int:
    row = case.row
    action = "confirm" if row["status"] == Status.IN_LEDGER else "reject"
    case.project = ledger.project_transition(actor=actor(cast.reviewer(case.project)), project=case.project,
                                             action=action, reason=row["status_reason"])
    return case.project.pk
