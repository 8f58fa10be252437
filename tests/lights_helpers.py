"""What the light tests share: a fixed moment, projects in given disposal states, and what a light holds."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from halfbuilt.closure.models import ClosureRequest
from halfbuilt.disposal.models import Milestone, Plan
from halfbuilt.ledger.models import Project
from halfbuilt.progress.models import ProgressReport
from halfbuilt.supervision.lights.models import Light, LightReason

BEIJING = dt.timezone(dt.timedelta(hours=8))
# Monday 2026-06-15, noon in Beijing: May's reports were due on June 5 (past), June's are not due yet.
NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=BEIJING)
TODAY = NOW.date()


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=BEIJING)


def in_disposal(project: Project, stage: str = "disposing") -> Project:
    Project.objects.filter(pk=project.pk).update(status="in_ledger", stage=stage)
    project.refresh_from_db()
    return project


def plan(project: Project, *, drafted: dt.date, deadline: dt.date, status: str = "confirmed",
         updated: dt.datetime | None = None) -> Plan:
    made = Plan.objects.create(project=project, method="revitalise", lead_unit="东河区教育局",
                               responsible_person="张三", deadline=deadline, status=status)
    Plan.objects.filter(pk=made.pk).update(created_at=at(drafted), updated_at=updated or at(drafted))
    made.refresh_from_db()
    return made


def report(project: Project, period: str, progress: str | Decimal = "0", status: str = "submitted"):
    return ProgressReport.objects.create(
        project=project, period=period, progress="进展", physical_progress=Decimal(str(progress)), status=status,
        submitted_at=NOW if status == "submitted" else None,
    )


def milestone(plan_: Plan, due: dt.date, met: dt.date | None = None) -> Milestone:
    return Milestone.objects.create(plan=plan_, title="主体完工", due_date=due, met_date=met)


def closure(project: Project, *, status: str, since: dt.datetime) -> ClosureRequest:
    made = ClosureRequest.objects.create(project=project, outcome="in_use", outcome_date=TODAY,
                                         description="已投入使用", status=status, requested_by="unit")
    stamp = {"requested_at": since} if status == "requested" else {"requested_at": since, "reviewed_at": since}
    ClosureRequest.objects.filter(pk=made.pk).update(**stamp)
    return made


def codes(project: Project) -> set[str]:
    return set(LightReason.objects.filter(project=project).values_list("code", flat=True))


def colour(project: Project) -> int | None:
    light = Light.objects.filter(project=project).first()
    return light.colour if light else None


def now_local() -> dt.datetime:
    return timezone.localtime(NOW)
