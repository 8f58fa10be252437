"""Two flows on one project at the same moment never deadlock: every write locks the project first, then its own
rows (the workflow kernel's one order). Before the kernel a plan confirmation locked the plan, then the project,
while a monthly report marking a milestone met locked the project, then the plan — PostgreSQL then killed one of
them with "deadlock detected"."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.disposal import services as disposal
from halfbuilt.disposal.models import Milestone, PlanStatus
from halfbuilt.files.models import Attachment
from halfbuilt.ledger.models import Project
from halfbuilt.progress import periods
from halfbuilt.progress import services as progress
from halfbuilt.progress.models import ProgressReport

ROUNDS = 12
NOT_CONFIRMED_YET = "审核期间不能登记节点完成情况"


def _in_thread(target, barrier: threading.Barrier, outcomes: dict, key: str) -> threading.Thread:
    def run():
        try:
            barrier.wait()
            outcomes[key] = target()
        except Exception as exc:  # noqa: BLE001 - the test inspects whatever was raised
            outcomes[key] = exc
        finally:
            connections.close_all()

    return threading.Thread(target=run)


# Skipped before any fixture runs: a transactional test flushes the database when it ends.
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locks (SELECT … FOR UPDATE) are PostgreSQL's; SQLite serialises whole transactions")
@pytest.mark.django_db(transaction=True)
def test_confirming_a_plan_and_reporting_a_milestone_at_once_never_deadlock(
    users, projects, disposal_make_plan, closure_stage
):
    school = closure_stage(projects["in_scope"])
    plan = disposal_make_plan(school, status=PlanStatus.APPROVED, deadline=dt.date(2027, 12, 31))
    period = periods.current_period()
    milestone = Milestone.objects.create(plan=plan, title="主体封顶", due_date=periods.first_day(period))
    photo = Attachment.objects.create(
        project=school, kind="photo", file="attachments/site.jpg", original_name="现场.jpg",
        content_type="image/jpeg", size=64, sha256="0" * 64, uploaded_by=users["unit"],
    )
    office, unit = Actor(users["office"]), Actor(users["unit"])
    report_data = {"progress": "主体结构封顶", "physical_progress": "60", "milestones_met": [milestone.pk]}

    for round_no in range(ROUNDS):
        outcomes: dict = {}
        barrier = threading.Barrier(2)
        threads = [
            _in_thread(lambda: disposal.plan_confirm(actor=office, plan=plan), barrier, outcomes, "confirm"),
            _in_thread(
                lambda: progress.report_submit(
                    actor=unit, project=school, period=period, data=report_data, photo_ids=[str(photo.pk)]
                ),
                barrier, outcomes, "report",
            ),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        confirmed, reported = outcomes["confirm"], outcomes["report"]
        assert not isinstance(confirmed, Exception), (round_no, confirmed)
        if isinstance(reported, Exception):
            # The report went first, while the plan was still awaiting confirmation: refused by the rule, not by
            # the database.
            assert type(reported) is ServiceError and NOT_CONFIRMED_YET in reported.message, (round_no, reported)
        else:
            confirm_log = ChangeLog.objects.filter(action="plan_confirm").latest("id")
            report_log = ChangeLog.objects.filter(action="progress_submit").latest("id")
            assert confirm_log.id < report_log.id  # it ran after the confirmation it needed

        # Back to the start: the plan awaiting confirmation, no report, the milestone open.
        ProgressReport.objects.all().delete()
        milestone.evidence.clear()
        Milestone.objects.filter(pk=milestone.pk).update(met_date=None)
        type(plan).objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED)
        Project.objects.filter(pk=school.pk).update(stage="disposing")
