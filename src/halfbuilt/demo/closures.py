"""Closure requests (销号) and the 回头看 sample of the demo, through `closure.services`.

A closure is requested a few days after a monthly report, with the evidence of what was done; the department
approves or returns it, the office closes it. The 回头看 is drawn yesterday from the projects closed by
then: the first check fails (the project reopens), the others pass, the last one stays pending.
"""

from __future__ import annotations

import datetime as dt
import random
from functools import partial

from django.core.files.uploadedfile import SimpleUploadedFile

from halfbuilt.closure import services as closure
from halfbuilt.closure.models import ClosureRequest, FollowUpCheck, FollowUpSample, Outcome
from halfbuilt.core.request_context import Actor
from halfbuilt.files.services import store_upload

from .accounts import Cast, actor
from .clock import local_day
from .story import Case, Story
from .texts import EVIDENCE_NAMES, OUTCOME_BY_METHOD, PDF

FOLLOWUP_SHARE = "0.3"


def schedule(story: Story, cast: Cast, rng: random.Random, case: Case, status: str,
             after: dt.datetime) -> dt.datetime | None:
    """Queue the request a few days after `after` and its review until it stands at `status`; returns when it
    is requested (None when that would be after the cutoff)."""
    clock = story.clock
    requested = clock.at(local_day(after) + dt.timedelta(days=rng.randint(2, 8)), rng.randint(9, 17))
    outcome = OUTCOME_BY_METHOD[case.method]
    if outcome == "transferred" and rng.random() < 0.4:
        outcome = "in_use"
    # The work was finished shortly before the request, and after the plan was confirmed.
    done = max(local_day(requested) - dt.timedelta(days=rng.randint(3, 20)), local_day(case.confirmed))
    if not story.add(requested, partial(_request, cast, case, outcome, done)):
        return None
    if status == "requested":
        return requested
    reviewed = requested + dt.timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 4))
    if not story.add(reviewed, partial(_review, cast, case, status != "returned")) or status != "closed":
        return requested
    closed = reviewed + dt.timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 4))
    story.add(closed, partial(_close, cast, case))
    return requested


def _request(cast: Cast, case: Case, outcome: str, done: dt.date, moment: dt.datetime) -> int:
    project = case.project
    unit = actor(cast.drafter(project))
    name = EVIDENCE_NAMES.get(outcome, "处置情况说明.pdf")
    pdf = store_upload(actor=unit, project=project, kind="evidence",
                       upload=SimpleUploadedFile(name, PDF, content_type="application/pdf"))
    evidence = [str(pdf.pk)] + ([str(case.photo.pk)] if case.photo else [])
    closure.closure_request(
        actor=unit, project=project, outcome=outcome, outcome_date=done, evidence_ids=evidence,
        description=f"{project.name}已按处置方案完成处置，{Outcome(outcome).label}，申请销号。",
    )
    return project.pk


def _open_request(case: Case) -> ClosureRequest:
    return ClosureRequest.objects.filter(project=case.project).first()  # the newest (Meta.ordering)


def _review(cast: Cast, case: Case, approve: bool, moment: dt.datetime) -> int:
    comment = "材料齐全，同意销号。" if approve else "证明材料不全，请补充消防验收意见书和现场照片后重新申请。"
    closure.closure_review(actor=actor(cast.reviewer(case.project)), request=_open_request(case), approve=approve,
                           comment=comment)
    return case.project.pk


def _close(cast: Cast, case: Case, moment: dt.datetime) -> int:
    closure.closure_close(actor=actor(cast.confirmer(case.project)), request=_open_request(case))
    return case.project.pk


def schedule_followup(story: Story, cast: Cast) -> None:
    """The office draws yesterday morning, from the projects closed by then."""
    story.add(story.clock.at(story.clock.day(1), 9), partial(_draw, story, cast))


def _draw(story: Story, cast: Cast, moment: dt.datetime) -> None:
    office = actor(cast.office)
    if not closure.sample_population(cast.office).exists():
        return
    sample = closure.draw_sample(actor=office, share=FOLLOWUP_SHARE, note="专项行动回头看（演示）")
    FollowUpSample.objects.filter(pk=sample.pk).update(drawn_at=moment)
    checks = list(sample.checks.order_by("project_id"))
    for n, check in enumerate(checks[:-1] if len(checks) > 2 else checks):
        story.add(moment + dt.timedelta(hours=1, minutes=20 * n), partial(_check, office, check, n == 0))


def _check(office: Actor, check: FollowUpCheck, fail: bool, moment: dt.datetime) -> int:
    if fail:
        closure.record_check(actor=office, check=check, passed=False,
                             finding="现场核查发现项目尚未实际投入使用，配套设施未完工。")
    else:
        closure.record_check(actor=office, check=check, passed=True)
    return check.project_id
