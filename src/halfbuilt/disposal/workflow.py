"""Review of a plan (一项目一方案): the responsible unit (or its region) drafts and submits → the competent
department approves or returns it → the office confirms (the project moves to 处置中) or returns it.

Rows with `button=False` are what a plan's state allows besides its review: edits of a draft, revision of a
confirmed plan, work on milestones and procedures. The services take them through `PLAN_REVIEW.begin`, so every
write on a plan locks the project first and asks the same table."""

from django.utils.translation import gettext_lazy as _

from halfbuilt.core.errors import ServiceError
from halfbuilt.ledger.models import Stage
from halfbuilt.workflow import Step, Transition, Workflow

from . import methods
from .models import Plan, PlanStatus
from .records import log_snapshot

S = PlanStatus
DRAFTING = "plan_draft"  # the unit or its region
REVIEW = "plan_review"  # the competent department
CONFIRM = "plan_confirm"  # the office


def _edit(source: str, action: str, label: str, target: str | None = None) -> Transition:
    return Transition(source, action, target or source, DRAFTING, label, button=False)


def _submit(source: str) -> Transition:
    return Transition(source, "submit", S.SUBMITTED, DRAFTING, _("提交审核"), comment=_("说明"),
                      help=_("提交后由行业主管部门审核。"), log_label=_("提交方案审核"))


def _return(source: str, scope: str) -> Transition:
    return Transition(source, "return", S.RETURNED, scope, _("退回修改"), comment=_("审核意见"), comment_required=True,
                      comment_missing=_("退回修改须填写审核意见，说明需要修改的内容"), help=_("请写明需要修改的内容。"),
                      danger=True, log_label=_("退回处置方案"))


def _guard(step: Step, comment: str) -> None:
    action, plan = step.transition.action, step.obj
    rules = methods.rules_for(plan.method)
    problems = []
    if action in ("submit", "confirm"):
        problems = rules.submit_errors(plan)
    if action == "confirm":
        problems += rules.confirm_errors(plan)
    if problems:
        verb = _("提交") if action == "submit" else _("确认")
        message = _("不能{verb}：{problems}").format(verb=verb, problems="；".join(p.message for p in problems))
        raise ServiceError(message, field=problems[0].field)


def _apply(step: Step, comment: str, actor) -> list[str]:
    if step.transition.action == "submit":
        return []
    step.obj.review_comment = comment
    return ["review_comment"]


PLAN_REVIEW = Workflow(
    model=Plan,
    noun=_("方案"),
    log_prefix="plan_",
    transitions=[  # the usual next step first: its button comes first
        _submit(S.DRAFT),
        _submit(S.RETURNED),
        Transition(S.SUBMITTED, "approve", S.APPROVED, REVIEW, _("审核通过"), comment=_("审核意见"),
                   help=_("通过后报领导小组办公室确认。"), log_label=_("主管部门审核通过方案")),
        _return(S.SUBMITTED, REVIEW),
        Transition(S.APPROVED, "confirm", S.CONFIRMED, CONFIRM, _("确认方案"), comment=_("审核意见"),
                   help=_("确认后项目进入处置阶段。"), stage=Stage.DISPOSING, stage_reason=_("处置方案已确认"),
                   log_label=_("确认处置方案")),
        _return(S.APPROVED, CONFIRM),
        # What a plan's state allows besides review (no buttons of their own).
        _edit(S.DRAFT, "update", _("修改该方案")),
        _edit(S.RETURNED, "update", _("修改该方案")),
        _edit(S.CONFIRMED, "update", _("修改该方案")),  # facts and descriptions only: see services.plan_update
        _edit(S.CONFIRMED, "revise", _("修订该方案")),
        _edit(S.CONFIRMED, "revise_for_review", _("修订该方案"), target=S.SUBMITTED),
        _edit(S.DRAFT, "parts", _("安排节点和手续")),
        _edit(S.RETURNED, "parts", _("安排节点和手续")),
        _edit(S.CONFIRMED, "parts", _("安排节点和手续")),
        _edit(S.CONFIRMED, "record", _("登记完成情况")),  # milestones met, procedures done, work resumed
    ],
    guard=_guard,
    apply=_apply,
    snapshot=log_snapshot,
)
REVIEW_ACTIONS = PLAN_REVIEW.button_actions()
