"""Sections that other apps add to the project page (plan, progress, closure …), in order.

An app registers `panel(request, project) -> dict | None` in its AppConfig.ready(); the dict is the context
of its template, None hides the panel. Each panel reads through the same scope as the page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable[[HttpRequest, object], dict | None]


PANELS: list[Panel] = []


def register_panel(order: int, template: str, context: Callable[[HttpRequest, object], dict | None]) -> None:
    if not any(p.template == template for p in PANELS):
        PANELS.append(Panel(order, template, context))
        PANELS.sort(key=lambda p: p.order)


def panels_for(request: HttpRequest, project) -> list[dict]:
    shown = []
    for panel in PANELS:
        context = panel.context(request, project)
        if context is not None:
            shown.append({"template": panel.template, "context": context})
    return shown
