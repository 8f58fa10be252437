"""The monthly reports' work queues: this month's reports still to send (or already overdue), and for region
and department users their roll-up; for the office the leagues whose roll-up has not arrived."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from halfbuilt.accounts.models import Organization, OrgKind
from halfbuilt.accounts.scope import carries, holds_action
from halfbuilt.core.queues import QueueCount
from halfbuilt.ledger.models import Project
from halfbuilt.regions.models import RegionLevel

from . import periods
from .models import ReportStatus, Rollup
from .orgs import is_office, rollup_organizations
from .services import due_projects


def unsent(user, period: str):
    """Projects due for `period` (the queue page's rows) whose report is not submitted yet: a draft or nothing."""
    due = due_projects(Project.objects.restrict(user, "report"), period)
    return due.filter(Q(rep__isnull=True) | Q(rep__status=ReportStatus.DRAFT))


def leagues_without_rollup(period: str):
    """League and city governments whose roll-up of `period` has not been submitted (the office's list)."""
    leagues = Organization.objects.filter(kind=OrgKind.GOVERNMENT, region__level=RegionLevel.PREFECTURE)
    sent = Rollup.objects.filter(period=period, status=ReportStatus.SUBMITTED).values("organization_id")
    return leagues.exclude(pk__in=sent).order_by("region_id")


def queue_counts(user, period: str | None = None) -> list[QueueCount]:
    period = period or periods.open_period()
    label, page = periods.label(period), reverse("progress:queue")
    counts = []
    if holds_action(user, "report"):
        outstanding = unsent(user, period).count()
        overdue = timezone.now() >= periods.late_after(period)
        due = periods.due_date(period)
        counts.append(QueueCount(
            "reports_due", _("{label}进展待报送").format(label=label), 0 if overdue else outstanding,
            f"{page}#due-heading",
            _("{month}月{day}日前报送").format(month=due.month, day=due.day), standing=carries(user, "report"),
        ))
        counts.append(QueueCount(
            "reports_missing", _("{label}进展逾期未报").format(label=label), outstanding if overdue else 0,
            f"{page}#due-heading",
            _("已过{month}月{day}日的报送期限").format(month=due.month, day=due.day), standing=carries(user, "report"),
            urgent=True,
        ))
    orgs = rollup_organizations(user)
    if orgs:
        sent = set(Rollup.objects.filter(organization__in=orgs, period=period, status=ReportStatus.SUBMITTED)
                   .values_list("organization_id", flat=True))
        counts.append(QueueCount("rollups_due", _("{label}月度汇总待报送").format(label=label),
                                 sum(o.pk not in sent for o in orgs), f"{page}#rollup-heading",
                                 _("汇总数据由系统根据月度进展计算")))
    if is_office(user):
        counts.append(QueueCount("rollups_missing", _("{label}未报送月度汇总的盟市").format(label=label),
                                 leagues_without_rollup(period).count(),
                                 reverse("progress:rollup_list") + f"?period={period}#missing-heading"))
    return counts
