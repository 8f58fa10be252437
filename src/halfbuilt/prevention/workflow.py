"""The kernel tables of the prevention app (docs/prevention.md).

A proposed project is registered (待决策) → the office approves it (同意实施), sends it back for revision
(修改后再报) or rejects it (不予实施), always with its reasons; a revised one is registered again by its organisation
(the service's edit, through `begin`). A proposed merge of two ledger projects is merged or dismissed by the office.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from halfbuilt.workflow import Step, Transition, Workflow

from .models import MergeProposal, MergeStatus, ProposalStatus, ProposedProject

P = ProposalStatus
REASON_MAX = 1000


def _decided(step: Step, comment: str, actor) -> list[str]:
    obj = step.obj
    obj.decision_reason, obj.decided_by, obj.decided_at = comment, actor.username, timezone.now()
    return ["decision_reason", "decided_by", "decided_at"]


def _proposal_snapshot(proposal: ProposedProject) -> dict:
    return {"proposal_status": proposal.get_status_display(), "decision_reason": proposal.decision_reason}


PROPOSAL_FLOW = Workflow(
    model=ProposedProject,
    noun=_("拟建项目"),
    project_field=None,
    own_scope=True,
    log_prefix="proposal_",
    comment_max=REASON_MAX,
    transitions=[
        Transition(P.SUBMITTED, "approve", P.APPROVED, "decide", _("同意实施"), comment=_("决策理由"),
                   comment_required=True, confirm=_("确认同意实施？同意后纳入停建预警跟踪。"), done=_("已同意实施"),
                   log_label=_("同意实施拟建项目")),
        Transition(P.SUBMITTED, "revise", P.REVISED, "decide", _("退回修改"), comment=_("修改意见"),
                   comment_required=True, done=_("已退回修改"), log_label=_("退回修改拟建项目")),
        Transition(P.SUBMITTED, "reject", P.REJECTED, "decide", _("不予实施"), comment=_("决策理由"),
                   comment_required=True, confirm=_("确认不予实施？"), done=_("已决定不予实施"), danger=True,
                   log_label=_("不予实施拟建项目")),
        # The registering organisation's edit of a returned proposal: scored again and submitted (no button).
        Transition(P.REVISED, "resubmit", P.SUBMITTED, "propose", _("修改后重新报送"), button=False),
    ],
    apply=_decided,
    snapshot=_proposal_snapshot,
)


def _merge_snapshot(merge: MergeProposal) -> dict:
    return {"merge_status": merge.get_status_display()}


def _merge_decided(step: Step, comment: str, actor) -> list[str]:
    obj = step.obj
    obj.comment, obj.decided_by, obj.decided_at = comment, actor.username, timezone.now()
    return ["comment", "decided_by", "decided_at"]


MERGE_FLOW = Workflow(
    model=MergeProposal,
    noun=_("疑似重复项目"),
    project_field=None,
    own_scope=True,
    log_prefix="merge_",
    comment_max=500,
    transitions=[
        # The merge itself moves fields and files and voids a project: the service's write, through `begin`.
        Transition(MergeStatus.PROPOSED, "merge", MergeStatus.MERGED, "decide", _("合并"), button=False),
        Transition(MergeStatus.PROPOSED, "dismiss", MergeStatus.DISMISSED, "decide", _("不是重复"), comment=_("理由"),
                   comment_required=True, done=_("已标记为不是重复"), log_label=_("排除疑似重复")),
    ],
    apply=_merge_decided,
    snapshot=_merge_snapshot,
)
