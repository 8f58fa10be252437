"""The 督办 table of the workflow kernel (docs/orders.md). An order is issued (a create, in services) → the
addressee replies with measures and evidence → the issuer accepts it (办结; a 挂牌 order is 摘牌) or returns it
with comments → the addressee replies again. Rights are the order's own (`own_scope`, see scope.py): the
addressee's people hold `reply`, the issuer's hold `review`."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from halfbuilt.workflow import Step, Transition, Workflow

from .models import EventKind, OrderEvent, OrderStatus, SupervisionOrder

S = OrderStatus
COMMENT_MAX = 1000


def _apply(step: Step, comment: str, actor) -> list[str]:
    order, now = step.obj, timezone.now()
    kind = EventKind.ACCEPT if step.transition.action == "accept" else EventKind.RETURN
    OrderEvent.objects.create(order=order, kind=kind, text=comment, by=actor.user, at=now)
    if kind == EventKind.ACCEPT:
        order.closed_at, order.closed_by = now, actor.username
        return ["closed_at", "closed_by"]
    return []


def snapshot(order: SupervisionOrder) -> dict:
    return {"order_status": order.get_status_display()}


ORDER_FLOW = Workflow(
    model=SupervisionOrder,
    noun=_("督办"),
    log_prefix="order_",
    comment_max=COMMENT_MAX,
    own_scope=True,
    transitions=[
        # The reply carries measures and files: the service takes it through `begin` (its own form, no button).
        Transition(S.ISSUED, "reply", S.REPLIED, "reply", _("回复督办"), button=False),
        Transition(S.RETURNED, "reply", S.REPLIED, "reply", _("重新回复"), button=False),
        Transition(S.REPLIED, "accept", S.CLOSED, "review", _("办结（摘牌）"), comment=_("办结意见"),
                   confirm=_("确认办结该督办？挂牌督办将同时摘牌。"), done=_("已办结"), log_label=_("办结督办")),
        Transition(S.REPLIED, "return", S.RETURNED, "review", _("退回"), comment=_("退回意见"),
                   comment_required=True, confirm=_("确认退回？主送单位须按意见重新回复。"),
                   done=_("已退回，等待重新回复"), danger=True, log_label=_("退回督办回复")),
    ],
    apply=_apply,
    snapshot=snapshot,
)
