"""What the dashboard reads from apps built beside it, each through one function, so the lead wires each once.

`lights` answers the warning light of projects (the warning-lights app computes them); `target_rate` the
campaign's target 销号率 (the campaign app holds it). Until they are wired, every light is "" and there is no
target.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal

LIGHTS = ("", "green", "yellow", "red")


def lights(project_ids: Iterable[int]) -> Mapping[int, str]:
    """The light ("" / green / yellow / red) of each project; a project left out has none ("")."""
    return {}


def target_rate() -> Decimal | None:
    """The campaign's target 销号率 in percent, or None when the campaign sets none."""
    return None
