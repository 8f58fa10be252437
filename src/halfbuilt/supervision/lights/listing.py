"""The ledger list's light filters (?light=red, ?reason=report_missing) and its light column, registered with the
ledger's list (ledger/filters.py), so the export, the count and the API filter the same way."""

from django.db.models import Q
from django.utils.translation import gettext_lazy

from halfbuilt.ledger.filters import ExtraColumn, ExtraFilter
from halfbuilt.ledger.models import Status

from .models import COLOUR_SLUGS, Colour, LightReason
from .reasons import by_code, reasons

SLUG_COLOURS = {slug: colour for colour, slug in COLOUR_SLUGS.items()}


def colour_choices() -> list[tuple[str, str]]:
    return [(COLOUR_SLUGS[c], c.label) for c in reversed(Colour)]


def reason_choices() -> list[tuple[str, str]]:
    return [(r.code, str(r.label)) for r in reasons()]


# Only projects in the ledger have lights (recompute.lit_projects): saying so lets PostgreSQL start from the
# in-ledger part of the (league, status, classified) index instead of walking the league's candidates first
# (the yellow lights of one league at 1M projects: 75 → 12 ms to find a page's worth).
IN_LEDGER = Q(status=Status.IN_LEDGER)


def colour_condition(value: str) -> Q | None:
    colour = SLUG_COLOURS.get(value)
    return None if colour is None else IN_LEDGER & Q(light__colour=colour)


def reason_condition(value: str) -> Q | None:
    if by_code(value) is None:
        return None
    return IN_LEDGER & Q(pk__in=LightReason.objects.filter(code=value).values("project_id"))


LIGHT_FILTER = ExtraFilter("light", gettext_lazy("预警亮灯"), colour_choices, colour_condition,
                           gettext_lazy("亮灯“{value}”无效"),
                           newest=("-light__project_created_at", "-light__project_id"))
REASON_FILTER = ExtraFilter("reason", gettext_lazy("亮灯原因"), reason_choices, reason_condition,
                            gettext_lazy("亮灯原因“{value}”无效"))
LIGHT_COLUMN = ExtraColumn(gettext_lazy("预警亮灯"), "lights/_list_cell.html", "light", ("light__colour",))
