"""The worker's part: every light recomputed daily, and at once (in the background) after the office changes
the rules."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .recompute import recompute


@db_periodic_task(crontab(hour="1", minute="7"))
def recompute_lights_daily() -> int:
    return recompute().changed


@db_task()
def recompute_lights() -> int:
    return recompute().changed
