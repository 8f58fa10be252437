"""项目代码 without a side channel: a code is "taken" only by a project the asker can see. A code held by a project
the asker may not see (a classified one, another county's) answers exactly as an unused code does, so nobody can
test whether a secret project exists by typing its code; the two projects then share the code, and the clash
goes to those who see both (the office where neither is classified, the owning department where one is) — a
notification when it arises, and the 项目代码重复 page until one of them is corrected or voided."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from halfbuilt.accounts import scope
from halfbuilt.accounts.models import Role, User
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.request_context import Actor

from .models import Project, Status

# The roles that resolve clashes: they see across counties (a county sees only its own side).
RESOLVERS = (Role.OFFICE, Role.DEPARTMENT)
CHUNK = 500  # codes per lookup (SQLite's bound parameters)


def code_taken_message(code: str) -> str:
    return _("项目代码“{code}”已被其他项目使用").format(code=code)


def check_code_free(code: str, project_pk: int | None, user) -> None:
    """ServiceError on the field when a project the user can see holds the 项目代码 (forms, the API and the
    services ask here). `user` None is the office acting from the command line."""
    if not code:
        return
    # The one visibility selector for a user; the command line acts as the office (no user).
    visible = Project.objects.restrict(user) if user is not None else Project.objects.filter(scope.visible_to(None))
    if visible.filter(project_code=code).exclude(pk=project_pk).exists():
        raise ServiceError(code_taken_message(code), field="project_code")


def clashes(user) -> list[list[Project]]:
    """The codes two or more projects the user sees share (voided ones left out), each with its projects."""
    visible = Project.objects.restrict(user).exclude(project_code="").exclude(status=Status.VOIDED)
    codes = (visible.values("project_code").annotate(n=Count("id")).filter(n__gt=1)
             .order_by("project_code").values_list("project_code", flat=True))
    groups: dict[str, list[Project]] = {}
    clashing = visible.filter(project_code__in=list(codes[:200])).select_related("region")
    for project in clashing.order_by("created_at", "id"):  # who registered the code first, first
        groups.setdefault(project.project_code, []).append(project)
    return list(groups.values())


def shared(codes: Iterable[str]) -> list[str]:
    """Those of `codes` that two or more projects (voided ones left out) hold, whoever sees them."""
    wanted, found = sorted({c for c in codes if c}), []
    for i in range(0, len(wanted), CHUNK):
        # `<> ''` spelled out: the partial index serves only a query that states its condition.
        found += (Project.objects.filter(project_code__in=wanted[i:i + CHUNK]).exclude(project_code="")
                  .exclude(status=Status.VOIDED)
                  .values("project_code").annotate(n=Count("id")).filter(n__gt=1)
                  .values_list("project_code", flat=True))
    return sorted(found)


def announce_clashes(*, actor: Actor, codes: Iterable[str]) -> int:
    """After a write that gave projects these codes: tell those who see every project sharing one of them
    (never the writer's side alone: it was answered as for an unused code). Returns how many were told."""
    from halfbuilt.notifications.services import notify

    told = 0
    for code in shared(codes):
        sharing = list(Project.objects.filter(project_code=code).exclude(status=Status.VOIDED).values_list(
            "pk", flat=True))
        resolvers = [user for user in User.objects.filter(
            is_active=True, role_assignments__role__in=RESOLVERS).distinct().order_by("pk")
            if Project.objects.restrict(user).filter(pk__in=sharing).count() == len(sharing)]
        told += len(notify(event="code_clash", recipients=resolvers, title=code, key=f"code_clash:{code}",
                           url=reverse("ledger:code_clashes"), actor=actor).notifications)
    return told
