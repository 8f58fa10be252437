"""The 实施方案 (implementation plan) as a table of the workflow kernel.

Every expected filer has a row from the start (待报送). The filer files it (document, targets, deadline: a
service write through `begin`, the `file` row), the office accepts it or returns it with comments, and after a
return the filer files it again (`refile`). An accepted plan is final for this campaign."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from halfbuilt.workflow import Step, Transition, Workflow

from .models import FilingStatus, PlanFiling

F = FilingStatus


def _review_apply(step: Step, comment: str, actor) -> list[str]:
    filing = step.obj
    filing.reviewed_by, filing.reviewed_at, filing.comment = actor.user, timezone.now(), comment
    return ["reviewed_by", "reviewed_at", "comment"]


def snapshot(filing: PlanFiling) -> dict:
    return {
        "filing_status": filing.status, "title": filing.title, "targets": filing.targets,
        "deadline": filing.deadline.isoformat() if filing.deadline else None, "comment": filing.comment,
    }


FILING = Workflow(
    model=PlanFiling,
    noun=_("实施方案"),
    log_prefix="filing_",
    project_field=None,
    own_scope=True,
    transitions=[
        Transition(F.PENDING, "file", F.SUBMITTED, "campaign_file", _("报送实施方案"), button=False),
        Transition(F.RETURNED, "file", F.SUBMITTED, "campaign_file", _("重新报送实施方案"), button=False),
        Transition(F.SUBMITTED, "accept", F.ACCEPTED, "campaign_review", _("审核通过"), comment=_("审核意见"),
                   confirm=_("确认该实施方案审核通过？"), done=_("实施方案已审核通过"),
                   log_label=_("实施方案审核通过")),
        Transition(F.SUBMITTED, "return", F.RETURNED, "campaign_review", _("退回修改"), comment=_("审核意见"),
                   comment_required=True, confirm=_("确认退回该实施方案？"), done=_("已退回报送单位修改"),
                   danger=True, log_label=_("退回实施方案")),
    ],
    apply=_review_apply,
    snapshot=snapshot,
)
