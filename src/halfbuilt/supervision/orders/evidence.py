"""Who sees the evidence of a 督办 on an organisation: its files belong to no project, so the orders app tells the
files app (`files/owners.py`, registered in `apps.py`) that such an attachment is visible to whoever may view an
order one of whose replies carries it. An order on a project needs no rule: its files are the project's."""

from django.db.models import Q

from .models import OrderEvent, SupervisionOrder

OWNER = "orders.evidence"


def evidence_visible_to(user) -> Q:
    """Attachments that are the evidence of an event of an order `user` may view (one subquery, no join)."""
    orders = SupervisionOrder.objects.restrict(user).values("pk")
    carried = OrderEvent.evidence.through.objects.filter(orderevent__order__in=orders).values("attachment_id")
    return Q(pk__in=carried)
