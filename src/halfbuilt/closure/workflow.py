"""Closure (销号) and 回头看 as tables of the workflow kernel.

Closure: the unit (or its region) requests it (a create, in services, announced by the table's opening row) →
the competent department approves or returns it (the project goes back to 处置中) → the office closes the
project. A returned request is final; the unit files a new one. 回头看: a check of a sampled closed project
passes, or fails with a finding and reopens it."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from halfbuilt.ledger.models import Stage
from halfbuilt.workflow import CREATED, Step, Transition, Workflow

from .models import CheckResult, ClosureRequest, ClosureStatus, FollowUpCheck

C = ClosureStatus
COMMENT_MAX = 500
FINDING_MAX = 2000


def _closure_apply(step: Step, comment: str, actor) -> list[str]:
    request, now = step.obj, timezone.now()
    if step.transition.action == "close":
        request.closed_by, request.closed_at = actor.username, now
        return ["closed_by", "closed_at"]
    request.reviewed_by, request.reviewed_at, request.review_comment = actor.username, now, comment
    return ["reviewed_by", "reviewed_at", "review_comment"]


def _closure_snapshot(request: ClosureRequest) -> dict:
    return {"closure_status": request.get_status_display(), "review_comment": request.review_comment}


CLOSURE_REVIEW = Workflow(
    model=ClosureRequest,
    noun=_("销号申请"),
    log_prefix="closure_",
    comment_max=COMMENT_MAX,
    transitions=[
        # The request itself is a create in services (its fields and evidence), announced by this row.
        Transition(CREATED, "request", C.REQUESTED, "closure_request", _("申请销号"), button=False),
        Transition(C.REQUESTED, "approve", C.APPROVED, "closure_review", _("审核通过"), comment=_("审核意见"),
                   confirm=_("确认审核通过该销号申请？"), done=_("审核通过，已转领导小组办公室销号"),
                   log_label=_("销号申请审核通过")),
        Transition(C.REQUESTED, "return", C.RETURNED, "closure_review", _("退回"), comment=_("审核意见"),
                   comment_required=True, confirm=_("确认退回该销号申请？项目将回到处置中。"),
                   done=_("已退回，项目回到处置中"), stage=Stage.DISPOSING, danger=True, log_label=_("退回销号申请")),
        Transition(C.APPROVED, "close", C.CLOSED, "close", _("销号"), comment=_("销号说明"),
                   confirm=_("确认对该项目销号？"), done=_("已销号"), stage=Stage.CLOSED),
    ],
    apply=_closure_apply,
    snapshot=_closure_snapshot,
)


def _check_apply(step: Step, comment: str, actor) -> list[str]:
    check = step.obj
    check.finding, check.checked_at, check.checked_by = comment, timezone.now(), actor.username
    return ["finding", "checked_at", "checked_by"]


def _check_snapshot(check: FollowUpCheck) -> dict:
    if check.result == CheckResult.PENDING:
        return {"result": check.get_result_display()}
    return {"result": check.get_result_display(), "finding": check.finding}


FOLLOWUP_CHECK = Workflow(
    model=FollowUpCheck,
    noun=_("回头看核查"),
    state_field="result",
    log_prefix="followup_",
    comment_field="finding",
    comment_max=FINDING_MAX,
    refused=_("该项目的回头看已登记为“{state}”，不能重复登记"),
    transitions=[
        Transition(CheckResult.PENDING, "pass", CheckResult.PASSED, "followup", _("核查通过"), comment=_("说明"),
                   done=_("回头看通过"), log_label=_("回头看核查通过")),
        Transition(CheckResult.PENDING, "fail", CheckResult.FAILED, "followup", _("核查未通过"),
                   comment=_("发现的问题"), comment_required=True, done=_("回头看未通过，项目已重新打开（处置中）"),
                   stage=Stage.DISPOSING, stage_reason=_("回头看未通过：{comment}"), danger=True,
                   log_label=_("回头看核查未通过")),
    ],
    apply=_check_apply,
    snapshot=_check_snapshot,
)
