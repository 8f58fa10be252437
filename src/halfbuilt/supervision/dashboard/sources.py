"""What the dashboard reads from the apps beside it, each through one function.

`lights` answers the warning light of projects (the warning-lights app computes them; a change of colour to or
from yellow or red is logged, so `projects_changed` brings the cube up to date, and the nightly rebuild catches the
rest); `targets` the campaign's targets and `target_rate` its target 销号率 (the campaign app holds them).
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import connection

LIGHTS = ("", "green", "yellow", "red")
# Ids per query of the lights (a rebuild asks for every project); SQLite builds may allow 999 variables only.
IN_CHUNK = {"postgresql": 20_000}


def lights(project_ids: Iterable[int]) -> Mapping[int, str]:
    """The light ("" / green / yellow / red) of each project; a project left out has none ("")."""
    from halfbuilt.supervision.lights.models import Colour, Light

    names = {Colour.GREEN: "green", Colour.YELLOW: "yellow", Colour.RED: "red"}
    ids = list(project_ids)
    chunk = IN_CHUNK.get(connection.vendor, 900)
    found: dict[int, str] = {}
    for i in range(0, len(ids), chunk):
        rows = Light.objects.filter(project_id__in=ids[i:i + chunk]).values_list("project_id", "colour")
        found.update((pk, names[colour]) for pk, colour in rows)
    return found


def targets() -> list:
    """The current campaign's targets (campaign.models.Target), in their order; none without a campaign."""
    from halfbuilt.campaign import selectors

    return selectors.targets()


def target_rate(found: list | None = None) -> Decimal | None:
    """The current campaign's target 销号率 as a share (1 = every project closed), or None when it sets none: the
    earliest due of its closure-rate targets with a value. `found`: the campaign's targets, where read already."""
    from halfbuilt.campaign.models import Target

    rates = [t for t in (targets() if found is None else found)
             if t.metric == Target.Metric.CLOSURE_RATE and t.value is not None]
    if not rates:
        return None
    first = min(rates, key=lambda t: (t.due is None, t.due or dt.date.min))
    return first.value / 100
