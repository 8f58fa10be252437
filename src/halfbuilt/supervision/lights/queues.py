"""The warning lights on the home page: the red and the yellow projects among the user's own, each linking to the
ledger list filtered by that colour (the list counts exactly these)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.scope import holds_action
from halfbuilt.core.queues import QueueCount
from halfbuilt.ledger.models import Project, Status

from .listing import colour_condition

WARNINGS = (
    ("red", _("红灯项目"), _("严重滞后或逾期：查看项目页的亮灯原因和消除办法"), True),
    ("yellow", _("黄灯项目"), _("需要关注：按项目页的消除办法及时整改"), False),
)


def lit(user, colour: str):
    """The projects of `user`'s ledger list with the light `colour` (a slug: red, yellow, green)."""
    return Project.objects.restrict(user).filter(colour_condition(colour))


def list_url(colour: str) -> str:
    return f"{reverse('ledger:project_list')}?{urlencode({'status': Status.IN_LEDGER, 'light': colour})}"


def queue_counts(user) -> list[QueueCount]:
    if not holds_action(user, "warnings"):
        return []
    return [QueueCount(f"lights_{colour}", label, lit(user, colour).count(), list_url(colour), hint, urgent=urgent)
            for colour, label, hint, urgent in WARNINGS]
