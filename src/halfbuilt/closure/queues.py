"""Closure (销号) and 回头看 work queues, shared by the closure queue page and the home page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.scope import carries, holds_action
from halfbuilt.core.queues import QueueCount
from halfbuilt.ledger.models import Project

from . import services
from .models import CheckResult, ClosureRequest, ClosureStatus, FollowUpCheck


def requestable(user):
    """Projects disposing with no open request: the unit (or its region) may request closure."""
    return services.requestable_projects(user)


def returned(user):
    """Returned requests whose project may be requested again."""
    return ClosureRequest.objects.filter(status=ClosureStatus.RETURNED, project__in=requestable(user))


def in_progress(user):
    return ClosureRequest.objects.filter(
        status__in=services.OPEN_STATUSES, project__in=Project.objects.restrict(user, "closure_request")
    )


def to_review(user):
    return ClosureRequest.objects.filter(
        status=ClosureStatus.REQUESTED, project__in=Project.objects.restrict(user, "closure_review")
    )


def to_close(user):
    return ClosureRequest.objects.filter(
        status=ClosureStatus.APPROVED, project__in=Project.objects.restrict(user, "close")
    )


def open_checks(user):
    return FollowUpCheck.objects.restrict(user, "followup").filter(result=CheckResult.PENDING)


# (key, title, hint, action, rows, urgent)
QUEUES = (
    ("requestable", _("可申请销号的项目"), _("处置完成后提交证明材料申请销号"), "closure_request", requestable, False),
    ("returned", _("被退回的销号申请"), _("按退回意见修改后重新申请"), "closure_request", returned, True),
    ("to_review", _("待审核的销号申请"), _("审核通过后送领导小组办公室销号"), "closure_review", to_review, False),
    ("to_close", _("待销号的申请"), _("主管部门已审核通过"), "close", to_close, False),
    ("open_checks", _("待登记的回头看核查"), _("对抽中的已销号项目逐一核查并登记结果"), "followup", open_checks, False),
)


def queue_counts(user) -> list[QueueCount]:
    page = reverse("closure:queue")
    return [
        QueueCount(f"closure_{key}", title, rows(user).count(), f"{page}#{key}-heading", hint,
                   standing=carries(user, action), urgent=urgent)
        for key, title, hint, action, rows, urgent in QUEUES
        if holds_action(user, action)
    ]
