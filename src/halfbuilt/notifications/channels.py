"""Sending one delivery: e-mail through Django's e-mail settings, SMS by POSTing JSON to the configured webhook.
Both raise on failure; the worker (tasks.py) records it and retries."""

from __future__ import annotations

import json
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from . import events
from .events import EMAIL, SMS
from .models import Delivery, Notification


class DeliveryFailed(Exception):
    pass


def link(notification: Notification) -> str:
    """The notification's address on the site, absolute (for mail and SMS)."""
    return settings.SITE_URL.rstrip("/") + notification.url if notification.url else settings.SITE_URL


def subject(notification: Notification) -> str:
    spec = events.get(notification.event)
    return _("【半拉子工程】{label}：{title}").format(label=spec.label, title=notification.title)


def body(notification: Notification) -> str:
    spec = events.get(notification.event)
    parts = [spec.render(notification.title)]
    if notification.detail:
        parts.append(notification.detail)
    parts.append(_("查看：{link}").format(link=link(notification)))
    parts.append(_("（本邮件由半拉子工程大起底管理平台发送；通知偏好可在平台的“通知设置”中修改。）"))
    return "\n\n".join(parts)


def sms_text(notification: Notification) -> str:
    spec = events.get(notification.event)
    return _("【半拉子工程】{text} {link}").format(text=spec.render(notification.title), link=link(notification))


def send_email(delivery: Delivery) -> None:
    notification = delivery.notification
    EmailMessage(subject(notification), body(notification), settings.DEFAULT_FROM_EMAIL,
                 [delivery.address]).send(fail_silently=False)


def send_sms(delivery: Delivery) -> None:
    payload = json.dumps({"phone": delivery.address, "text": sms_text(delivery.notification)}).encode("utf-8")
    request = urllib.request.Request(settings.SMS_WEBHOOK_URL, data=payload, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=settings.SMS_WEBHOOK_TIMEOUT) as response:  # noqa: S310
            status = response.status
    except OSError as exc:  # urllib's HTTPError (4xx/5xx), URLError, timeouts
        raise DeliveryFailed(str(exc)) from exc
    if not 200 <= status < 300:
        raise DeliveryFailed(f"HTTP {status}")


SENDERS = {EMAIL: send_email, SMS: send_sms}
