"""The inbox (newest first; open, mark one or all read) and the preferences page. Thin: services do the writes.
Another user's notification answers like one that does not exist (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor

from . import events, services
from .models import Notification

PAGE_SIZE = 30


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    mine = Notification.objects.restrict(request.user)
    unread_only = request.GET.get("unread") == "1"
    shown = mine.filter(read_at__isnull=True) if unread_only else mine
    page = Paginator(shown.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"n": n, "label": events.get(n.event).label, "text": events.get(n.event).render(n.title)}
            for n in page.object_list if n.event in events.BY_KEY]
    return render(request, "notifications/inbox.html", {
        "page": page, "rows": rows, "unread_only": unread_only,
        "unread": mine.filter(read_at__isnull=True).count(),
    })


def _mark(request: HttpRequest, pk: int) -> Notification:
    try:
        return services.mark_read(actor=Actor.from_request(request), notification=pk)
    except NotAllowed:
        raise Http404(_("通知不存在，或您无权查看")) from None


@require_GET
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Following a notification is reading it: marked read, then on to what it is about."""
    notification = _mark(request, pk)
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect("notifications:inbox")  # no link, or one that would leave the site
    return redirect(notification.url)


@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    _mark(request, pk)
    messages.success(request, _("已标为已读"))
    return redirect("notifications:inbox")


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(actor=Actor.from_request(request))
    messages.success(request, _("已将 {count} 条通知标为已读").format(count=count))
    return redirect("notifications:inbox")


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        chosen = {event.key: [c for c in events.OPTIONAL_CHANNELS if request.POST.get(f"{event.key}:{c}") == "on"]
                  for event in events.EVENTS}
        try:
            services.set_preferences(actor=Actor.from_request(request), user=user, chosen=chosen)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("通知设置已保存"))
            return redirect("notifications:preferences")
    chosen = services.choices_of(user)
    channels = [{"key": c, "label": events.CHANNEL_LABELS[c], "available": services.channel_available(c),
                 "address": services.address(user, c)} for c in events.OPTIONAL_CHANNELS]
    groups: dict[str, list] = {}
    for event in events.EVENTS:
        cells = [{"channel": c, "name": f"{event.key}:{c['key']}", "on": c["key"] in chosen[event.key],
                  "default": c["key"] in event.channels} for c in channels]
        groups.setdefault(str(event.group), []).append({"event": event, "cells": cells})
    return render(request, "notifications/preferences.html", {
        "groups": list(groups.items()), "channels": channels, "inapp": events.CHANNEL_LABELS[events.INAPP],
    })
