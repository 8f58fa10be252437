"""When a demo plan is drafted, reviewed and followed through (procedures done, work resumed, a revision),
each step queued on the story at its moment and run through `disposal.services` by the user whose role
allows it."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from functools import partial

from halfbuilt.accounts.models import User
from halfbuilt.disposal import services as disposal
from halfbuilt.disposal.models import Method, Plan, Procedure
from halfbuilt.ledger.models import Project
from halfbuilt.progress import periods

from .accounts import Cast, actor
from .clock import Clock, local_day
from .plan_content import facts, plan_data
from .rows import person
from .story import Case, StepFn, Story
from .texts import MILESTONES, PROCEDURE_AUTHORITY, RETURN_COMMENTS

# Days before today a plan is drafted: confirmed plans early enough for three to five monthly reports and a
# closure (see campaign.py), the others in the last weeks, their review still going on.
CONFIRMED_DRAFTED_DAYS_AGO = (100, 145)
OTHER_DRAFTED_DAYS_AGO = (20, 50)
REVISION_SHARE = 0.12


def schedule(story: Story, cast: Cast, rng: random.Random, case: Case, status: str, method: str) -> None:
    """Queue the drafting and the review until the plan stands at `status`; sets `case.drafted` and, for a
    confirmed plan, `case.confirmed`."""
    clock = story.clock
    low, high = CONFIRMED_DRAFTED_DAYS_AGO if status == "confirmed" else OTHER_DRAFTED_DAYS_AGO
    drafted = clock.day(rng.randint(low, high))
    complete = status in ("submitted", "approved", "confirmed") or rng.random() < 0.5
    method_facts = facts(rng, method, case.row, drafted, complete)
    case.method, case.facts, case.drafted = method, method_facts, drafted
    deadline = periods.last_day(periods.shift(periods.period_of(drafted), rng.randint(8, 14)))
    data = plan_data(rng, method, case.row, method_facts, deadline)
    titles = MILESTONES[method]
    count = min(len(titles), 3)
    span = (deadline - drafted).days
    milestones = [
        (titles[i], drafted + dt.timedelta(days=span * n // (count + 1) + rng.randint(-5, 5)))
        for n, i in enumerate(sorted(rng.sample(range(len(titles)), count)), 1)
    ]
    if method == Method.PROCEDURES:
        case.procedures = sorted(rng.sample(list(PROCEDURE_AUTHORITY), rng.randint(2, 4)))
    story.add(clock.at(drafted, 9), partial(_draft, cast, case, data, milestones))

    if status == "draft":
        return
    moment = clock.at(drafted, 10)
    steps = [("submit", cast.drafter, "")]
    if status == "returned":
        by_office = rng.random() < 0.3 and not case.row["classified"]
        if by_office:
            steps.append(("approve", cast.reviewer, "方案内容完整，同意。"))
        steps.append(("return", cast.confirmer if by_office else cast.reviewer, rng.choice(RETURN_COMMENTS)))
    elif status in ("approved", "confirmed"):
        steps.append(("approve", cast.reviewer, "方案内容完整，同意。"))
        if status == "confirmed":
            steps.append(("confirm", cast.confirmer, ""))
    for action, who, comment in steps:
        moment += dt.timedelta(days=rng.randint(2, 5), hours=rng.randint(0, 6))
        if not story.add(moment, partial(_transition, case, action, who, comment)):
            return
    if status == "confirmed":
        case.confirmed = moment


def _draft(cast: Cast, case: Case, data: dict, milestones: list, moment: dt.datetime) -> int:
    project = case.project
    unit = actor(cast.drafter(project))
    case.plan = plan = disposal.plan_create(actor=unit, project=project, data=data)
    for title, due in milestones:
        disposal.milestone_add(actor=unit, plan=plan, title=title, due_date=due)
    for kind in case.procedures:
        disposal.procedure_add(actor=unit, plan=plan, kind=kind,
                               authority=f"{case.row['region'].full_name}{PROCEDURE_AUTHORITY[kind]}")
    return project.pk


def _transition(case: Case, action: str, who: Callable[[Project], User], comment: str, moment: dt.datetime) -> int:
    case.plan = disposal.plan_transition(actor=actor(who(case.project)), plan=case.plan, action=action,
                                         comment=comment)
    return case.project.pk


def schedule_follow_through(story: Story, cast: Cast, rng: random.Random, case: Case, until: dt.datetime) -> None:
    """Procedures done, work resumed, a revision: what happens to a confirmed plan in the following weeks,
    each only if it comes before `until` (the closure request, or the cutoff)."""
    clock: Clock = story.clock
    confirmed_on = local_day(case.confirmed)
    for kind in case.procedures:
        if rng.random() < 0.55:
            done = confirmed_on + dt.timedelta(days=rng.randint(10, 90))
            number = f"{case.row['region'].name[0]}建字〔{done.year}〕{rng.randint(10, 300)}号"
            _before(story, until, clock.at(done, 15), partial(_procedure_done, cast, case, kind, done, number))
    if case.method == Method.RESUME:
        resumed = confirmed_on + dt.timedelta(days=rng.randint(5, 30))
        # Only after a passing appraisal confirmed by the authority: a plan still waiting for it cannot resume.
        if case.facts.get("authority_confirmed_date"):
            _before(story, until, clock.at(resumed, 11), partial(_resume, cast, case, resumed))
    if rng.random() < REVISION_SHARE:
        when = case.confirmed + dt.timedelta(days=rng.randint(20, 60))
        successor = person(rng)
        while successor == case.row["responsible_person"]:
            successor = person(rng)
        _before(story, until, when, partial(_revise, cast, case, successor))


def _before(story: Story, until: dt.datetime, moment: dt.datetime, step: StepFn) -> None:
    if moment < until:
        story.add(moment, step)


def _procedure_done(cast: Cast, case: Case, kind: str, done: dt.date, number: str, moment: dt.datetime) -> int:
    procedure = Procedure.objects.get(plan=case.plan, kind=kind)
    disposal.procedure_done(actor=actor(cast.drafter(case.project)), procedure=procedure, done_date=done,
                            document_no=number)
    return case.project.pk


def _resume(cast: Cast, case: Case, resumed: dt.date, moment: dt.datetime) -> int:
    case.plan = disposal.record_resumption(actor=actor(cast.drafter(case.project)), plan=case.plan, date=resumed)
    return case.project.pk


def _revise(cast: Cast, case: Case, successor: str, moment: dt.datetime) -> int:
    plan = Plan.objects.get(pk=case.plan.pk)
    case.plan, _ = disposal.plan_revise(
        actor=actor(cast.drafter(case.project)), plan=plan, version=plan.version,
        data={"responsible_person": successor}, reason="原责任人工作调动，调整责任人",
    )
    return case.project.pk
