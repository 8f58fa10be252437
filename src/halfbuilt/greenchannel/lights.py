"""The warning lights' rule of the green channel: a project with an item past its time limit (clock running,
deadline passed) turns red until the authority decides or asks for 补正 (registered with the lights app)."""

from django.utils.translation import gettext_lazy

from halfbuilt.supervision.lights.models import Colour
from halfbuilt.supervision.lights.reasons import Context, Reason, register_rule

from .selectors import overdue_project_ids_q

# Bit 20: clear of the built-in rules (0–9) and the 督办's (10), with room for other apps' rules between.
GREEN_OVERDUE = Reason("green_item_overdue", 20, Colour.RED, gettext_lazy("绿色通道事项超期未办结"),
                       gettext_lazy("审批部门在办理时限内办结、要求补正或作出不予办理决定"))


def _overdue(projects, context: Context):
    return projects.filter(overdue_project_ids_q(context.today))


def register() -> None:
    register_rule(GREEN_OVERDUE, _overdue)
