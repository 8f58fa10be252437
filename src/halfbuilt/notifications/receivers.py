"""Instant notifications from the workflow kernel: one table maps (aggregate, action) to an event and to who
holds the next step. `transition_performed` is sent inside the transition's transaction, so the notification
commits or rolls back with it; the e-mail and SMS go after commit, on the worker.
A create announced by its table's opening row (`Workflow.opened`: a closure request) arrives the same way."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse

from halfbuilt.closure.models import ClosureRequest
from halfbuilt.disposal.models import Plan
from halfbuilt.workflow.signals import transition_performed

from .audience import holders
from .services import notify

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    model: type
    action: str
    event: str
    audience: str  # the scope action whose holders are told
    local: bool = False  # of the governments, only the project's own region's (see audience.holders)
    url_name: str = ""  # the aggregate's page, reversed with its pk


TRANSITION_EVENTS: tuple[Rule, ...] = (
    Rule(Plan, "return", "plan_returned", "plan_draft", local=True, url_name="disposal:plan_detail"),
    Rule(Plan, "submit", "plan_review_due", "plan_review", url_name="disposal:plan_detail"),
    Rule(Plan, "approve", "plan_review_due", "plan_confirm", url_name="disposal:plan_detail"),
    Rule(ClosureRequest, "request", "closure_review_due", "closure_review", url_name="closure:request_detail"),
    Rule(ClosureRequest, "approve", "closure_review_due", "close", url_name="closure:request_detail"),
)
_RULES = {(rule.model, rule.action): rule for rule in TRANSITION_EVENTS}


def apply(rule: Rule, obj, *, actor=None, comment: str = "") -> None:
    """Notify the holders of the rule's next step about `obj` (an aggregate with a project)."""
    project = obj.project
    recipients = [user for user in holders(project, rule.audience, local=rule.local)
                  if actor is None or actor.user is None or user.pk != actor.user.pk]
    if not recipients:
        return
    notify(event=rule.event, recipients=recipients, title=project.name, url=reverse(rule.url_name, args=[obj.pk]),
           key=f"{obj._meta.model_name}:{obj.pk}:{rule.action}", actor=actor, project=project, detail=comment)


def _safely(rule: Rule, obj, **kwargs) -> None:
    """A notification that cannot be made never fails the user's action (a savepoint keeps theirs intact)."""
    try:
        with transaction.atomic():
            apply(rule, obj, **kwargs)
    except Exception:
        log.exception("notification for %s %s failed", rule.event, obj.pk)


def on_transition(sender, *, obj, transition, actor, comment, **kwargs) -> None:
    rule = _RULES.get((sender, transition.action))
    if rule is not None:
        _safely(rule, obj, actor=actor, comment=comment)


def connect() -> None:
    transition_performed.connect(on_transition, dispatch_uid="notifications.on_transition")
