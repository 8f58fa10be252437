"""The dashboard's receiver of audit.signals.projects_changed (connected in apps.py)."""

import logging

from . import cube, tasks

log = logging.getLogger(__name__)

# Up to this many changed projects are refreshed at once, after the commit, so the page is right when the writer
# looks; more (an import) go to the task worker, so that a 100,000-row import is not held up by its figures.
INLINE_LIMIT = 2000


def on_projects_changed(sender, project_ids, **kwargs) -> None:
    """A failure must not fail the write that already committed: it is logged, and the nightly rebuild repairs
    the cube (and reports the drift)."""
    try:
        if len(project_ids) > INLINE_LIMIT:
            tasks.refresh_later(sorted(project_ids))
        else:
            cube.refresh(project_ids)
    except Exception:
        log.exception("dashboard: refreshing %d projects failed", len(project_ids))
