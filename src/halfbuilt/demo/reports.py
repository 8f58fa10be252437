"""Monthly reports and roll-ups of the demo, through `progress.services`.

A month's report is submitted after the month ends: on time in the days before the due day, or now and then
late, after it. A month may be forgotten; the demo unit's school stops reporting at the overdue month, so
every day of the year some report is 逾期未报 and some 逾期报送 (clock.py). Milestones are met in the report
that records them, dated by the service the month's last day: before the report and after the plan's
confirmation. A roll-up is submitted after the due day and after every report it counts.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from functools import partial

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from halfbuilt.accounts.models import Organization, OrgKind
from halfbuilt.disposal.models import Method
from halfbuilt.files.models import Attachment
from halfbuilt.files.services import store_upload
from halfbuilt.progress import periods
from halfbuilt.progress import services as progress
from halfbuilt.progress.models import Rollup
from halfbuilt.regions.models import RegionLevel

from .accounts import Cast, actor
from .clock import local_day
from .story import Case, Story
from .texts import PNG, PROBLEMS, PROGRESS_TEXT, SUGGESTIONS

CENT = Decimal("0.01")
LATE_SHARE, FORGOTTEN_SHARE, MILESTONE_SHARE = 0.15, 0.05, 0.75


def schedule(story: Story, cast: Cast, rng: random.Random, case: Case, *, until: str, stop_at: str | None = None,
             late: frozenset[str] = frozenset()) -> None:
    """Queue the reports from the month the plan was drafted to `until`, none from `stop_at` on, late for the
    months in `late`; physical progress rising, cumulative investment continuing. Fills `case.reports`."""
    row, clock = case.row, story.clock
    months = [periods.period_of(case.drafted)]
    while periods.shift(months[-1], 1) <= until:
        months.append(periods.shift(months[-1], 1))
    total, done = row["total_investment"] or Decimal(0), row["completed_investment"] or Decimal(0)
    physical = Decimal(int(done * 100 / total * Decimal("0.9"))) if total else Decimal(10)
    texts = PROGRESS_TEXT[case.method]
    previous = case.confirmed  # reports come once the project is in disposal, one after the other
    for step, month in enumerate(months):
        if stop_at is not None and month >= stop_at:
            return
        if step and month not in late and rng.random() < FORGOTTEN_SHARE:
            continue  # forgotten: 逾期未报 for good, the next month is reported as usual
        physical = min(Decimal(100), physical + Decimal(rng.randint(2, 9)))
        amount = Decimal(0)
        if case.method in (Method.RESUME, Method.REVITALISE) and total > done:
            amount = ((total - done) * Decimal(str(rng.uniform(0.02, 0.08)))).quantize(CENT)
            done += amount
        elif case.method == Method.PROCEDURES and rng.random() < 0.3:
            amount = Decimal(rng.randint(2, 30))
        data = {
            "progress": f"{texts[min(step, len(texts) - 1)]}，形象进度达到{physical}%。",
            "physical_progress": str(physical), "investment_month": str(amount),
            "new_funds": str(amount if case.method == Method.REVITALISE else Decimal(0)),
            "problems": rng.choice(PROBLEMS), "suggestions": rng.choice(SUGGESTIONS),
        }
        due = periods.due_date(month)
        if month in late or rng.random() < LATE_SHARE:
            day = due + dt.timedelta(days=rng.randint(1, 12))
        else:  # after the month ends, in the days up to the due day
            day = max(periods.first_day(periods.shift(month, 1)), due - dt.timedelta(days=rng.randint(0, 6)))
        moment = max(clock.at(day, rng.randint(9, 17)), previous + dt.timedelta(days=1))
        milestone = rng.random() < MILESTONE_SHARE
        if not story.add(moment, partial(_submit, cast, case, month, data, milestone)):
            return  # not in yet: this month and the later ones are still to come
        case.reports.append((month, moment))
        previous = moment


def _submit(cast: Cast, case: Case, period: str, data: dict, milestone: bool, moment: dt.datetime) -> int:
    project = case.project
    unit = actor(cast.drafter(project))
    photo_ids = []
    # The service dates a milestone met the month's last day: only a month that ends after the confirmation.
    after_confirmation = periods.last_day(period) > local_day(case.confirmed)
    if milestone and after_confirmation and (open_ones := progress.open_milestones(project, period)):
        data = {**data, "milestones_met": [open_ones[0].pk]}
        photo_ids = [str(_photo(cast, case).pk)]
    progress.report_submit(actor=unit, project=project, period=period, data=data, photo_ids=photo_ids)
    return project.pk


def _photo(cast: Cast, case: Case) -> Attachment:
    """The site photo of the project, uploaded with its first report that needs one."""
    if case.photo is None:
        upload = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
        case.photo = store_upload(actor=actor(cast.drafter(case.project)), project=case.project, kind="photo",
                                  upload=upload)
    return case.photo


# --- roll-ups --------------------------------------------------------------------------------------------

ROLLUP_TEXTS = {
    "progress": "各项目按照处置方案有序推进，本月召开调度会一次，逐项目督导进度。",
    "problems": "部分项目续建资金缺口较大，个别项目手续办理周期较长。",
    "suggestions": "建议自治区统筹专项债券额度，对手续办理开辟绿色通道。",
}


def schedule_rollups(story: Story, cast: Cast, cases: list[Case]) -> None:
    """The overdue month's roll-up from Baotou, the odd-numbered leagues and the education department; the
    month before from every league and the department. Each the day after its last report, or after the due
    day; none before the reports it counts are in."""
    overdue = story.clock.overdue
    before = periods.shift(overdue, -1)
    leagues = list(
        Organization.objects.filter(kind=OrgKind.GOVERNMENT, region__level=RegionLevel.PREFECTURE).order_by("region_id")
    )
    jyt = Organization.objects.get(name="内蒙古自治区教育厅")
    plan = [(org, before) for org in leagues] + [(jyt, before)]
    plan += [(org, overdue) for org in leagues if org.region_id == "150200" or int(org.region_id[2:4]) % 2]
    plan.append((jyt, overdue))
    for org, period in plan:
        if Rollup.objects.filter(organization=org, period=period).exists():
            continue
        counted = [m for case in cases if _covers(org, case.row) for p, m in case.reports if p == period]
        last_in = max([periods.late_after(period) - dt.timedelta(days=1), *counted])
        moment = story.clock.at(local_day(last_in) + dt.timedelta(days=1), 16)
        story.add(moment, partial(_rollup, cast, org, period))


def _covers(org: Organization, row: dict) -> bool:
    """`progress.orgs.org_projects_q` for the organizations the demo rolls up, on a generated row."""
    if row["classified"]:
        return False
    if org.kind == OrgKind.GOVERNMENT:
        return row["prefecture"].code == org.region_id
    return row["department_id"] == org.department_id


def _rollup(cast: Cast, org: Organization, period: str, moment: dt.datetime) -> None:
    user = cast.users["demo_jyt"] if org.kind == OrgKind.DEPARTMENT else cast.government(org.region_id)
    rollup = progress.rollup_submit(actor=actor(user), organization=org, period=period, **ROLLUP_TEXTS)
    # Its figures were computed "now" (= this moment of the story): their time stamp moves with it.
    figures = {**rollup.figures, "computed_at": timezone.localtime(moment).isoformat(timespec="seconds")}
    Rollup.objects.filter(pk=rollup.pk).update(submitted_at=moment, figures=figures)
