"""The plans' work queues (一项目一方案), shared by the plan queue page and the home page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.scope import carries, holds_action
from halfbuilt.core.queues import QueueCount
from halfbuilt.ledger.models import Project, Status

from .models import Plan, PlanStatus


def to_draft(user):
    """Projects in the ledger without a plan, for who drafts plans."""
    return Project.objects.restrict(user, "plan_draft").filter(status=Status.IN_LEDGER, plan__isnull=True)


def to_fix(user):
    return Plan.objects.restrict(user, "plan_draft").filter(status__in=[PlanStatus.DRAFT, PlanStatus.RETURNED])


def to_review(user):
    return Plan.objects.restrict(user, "plan_review").filter(status=PlanStatus.SUBMITTED)


def to_confirm(user):
    return Plan.objects.restrict(user, "plan_confirm").filter(status=PlanStatus.APPROVED)


# (key, title, hint, action, rows)
QUEUES = (
    ("to_draft", _("待制定方案的项目"), _("已纳入台账、尚无处置方案的项目"), "plan_draft", to_draft),
    ("to_fix", _("草拟中及退回修改的方案"), _("修改后提交主管部门审核"), "plan_draft", to_fix),
    ("to_review", _("待审核的方案"), _("审核通过后送领导小组办公室确认"), "plan_review", to_review),
    ("to_confirm", _("待确认的方案"), _("确认后项目转入处置中"), "plan_confirm", to_confirm),
)


def queue_counts(user) -> list[QueueCount]:
    page = reverse("disposal:queue")
    counts = []
    for key, title, hint, action, rows in QUEUES:
        if holds_action(user, action):
            counts.append(QueueCount(f"plans_{key}", title, rows(user).count(), f"{page}#{key}", hint,
                                     standing=carries(user, action)))
    return counts
