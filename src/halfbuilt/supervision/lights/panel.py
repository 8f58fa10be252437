"""The project page's light panel (order 5, first): the light, why, what clears each reason, and its history."""

from django.http import HttpRequest

from halfbuilt.ledger.models import Project

from .models import Colour, Light, LightChange
from .reasons import decode

SHOWN = 10


def light_panel(request: HttpRequest, project: Project) -> dict | None:
    """The page has already checked the project is visible: the light follows its project."""
    light = Light.objects.filter(project=project).first()
    changes = list(LightChange.objects.filter(project=project).order_by("-at", "-id")[:SHOWN])
    if light is None and not changes:
        return None
    return {
        "light": light,
        "reasons": decode(light.reasons) if light else [],
        "history": [
            {"change": c, "from": _label(c.from_colour), "to": _label(c.to_colour), "reasons": decode(c.reasons)}
            for c in changes
        ],
    }


def _label(colour: int | None) -> str:
    return Colour(colour).label if colour else ""
