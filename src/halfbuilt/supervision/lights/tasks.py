"""The worker's part: every light recomputed daily, and at once (in the background) after the office changes
the rules."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .alerts import telling_red
from .recompute import recompute


@db_periodic_task(crontab(hour="1", minute="7"))
def recompute_lights_daily() -> int:
    outcome = []
    telling_red(None, lambda: outcome.append(recompute()))
    return outcome[0].changed


@db_task()
def recompute_lights() -> int:
    return recompute().changed


@db_task()
def recompute_lights_of(project_ids: list[int]) -> int:
    """The lights of a few projects, when the page that changed them found a recompute under way."""
    return recompute(project_ids).changed
