"""Telling people about green-channel work (through notifications.services.notify, the event table's keys)."""

from __future__ import annotations

from django.urls import reverse

from halfbuilt.core.request_context import Actor
from halfbuilt.notifications.services import notify

from .models import GreenRequest, Item


def _item_title(item: Item) -> str:
    return f"{item.project.name} · {item.procedure_type.name}"


def item_received(item: Item, actor: Actor) -> None:
    notify(event="green_item_received", recipients=[item.authority], title=_item_title(item),
           url=reverse("greenchannel:item", args=[item.pk]), key=f"green:{item.pk}:received", actor=actor,
           project=item.project_id)


def item_supplied(item: Item, actor: Actor) -> None:
    notify(event="green_item_supplied", recipients=[item.authority], title=_item_title(item),
           url=reverse("greenchannel:item", args=[item.pk]), key=f"green:{item.pk}:supplied:{item.version}",
           actor=actor, project=item.project_id)


def item_to_filer(item: Item, event: str, actor: Actor) -> None:
    """需补正 or decided: the unit (or region) that filed the request."""
    notify(event=event, recipients=[item.request.filer_org], title=_item_title(item),
           url=reverse("greenchannel:item", args=[item.pk]), key=f"green:{item.pk}:{event}:{item.version}",
           actor=actor, project=item.project_id)


def request_done(request: GreenRequest, actor: Actor) -> None:
    notify(event="green_request_done", recipients=[request.filer_org], title=request.project.name,
           url=reverse("greenchannel:detail", args=[request.pk]), key=f"green_request:{request.pk}:done",
           actor=actor, project=request.project_id)
