"""The home page (/): each role lands on its own work, the queues of every app with their counts.

It sits above the feature apps, since it composes them; each app counts its own queues through `restrict`
(`<app>/queues.py`, the `QueueCount` of core/queues.py)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from halfbuilt.accounts.scope import can_read_audit, holds_action
from halfbuilt.administration import queues as admin_queues
from halfbuilt.campaign import queues as campaign_queues
from halfbuilt.closure import queues as closure_queues
from halfbuilt.disposal import queues as disposal_queues
from halfbuilt.greenchannel import queues as green_queues
from halfbuilt.ledger import queues as ledger_queues
from halfbuilt.progress import queues as progress_queues
from halfbuilt.supervision.circulars import queues as circular_queues
from halfbuilt.supervision.lights import queues as light_queues
from halfbuilt.supervision.orders import queues as order_queues
from halfbuilt.tipoffs import queues as tipoff_queues

# The home page's groups: the warnings on the user's projects first, then the campaign's work in its order
# (survey, plans, monthly reports, closure).
QUEUE_GROUPS = (
    (_("预警"), light_queues.queue_counts),
    (_("部署"), campaign_queues.queue_counts),
    (_("项目核实"), ledger_queues.queue_counts),
    (_("处置方案"), disposal_queues.queue_counts),
    (_("月度进展"), progress_queues.queue_counts),
    (_("绿色通道"), green_queues.queue_counts),
    (_("销号与回头看"), closure_queues.queue_counts),
    (_("督办"), order_queues.queue_counts),
    (_("通报"), circular_queues.queue_counts),
    (_("线索举报"), tipoff_queues.queue_counts),
)


def queue_groups(user) -> list[dict]:
    """The user's queues, grouped by app; each app counts its own through `restrict` (see core.queues)."""
    groups = []
    for title, counts in QUEUE_GROUPS:
        items = [item for item in counts(user) if item.shown]
        if items:
            groups.append({"title": title, "items": items})
    return groups


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own work: its queues with counts; the auditor on the audit logs; the system and
    security administrators on what their role does (三员分立: no project data)."""
    user = request.user
    context = {
        "groups": queue_groups(user),
        "dashboard": holds_action(user, "dashboard"),  # the office, departments and governments: 调度看板
        "auditor": can_read_audit(user),
        "sysadmin": admin_queues.sysadmin_home(user),
        "secadmin": admin_queues.secadmin_home(user),
    }
    return render(request, "home.html", context)
