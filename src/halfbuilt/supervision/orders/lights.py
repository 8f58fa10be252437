"""The warning lights' rule of the 督办 app: a project with a 督办 whose reply is overdue turns red until the
addressee replies (registered with the lights app, whose recompute runs it with its own rules)."""

from django.utils.translation import gettext_lazy

from halfbuilt.supervision.lights.models import Colour
from halfbuilt.supervision.lights.reasons import Context, Reason, register_rule

from .selectors import overdue_project_ids_q

ORDER_OVERDUE = Reason("order_reply_overdue", 10, Colour.RED, gettext_lazy("督办逾期未回复"),
                       gettext_lazy("主送单位回复督办（落实措施及佐证材料）"))


def _order_overdue(projects, context: Context):
    return projects.filter(overdue_project_ids_q(context.today))


def register() -> None:
    register_rule(ORDER_OVERDUE, _order_overdue)
