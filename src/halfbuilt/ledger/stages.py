"""The disposal stage of a project in the ledger (分类处置): where it stands between plan and closure.

Stage moves follow from other aggregates' transitions (a plan confirmed, a closure requested, a failed
回头看), so they are made by those services — through the workflow kernel or inside their own transaction, after
the project row is locked and their scope is checked."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from halfbuilt.audit.services import record_change
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.request_context import Actor

from .models import Project, Stage, Status

# Which moves are legal (from, to).
STAGE_MOVES: set[tuple[str, str]] = {
    (Stage.NONE, Stage.PLANNING),  # a plan is drafted
    (Stage.PLANNING, Stage.DISPOSING),  # the office confirms the plan
    (Stage.DISPOSING, Stage.CLOSING),  # closure requested
    (Stage.CLOSING, Stage.DISPOSING),  # closure returned
    (Stage.CLOSING, Stage.CLOSED),  # the office closes the project (销号)
    (Stage.CLOSED, Stage.DISPOSING),  # a failed 回头看 reopens it
}


def move_stage(*, actor: Actor, project: Project, to: str, reason: str = "") -> Project:
    """Move a project to another disposal stage, inside the calling service's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("move_stage must run inside the calling service's transaction")
    locked = Project.objects.select_for_update().get(pk=project.pk)  # already ours: the caller locked it first
    if locked.stage == to:
        return locked
    if (locked.stage, to) not in STAGE_MOVES:
        raise ServiceError(
            _("项目处于“{stage}”阶段，不能转为“{label}”").format(
                stage=locked.get_stage_display(), label=Stage(to).label,
            ),
        )
    if locked.status != Status.IN_LEDGER:
        raise ServiceError(_("只有已纳入台账的项目才能进入处置流程"))
    before = {"stage": locked.stage}
    locked.stage = to
    locked.version = F("version") + 1
    locked.save(update_fields=["stage", "version", "updated_at"])
    locked.refresh_from_db()
    record_change(
        actor=actor, action="stage", obj=locked, before=before, after={"stage": to}, reason=reason,
        project_id=locked.pk, classified=locked.classified,
    )
    return locked
