"""The green channel's two tables of the workflow kernel (docs/greenchannel.md).

A request is filed (a create, in services: one item per procedure, each to its authority at once) and is
办结 when its last item is decided. An item: 待受理 → 受理 (办理中) → 办结 (文号, date, the document) / 需补正
(what is missing; the clock stops) → the unit supplies it → 办理中 again / 不予办理 (reason and legal basis).
An authority may also decide at once (即来即办) from 待受理. Rights are the item's own (scope.py): the authority's
people `act`, the unit or its region `supply`."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from halfbuilt.workflow import CREATED, Step, Transition, Workflow

from . import clocks
from .models import GreenRequest, Item, ItemEvent
from .states import ItemStatus, RequestStatus

S, R = ItemStatus, RequestStatus
COMMENT_MAX = 1000


def request_snapshot(request: GreenRequest) -> dict:
    return {"green_request_status": request.get_status_display()}


def item_snapshot(item: Item) -> dict:
    return {"green_item_status": item.get_status_display(), "deadline": item.deadline.isoformat()}


REQUEST_FLOW = Workflow(
    model=GreenRequest,
    noun=_("绿色通道申请"),
    log_prefix="green_request_",
    transitions=[
        Transition(CREATED, "file", R.OPEN, "green_file", _("提交绿色通道申请"), button=False),
        # Taken by the service that decides the last item, in its transaction (whoever decides it sees the project).
        Transition(R.OPEN, "conclude", R.CONCLUDED, "view", _("申请办结"), button=False),
    ],
    snapshot=request_snapshot,
)


def _apply(step: Step, comment: str, actor) -> list[str]:
    item, today = step.obj, timezone.localdate()
    ItemEvent.objects.create(item=item, action=step.transition.action, text=comment, by=actor.user)
    if step.transition.action == "accept":
        item.accepted_on = today
        return ["accepted_on"]
    # 需补正: the clock stops, what is missing is kept for the unit.
    clocks.stop(item, today)
    item.missing = comment
    return ["used", "clock_from", "missing"]


ITEM_FLOW = Workflow(
    model=Item,
    noun=_("事项"),
    log_prefix="green_item_",
    comment_max=COMMENT_MAX,
    own_scope=True,
    transitions=[
        Transition(S.PENDING, "accept", S.PROCESSING, "act", _("受理"), done=_("已受理")),
        Transition(S.PENDING, "supplement", S.SUPPLEMENT, "act", _("需补正"), comment=_("需补正的材料"),
                   comment_required=True, confirm=_("确认要求补正？补正期间暂停计时。"),
                   done=_("已要求补正，暂停计时"), log_label=_("要求补正")),
        Transition(S.PROCESSING, "supplement", S.SUPPLEMENT, "act", _("需补正"), comment=_("需补正的材料"),
                   comment_required=True, confirm=_("确认要求补正？补正期间暂停计时。"),
                   done=_("已要求补正，暂停计时"), log_label=_("要求补正")),
        # The decisions carry a 文号, a document, a legal basis: their services take them through `begin`.
        Transition(S.PENDING, "complete", S.DONE, "act", _("办结"), button=False),
        Transition(S.PROCESSING, "complete", S.DONE, "act", _("办结"), button=False),
        Transition(S.PENDING, "refuse", S.REFUSED, "act", _("不予办理"), button=False),
        Transition(S.PROCESSING, "refuse", S.REFUSED, "act", _("不予办理"), button=False),
        Transition(S.SUPPLEMENT, "supply", S.PROCESSING, "supply", _("提交补正材料"), button=False),
    ],
    apply=_apply,
    snapshot=item_snapshot,
)
