"""Every write of the notifications app. `notify` is the one call for everyone who notifies.

What a notification is about is logged by the service that caused it (a plan returned is in the change log);
notifications and read marks are the recipient's own mailbox, not business data, so they are not logged. A
change of preferences is logged."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts.models import Organization, User
from halfbuilt.audit.services import record_change
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project

from . import events
from .audience import users_of
from .events import EMAIL, SMS
from .models import Delivery, Notification, Preference
from .tasks import deliver

log = logging.getLogger(__name__)
LOG_LABELS = {"notification_preferences": gettext_lazy("修改通知偏好")}
TITLE_MAX, KEY_MAX, URL_MAX = 200, 200, 500


def channel_available(channel: str) -> bool:
    """E-mail needs an SMTP host in the settings, SMS a webhook URL; unconfigured channels are not offered."""
    if channel == EMAIL:
        return bool(settings.EMAIL_HOST)
    if channel == SMS:
        return bool(settings.SMS_WEBHOOK_URL)
    return False


def address(user: User, channel: str) -> str:
    return (user.email if channel == EMAIL else user.phone or "").strip()


# --- preferences -------------------------------------------------------------------------------------------

def choices_of(user: User) -> dict[str, set[str]]:
    """event key → the optional channels chosen (the event table's defaults where the user chose nothing)."""
    chosen = {event.key: set(event.channels) for event in events.EVENTS}
    for pref in Preference.objects.filter(user=user):
        if pref.event in chosen:
            chosen[pref.event] = {c for c, on in ((EMAIL, pref.email), (SMS, pref.sms)) if on}
    return chosen


@transaction.atomic
def set_preferences(*, actor: Actor, user: User, chosen: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """Save the user's channels per event (`chosen`: event key → channels). Only the user may change theirs; an
    unconfigured channel keeps what was there."""
    if actor.user is None or actor.user.pk != user.pk:
        raise NotAllowed(_("只能修改自己的通知偏好"))
    before = choices_of(user)
    unknown = [key for key in chosen if key not in events.BY_KEY]
    if unknown:
        raise ServiceError(_("未知的通知事件：{keys}").format(keys="、".join(unknown)), field="event")
    after: dict[str, set[str]] = {}
    for event in events.EVENTS:
        picked = set(chosen.get(event.key, ()))
        bad = picked - set(events.OPTIONAL_CHANNELS)
        if bad:
            raise ServiceError(_("未知的通知渠道：{channels}").format(channels="、".join(sorted(bad))), field="channel")
        kept = {c for c in before[event.key] if not channel_available(c)}
        after[event.key] = {c for c in picked if channel_available(c)} | kept
    for key, channels in after.items():
        Preference.objects.update_or_create(user=user, event=key,
                                            defaults={"email": EMAIL in channels, "sms": SMS in channels})
    record_change(actor=actor, action="notification_preferences", obj=user,
                  before={k: sorted(v) for k, v in before.items()}, after={k: sorted(v) for k, v in after.items()})
    return after


# --- notify -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sent:
    notifications: list[Notification]
    deliveries: list[Delivery]


def notify(
    *, event: str, recipients: Iterable[User | Organization], title: str, url: str, key: str,
    actor: Actor | None = None, project: Project | int | None = None, detail: str = "",
) -> Sent:
    """Put a notification in each recipient's inbox and queue its e-mail and SMS as the recipient chose.

    `recipients`: users, or organizations (their users holding a role in them). `key` names the thing
    ("plan:42:return"): a user gets the same event and key at most once a (local) day — a unique constraint, so
    concurrent callers cannot both insert. `project`: what the notification is about; a user who may not see
    it is left out. Runs inside the caller's transaction (or its own); deliveries go to the worker after commit.
    """
    spec = events.get(event)
    if not key or len(key) > KEY_MAX:
        raise ValueError("a notification needs a key of at most 200 characters")
    if url and (not url.startswith("/") or url.startswith("//") or "\\" in url):
        raise ValueError("a notification's url is a path on this site (it is followed from the inbox)")
    project_id = project.pk if isinstance(project, Project) else project
    day = timezone.localdate()
    made: list[Notification] = []
    deliveries: list[Delivery] = []
    with transaction.atomic():
        for user in users_of(recipients):
            if project_id is not None and not Project.objects.restrict(user).filter(pk=project_id).exists():
                continue
            try:
                with transaction.atomic():  # a savepoint: a duplicate leaves the caller's transaction intact
                    notification = Notification.objects.create(
                        recipient=user, event=event, key=key, day=day, title=title[:TITLE_MAX],
                        detail=detail, url=url[:URL_MAX], project_id=project_id,
                        actor_name=actor.username if actor and actor.user else "",
                    )
            except IntegrityError:
                continue  # already notified today
            made.append(notification)
            deliveries += _deliveries(notification, user, spec)
        if deliveries:
            ids = [d.pk for d in deliveries]
            transaction.on_commit(lambda: _enqueue(ids), robust=True)
    return Sent(made, deliveries)


def _deliveries(notification: Notification, user: User, spec: events.Event) -> list[Delivery]:
    chosen = _chosen_for(user, spec)
    made = []
    for channel in events.OPTIONAL_CHANNELS:
        to = address(user, channel)
        if channel in chosen and channel_available(channel) and to:
            made.append(Delivery.objects.create(notification=notification, channel=channel, address=to))
    return made


def _chosen_for(user: User, spec: events.Event) -> set[str]:
    pref = Preference.objects.filter(user=user, event=spec.key).first()
    if pref is None:
        return set(spec.channels)
    return {c for c, on in ((EMAIL, pref.email), (SMS, pref.sms)) if on}


def _enqueue(ids: list[int]) -> None:
    deliver(ids)


# --- reading and marking ---------------------------------------------------------------------------------------

def unread_count(user) -> int:
    return Notification.objects.restrict(user).filter(read_at__isnull=True).count()


def mark_read(*, actor: Actor, notification: Notification | int) -> Notification:
    """Mark one of the actor's own notifications read; anyone else's answers as if it did not exist."""
    pk = notification.pk if isinstance(notification, Notification) else notification
    found = Notification.objects.restrict(actor.user).filter(pk=pk).first()
    if found is None:
        raise NotAllowed(_("通知不存在，或您无权查看"))
    if found.read_at is None:
        found.read_at = timezone.now()
        Notification.objects.filter(pk=found.pk, read_at__isnull=True).update(read_at=found.read_at)
    return found


def mark_all_read(*, actor: Actor) -> int:
    return Notification.objects.restrict(actor.user).filter(read_at__isnull=True).update(read_at=timezone.now())
