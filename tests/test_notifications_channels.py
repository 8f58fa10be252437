"""E-mail and SMS end to end, against servers of the test's own: an SMTP server (aiosmtpd) behind Django's SMTP
backend, and an HTTP server receiving the SMS webhook. A failing or slow webhook never fails the user's action;
the worker records the failure and retries it."""

import datetime as dt
import email
import email.policy
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from django.utils import timezone

from halfbuilt.core.request_context import Actor
from halfbuilt.notifications import services, tasks
from halfbuilt.notifications.models import Delivery, DeliveryStatus


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """aiosmtpd's handler: keeps every message it is handed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", controller.port, 5
    settings.DEFAULT_FROM_EMAIL = "halfbuilt@gov.example.cn"
    settings.SITE_URL = "https://bdq.example.cn"
    yield inbox
    controller.stop()


class Webhook:
    """The SMS gateway: answers with the next of `statuses` (200 when they run out), after `delay` seconds."""

    def __init__(self):
        self.received: list[dict] = []
        self.statuses: list[int] = []
        self.delay = 0.0
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                body = json.loads(self.rfile.read(length))
                hook.received.append({"type": self.headers["Content-Type"], "body": body})
                time.sleep(hook.delay)
                status = hook.statuses.pop(0) if hook.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def webhook(settings):
    hook = Webhook()
    settings.SMS_WEBHOOK_URL, settings.SMS_WEBHOOK_TIMEOUT = hook.url, 5
    settings.SITE_URL = "https://bdq.example.cn"
    yield hook
    hook.server.shutdown()
    hook.server.server_close()


@pytest.fixture
def plan(disposal_projects, disposal_make_plan):
    return disposal_make_plan(disposal_projects["in_scope"])


def submit_on_the_page(users, plan, django_capture_on_commit_callbacks):
    """The unit submits its plan through the plan's page, committing (so that after-commit work runs)."""
    client = Client()
    client.force_login(users["unit"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/disposal/{plan.pk}/submit/", {"version": plan.version})
    assert response.status_code == 302 and response["Location"] == f"/disposal/{plan.pk}/#actions"
    plan.refresh_from_db()
    assert plan.status == "submitted"
    return response


def test_a_submitted_plan_arrives_by_email_at_the_smtp_server_with_subject_and_link(
        smtp_server, users, plan, django_capture_on_commit_callbacks):
    for role, address in (("department", "jyt@gov.example.cn"), ("department_baotou", "bt-jyt@gov.example.cn")):
        users[role].email = address
        users[role].save()
    submit_on_the_page(users, plan, django_capture_on_commit_callbacks)

    assert sorted(rcpt for rcpts, _ in smtp_server.messages for rcpt in rcpts) == [
        "bt-jyt@gov.example.cn", "jyt@gov.example.cn"]
    _, message = smtp_server.messages[0]
    assert message["Subject"].strip() == "【半拉子工程】方案待审核/待确认：东河区第一中学教学楼"
    assert message["From"] == "halfbuilt@gov.example.cn"
    text = message.get_content()
    assert "“东河区第一中学教学楼”的处置方案等待您审核或确认。" in text
    assert f"https://bdq.example.cn/disposal/{plan.pk}/" in text
    assert set(Delivery.objects.values_list("channel", "status")) == {("email", DeliveryStatus.SENT)}


def test_the_sms_webhook_receives_the_phone_and_the_text_as_json(webhook, users, plan,
                                                                 django_capture_on_commit_callbacks):
    reviewer = users["department"]
    reviewer.phone = "13900000001"
    reviewer.save()
    services.set_preferences(actor=Actor(user=reviewer), user=reviewer, chosen={"plan_review_due": ["sms"]})
    submit_on_the_page(users, plan, django_capture_on_commit_callbacks)

    assert webhook.received == [{"type": "application/json; charset=utf-8", "body": {
        "phone": "13900000001",
        "text": f"【半拉子工程】“东河区第一中学教学楼”的处置方案等待您审核或确认。 https://bdq.example.cn/disposal/{plan.pk}/"}}]
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.sent_at is not None) == (DeliveryStatus.SENT, 1, True)


def test_a_failing_webhook_is_recorded_and_retried_by_the_worker_while_the_users_action_succeeds(
        webhook, users, plan, django_capture_on_commit_callbacks):
    reviewer = users["department"]
    reviewer.phone = "13900000001"
    reviewer.save()
    services.set_preferences(actor=Actor(user=reviewer), user=reviewer, chosen={"plan_review_due": ["sms"]})
    webhook.statuses = [500]
    submit_on_the_page(users, plan, django_capture_on_commit_callbacks)  # the submit succeeded all the same

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert "500" in delivery.last_error
    # Not due yet: the sweep leaves it alone.
    assert tasks.retry_failed() == 0
    # The worker's sweep, once the retry is due: the gateway is back, the message goes.
    assert tasks.retry_failed(now=timezone.now() + dt.timedelta(minutes=6)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 2, "")
    assert len(webhook.received) == 2 and webhook.received[0] == webhook.received[1]
    # Sent is final: another sweep sends nothing more.
    assert tasks.retry_failed(now=timezone.now() + dt.timedelta(days=1)) == 0 and len(webhook.received) == 2


def test_a_slow_webhook_times_out_and_the_worker_gives_up_after_the_last_attempt(webhook, settings, users):
    unit = users["unit"]
    unit.phone = "13900000002"
    unit.save()
    settings.SMS_WEBHOOK_TIMEOUT = 1
    webhook.delay = 1.5
    sent = services.notify(event="report_late", recipients=[unit], title="2026年2月进展", url="/progress/", key="k")
    pk = sent.deliveries[0].pk
    started = time.monotonic()
    assert tasks.attempt(pk) == DeliveryStatus.FAILED
    assert time.monotonic() - started < 1.4  # the timeout, not the gateway, decided
    assert "timed out" in Delivery.objects.get(pk=pk).last_error
    webhook.delay, webhook.statuses = 0, [503] * tasks.MAX_ATTEMPTS
    Delivery.objects.filter(pk=pk).update(attempts=tasks.MAX_ATTEMPTS - 1, status=DeliveryStatus.FAILED)
    assert tasks.attempt(pk) == DeliveryStatus.GAVE_UP
    assert tasks.retry_failed(now=timezone.now() + dt.timedelta(days=30)) == 0
