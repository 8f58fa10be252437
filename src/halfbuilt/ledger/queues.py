"""The ledger's work queue: candidates (待核实) waiting for the user to confirm or reject them."""

from django.urls import reverse
from django.utils.translation import gettext as _

from halfbuilt.accounts.scope import carries, holds_action
from halfbuilt.core.queues import QueueCount

from .models import Project, Status


def to_confirm(user):
    return Project.objects.restrict(user, "confirm").filter(status=Status.CANDIDATE)


def queue_counts(user) -> list[QueueCount]:
    if not holds_action(user, "confirm"):
        return []
    url = reverse("ledger:project_list") + f"?status={Status.CANDIDATE}"
    return [QueueCount("ledger_candidates", _("待核实的项目"), to_confirm(user).count(), url,
                       _("核实后纳入台账，或说明理由不予认定"), standing=carries(user, "confirm"))]
