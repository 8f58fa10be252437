"""Telling people when one of their projects turns red (the notifications' event `project_red`): those who report
on it (the unit and its county) and the department that reviews it, once, when it turns."""

from collections.abc import Callable, Iterable

from django.urls import reverse

from halfbuilt.ledger.models import Project
from halfbuilt.notifications.audience import holders
from halfbuilt.notifications.services import notify

from .models import Colour, Light


def red_ids(project_ids: Iterable[int] | None = None) -> set[int]:
    lights = Light.objects.filter(colour=Colour.RED)
    if project_ids is not None:
        lights = lights.filter(project_id__in=list(project_ids))
    return set(lights.values_list("project_id", flat=True))


def telling_red(project_ids: Iterable[int] | None, recompute: Callable[[], object]) -> int:
    """Run `recompute` (of `project_ids`, None: all) and notify for each project it turned red; the number of
    notifications made."""
    ids = None if project_ids is None else list(project_ids)
    before = red_ids(ids)
    recompute()
    made = 0
    for project in Project.objects.filter(pk__in=sorted(red_ids(ids) - before)).iterator():
        recipients = {*holders(project, "report", local=True), *holders(project, "plan_review")}
        sent = notify(event="project_red", recipients=sorted(recipients, key=lambda u: u.pk), title=project.name,
                      url=reverse("ledger:project_detail", args=[project.pk]), key=f"project:{project.pk}:red",
                      project=project)
        made += len(sent.notifications)
    return made
