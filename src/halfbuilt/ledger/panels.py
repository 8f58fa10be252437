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


# Notes other apps add above the list of candidates (the list filtered to 待核实, the confirmers' queue):
# `note(request) -> dict | None`, the context of its template.
LIST_NOTES: list[Panel] = []


def register_candidates_note(template: str, context: Callable[[HttpRequest], dict | None]) -> None:
    if not any(p.template == template for p in LIST_NOTES):
        LIST_NOTES.append(Panel(0, template, context))


def candidates_notes(request: HttpRequest) -> list[dict]:
    shown = []
    for note in LIST_NOTES:
        context = note.context(request)
        if context is not None:
            shown.append({"template": note.template, "context": context})
    return shown
