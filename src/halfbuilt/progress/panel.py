"""The project page's progress panel (order 20): the reports so far and, for who reports, this month's."""

from django.http import HttpRequest

from halfbuilt.ledger.models import Project

from . import periods, services
from .models import ProgressReport

SHOWN = 6


def progress_panel(request: HttpRequest, project: Project) -> dict | None:
    """The page has already checked the project is visible to the user; reports follow the project."""
    reports = list(ProgressReport.objects.filter(project=project).order_by("-period")[: SHOWN + 1])
    may_report = (
        project.stage in services.REPORTING_STAGES and Project.objects.permits(request.user, "report", project)
    )
    if not reports and not may_report:
        return None
    period = periods.open_period()
    return {
        "project": project,
        "reports": [
            {"report": r, "state": services.report_state(r, r.period), "label": periods.label(r.period)}
            for r in reports[:SHOWN]
        ],
        "more": len(reports) > SHOWN,
        "may_report": may_report,
        "period": period,
        "period_label": periods.label(period),
        "current": periods.current_period(),
        "state_labels": services.STATE_LABELS,
    }
