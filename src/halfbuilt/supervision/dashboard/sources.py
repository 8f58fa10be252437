"""What the dashboard reads from the apps beside it, each through one function.

`lights` answers the warning light of projects (the warning-lights app computes them; a change of colour to or
from yellow or red is logged, so `projects_changed` brings the cube up to date, and the nightly rebuild catches the
rest); `target_rate` the campaign's target 销号率 (the campaign app holds it).
"""

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


def target_rate() -> Decimal | None:
    """The current campaign's target 销号率 as a share (1 = every project closed), or None when it sets none."""
    from halfbuilt.campaign.models import Target

    target = (Target.objects.filter(campaign__current=True, metric=Target.Metric.CLOSURE_RATE, value__isnull=False)
              .order_by("due").first())
    return None if target is None else target.value / 100
