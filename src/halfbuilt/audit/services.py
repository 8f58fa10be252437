"""Writing the change log. Called by every service inside its own transaction."""

from django.db import transaction

from halfbuilt.core.request_context import Actor

from .models import ChangeLog


def changed_fields(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    """Keep only the keys that changed, so the timeline shows what happened."""
    if before is None or after is None:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record_change(
    *,
    actor: Actor,
    action: str,
    obj,
    before: dict | None,
    after: dict | None,
    reason: str = "",
    project_id: int | None = None,
    classified: bool = False,
    batch: str = "",
) -> ChangeLog:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_change must run inside the business write's transaction")
    before, after = changed_fields(before, after)
    return ChangeLog.objects.create(
        user=actor.user,
        username=actor.username,
        ip=actor.ip or None,
        via=actor.via,
        action=action,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        project_id=project_id,
        classified=classified,
        before=before,
        after=after,
        reason=reason[:500],
        batch=batch,
    )
