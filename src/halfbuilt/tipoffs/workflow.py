"""The tip-off table of the workflow kernel (own scope: the region of the place, or the office). A tip-off is
received (a create, in services) → accepted as a new candidate project (待核实, its source the tip-off), linked to
an existing project, or rejected with a public reason. Accept and link write more than a state (a project, the
link): the services take them through `begin`; reject is a button."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from halfbuilt.workflow import CREATED, Step, Transition, Workflow

from .models import TipOff, TipOffStatus

S = TipOffStatus
ANSWER_MAX = 1000


def _apply(step: Step, comment: str, actor) -> list[str]:
    tipoff = step.obj
    tipoff.public_answer, tipoff.decided_by, tipoff.decided_at = comment, actor.user, timezone.now()
    return ["public_answer", "decided_by", "decided_at"]


def snapshot(tipoff: TipOff) -> dict:
    return {"tipoff_status": tipoff.get_status_display(), "public_answer": tipoff.public_answer,
            "project": tipoff.project_id}


TIPOFF_FLOW = Workflow(
    model=TipOff,
    noun=_("线索"),
    log_prefix="tipoff_",
    comment_max=ANSWER_MAX,
    comment_field="answer",
    own_scope=True,
    refused=_("该线索已处理（当前状态为“{state}”）"),
    transitions=[
        Transition(CREATED, "receive", S.RECEIVED, "view", _("收到线索"), button=False),
        Transition(S.RECEIVED, "accept", S.ACCEPTED, "moderate", _("受理为新项目"), button=False),
        Transition(S.RECEIVED, "link", S.LINKED, "moderate", _("关联已有项目"), button=False),
        Transition(S.RECEIVED, "reject", S.REJECTED, "moderate", _("不予受理"), comment=_("公开答复（不予受理的理由）"),
                   comment_required=True, confirm=_("确认不予受理？答复将在查询页面公开。"), done=_("已答复"),
                   danger=True, log_label=_("不予受理线索")),
    ],
    apply=_apply,
    snapshot=snapshot,
)
