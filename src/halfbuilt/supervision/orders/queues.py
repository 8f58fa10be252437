"""督办 work queues for the home page: to answer (and overdue among them) for addressees, to review for issuers."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.scope import assignments
from halfbuilt.core.queues import QueueCount

from . import selectors, targets
from .states import OPEN_FILTER

LISTED_OPEN = "orders_listed_open"


def dashboard_counts(user) -> list[QueueCount]:
    """The dashboard's 督办 figures over every order `user` sees, each linking to the overview filtered alike."""
    overview = reverse("orders:overview")
    counts = selectors.dashboard_counts(user)
    return [
        QueueCount("orders_overdue_all", _("督办已逾期"), counts["overdue"], f"{overview}?overdue=1",
                   _("超过回复期限仍未回复"), urgent=True),
        QueueCount(LISTED_OPEN, _("挂牌督办"), counts["listed"],
                   f"{overview}?status={OPEN_FILTER}&listed=1", _("挂牌未摘牌")),
    ]


def queue_counts(user) -> list[QueueCount]:
    """An addressee's queues show only when not empty (anyone may be addressed); an issuer's always."""
    if not assignments(user):
        return []
    answer = reverse("orders:inbox")
    to_answer = selectors.to_answer(user)
    items = [
        QueueCount("orders_to_answer", _("督办待回复"), to_answer.count(), answer,
                   _("按工作要求整改并在期限内回复"), standing=False),
        QueueCount("orders_overdue", _("督办已逾期"), to_answer.overdue().count(), f"{answer}?overdue=1",
                   _("已超过回复期限，请尽快回复"), standing=False, urgent=True),
    ]
    if targets.may_issue(user):
        issued = reverse("orders:issued")
        items.append(QueueCount("orders_to_review", _("督办回复待审核"), selectors.to_review(user).count(),
                                f"{issued}?status=replied", _("办结（摘牌）或退回重新回复")))
    return items
