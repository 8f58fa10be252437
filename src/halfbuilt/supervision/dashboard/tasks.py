"""The nightly rebuild of the cube on the task worker (`halfbuilt run_huey`), which reports drift: a maintained
cube that differs from its recomputation means a change escaped the deltas (a write without its change-log
entry, a failed refresh)."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import cube

log = logging.getLogger(__name__)


@db_task()
def refresh_later(project_ids: list[int]) -> None:
    """A big change (an import's projects) refreshed by the worker rather than by the writer."""
    cube.refresh(project_ids)


def rebuild_and_report() -> cube.Drift:
    drift = cube.rebuild()
    if not drift.none:
        log.warning("dashboard: the cube had drifted (%d cells, %d projects), rebuilt; e.g. %s",
                    drift.cells, drift.projects, drift.examples[:3])
    return drift


@db_periodic_task(crontab(hour="2", minute="41"))
def nightly_rebuild() -> dict:
    drift = rebuild_and_report()
    return {"cells": drift.cells, "projects": drift.projects}
