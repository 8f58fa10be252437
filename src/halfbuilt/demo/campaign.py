"""The demo campaign: ~440 projects over every league/city and category, about 60% of those in the ledger in
disposal — plans of all five methods in every review status, monthly reports (some late, some missing),
roll-ups, closures in every status and a 回头看 — each written through the services by a user whose role
allows it, in time order over the last months (story.py), placed relative to today (clock.py).

Deterministic (seeded) for a given day, except the 回头看 draw, whose seed the closure service takes from
`secrets` by design; its size and results (one failed, the others passed, one left pending) are fixed.
Safe to run again: projects already there (same region and name) are left alone, and so is their story.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from halfbuilt.closure.models import ClosureRequest
from halfbuilt.disposal.models import Method, Plan
from halfbuilt.ledger.models import Kind, Status
from halfbuilt.notifications.reminders import send_daily
from halfbuilt.progress import periods
from halfbuilt.progress.models import ProgressReport
from halfbuilt.regions.models import Category, Region
from halfbuilt.supervision.lights.recompute import recompute as recompute_lights

from . import closures, orders, plans, projects, reports
from . import rows as generated
from .accounts import Cast
from .clock import Clock
from .story import Case, Story

SEED = 20220901  # the day plan drafting began in the Inner Mongolia campaign
PLAN_SHARE = 0.6
STOPS_REPORTING_SHARE = 0.15  # of the projects in disposal without a closure: nothing since the overdue month

# (status the plan ends in, closure status or "") for showcase projects, so every demo account has a queue.
FORCED: dict[str, tuple[str, str]] = {
    "包头市东河区第二中学综合楼": ("confirmed", ""),  # demo_unit: a report due, one missing, one late
    "包头市东河区沙尔沁镇中心学校教学楼": ("returned", ""),  # demo_unit: a plan to fix
    "包头市东河区蒙古族中学学生宿舍楼": ("draft", ""),  # demo_unit: a draft
    "包头市东河区职业中学实训楼": ("confirmed", "returned"),  # demo_unit: a returned closure request
    "包头市第九中学综合楼": ("confirmed", "requested"),  # demo_jyt, demo_baotou_jyt: a closure to review
    "包头市白云鄂博矿区蒙古族中学学生宿舍楼": ("submitted", ""),  # demo_jyt, demo_baotou_jyt: a plan to review
    "包头市东河区公安分局业务技术用房": ("confirmed", ""),  # demo_gat: classified, all by itself
    "包头市东河区人民医院住院楼": ("confirmed", "approved"),  # demo_office: a closure to close
    "阿拉善左旗敬老院改扩建工程": ("confirmed", "closed"),  # demo_office: closed projects for the 回头看
    "赤峰市红山区全民健身中心": ("confirmed", "closed"),
}
FORCED_METHOD = {
    "包头市东河区第二中学综合楼": Method.RESUME, "包头市东河区职业中学实训楼": Method.PROCEDURES,
    "包头市东河区公安分局业务技术用房": Method.RESUME, "包头市东河区沙尔沁镇中心学校教学楼": Method.RESUME,
}
# The demo unit's school: late for the month before the overdue one, nothing since, whatever day it is.
STOPS_REPORTING = {"包头市东河区第二中学综合楼"}
STATUS_WEIGHTS = {"draft": 8, "submitted": 12, "returned": 8, "approved": 10, "confirmed": 62}
METHOD_WEIGHTS = {
    Kind.STALLED: {Method.PROCEDURES: 15, Method.RESUME: 40, Method.REVITALISE: 20, Method.JUDICIAL: 10,
                   Method.DEMOLISH: 15},
    Kind.IDLE: {Method.PROCEDURES: 45, Method.RESUME: 5, Method.REVITALISE: 35, Method.JUDICIAL: 5,
                Method.DEMOLISH: 10},
}
CLOSURE_WEIGHTS = {"": 72, "closed": 15, "requested": 5, "approved": 4, "returned": 4}


@transaction.atomic
def build(*, per_prefecture: int = generated.PROJECTS_PER_PREFECTURE, now: dt.datetime | None = None) -> dict:
    """Write the demo projects that are not there yet, with their story; returns what it created and how many
    demo projects were there already. Needs the demo accounts (accounts.ensure_demo_accounts)."""
    regions = list(Region.objects.select_related("parent").order_by("code"))
    categories = list(Category.objects.order_by("code").values_list("code", flat=True))
    rows = generated.generate(random.Random(generated.SEED), regions, categories, per_prefecture)
    present = projects.existing(rows)
    cases = [Case(row) for row in rows if (row["region"].code, row["name"]) not in present]
    result = {"created": len(cases), "present": len(present), "plans": 0, "reports": 0, "closures": 0}
    if not cases:
        return result
    before = {"plans": Plan.objects.count(), "reports": ProgressReport.objects.count(),
              "closures": ClosureRequest.objects.count()}
    story, cast, rng = Story(Clock(now or timezone.now())), Cast(), random.Random(SEED)
    lookups = projects.Lookups(rows)
    for case in cases:
        projects.schedule(story, cast, rng, case, lookups)
    for case in cases:
        _dispose(story, cast, rng, case)
    reports.schedule_rollups(story, cast, cases)
    closures.schedule_followup(story, cast)
    orders.schedule(story, cast)
    story.run()
    # Every light once, as of the story's end (the demo command pauses the change-log hook over the build).
    recompute_lights(now=story.clock.cutoff)  # like every step, before the build began
    # The story's transitions have notified whoever holds each next step; the worker's reminders of today come on
    # top, so that every demo account opens an inbox in use.
    send_daily()
    result["plans"] = Plan.objects.count() - before["plans"]
    result["reports"] = ProgressReport.objects.count() - before["reports"]
    result["closures"] = ClosureRequest.objects.count() - before["closures"]
    return result


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _dispose(story: Story, cast: Cast, rng: random.Random, case: Case) -> None:
    """The plan, and for a confirmed one its reports, closure and follow-through."""
    row, clock = case.row, story.clock
    name = row["name"]
    if row["status"] != Status.IN_LEDGER:
        return
    forced = FORCED.get(name)
    if forced is None and rng.random() >= PLAN_SHARE:
        return
    status, closure_status = forced or (_pick(rng, STATUS_WEIGHTS), "")
    method = FORCED_METHOD.get(name) or _pick(rng, METHOD_WEIGHTS[row["kind"]])
    plans.schedule(story, cast, rng, case, status, method)
    if case.confirmed is None:
        return
    if forced is None:
        closure_status = _pick(rng, CLOSURE_WEIGHTS)
    # A closure follows the report of the month before the overdue one (weeks ago, whatever the day): a closed
    # project reports no further, the others go on reporting while their request is handled.
    before_overdue = periods.shift(clock.overdue, -1)
    stops = name in STOPS_REPORTING or (not closure_status and rng.random() < STOPS_REPORTING_SHARE)
    reports.schedule(
        story, cast, rng, case, until=before_overdue if closure_status == "closed" else clock.open,
        stop_at=clock.overdue if stops else None,
        late=frozenset({before_overdue}) if name in STOPS_REPORTING else frozenset(),
    )
    requested = None
    if closure_status:
        after = max((m for p, m in case.reports if p <= before_overdue), default=case.confirmed)
        requested = closures.schedule(story, cast, rng, case, closure_status, after)
    plans.schedule_follow_through(story, cast, rng, case, until=requested or clock.cutoff)
