"""Who sees a project's contact (责任人, 联系电话) in full: who maintains the project — its responsible unit and the
regions that file it, where they may change it. Everyone else (the office, the departments: they supervise, and
call rarely) sees it masked (core/pii.py) and may ask for it on the project page; each such view is
a change-log entry (查看个人信息), so the auditor can tell who looked at whose phone."""

from __future__ import annotations

from django.db import transaction

from halfbuilt.accounts.models import Role
from halfbuilt.audit.services import record_personal_view
from halfbuilt.core import crypto, pii
from halfbuilt.core.request_context import Actor

from .dictionary import PERSONAL
from .models import Project

MAINTAINERS = {Role.REGION, Role.UNIT}


def in_full(user, project: Project) -> bool:
    """Whether the user's duty needs the contact: they maintain the project (a unit or region that may change it)."""
    return bool(user.role_names() & MAINTAINERS) and Project.objects.permits(user, "change", project)


# Who works on a project's plan needs its 责任人 and phone: the drafters, reviewers and the office confirming it.
PLAN_DUTIES = ("plan_draft", "plan_review", "plan_confirm")
PLAN_PERSONAL = {"responsible_person": pii.NAME, "responsible_phone": pii.PHONE}


def plan_in_full(user, project: Project) -> bool:
    """Whether the user's duty needs a plan's 责任人 and phone: a part in drafting, reviewing or confirming it."""
    return any(Project.objects.permits(user, duty, project) for duty in PLAN_DUTIES)


def plan_values(values: dict, *, masked: bool) -> dict:
    """A plan's fields, a revision's snapshot or its changes ({field: [old, new]}) with the contact masked when
    `masked`."""
    values = crypto.unseal(values, PLAN_PERSONAL)  # a revision's record keeps them encrypted
    if not masked:
        return values

    def hide(kind: str, value):
        if isinstance(value, list):
            return [hide(kind, v) for v in value]
        return pii.masked(kind, value) if value else value

    return {key: hide(PLAN_PERSONAL[key], value) if key in PLAN_PERSONAL else value for key, value in values.items()}


@transaction.atomic
def reveal(*, actor: Actor, project: Project) -> None:
    """Log that the actor was shown the project's personal fields in full (those it holds)."""
    record_personal_view(actor=actor, obj=project, fields=[key for key in PERSONAL if getattr(project, key)],
                         project_id=project.pk, classified=project.classified)
