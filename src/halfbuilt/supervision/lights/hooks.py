"""A light follows its project's facts at once: every business write logs its change with the project's id
(audit.services), and after the commit the lights of those projects are recomputed."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from .alerts import telling_red
from .recompute import LIGHT_ACTION, PARTIAL_MAX, Busy, recompute
from .tasks import recompute_lights, recompute_lights_of

_paused: ContextVar[bool] = ContextVar("lights_paused", default=False)


def on_projects_changed(sender, project_ids: frozenset[int], actions: frozenset[str] = frozenset(),
                        **kwargs) -> None:
    # A commit of nothing but the lights' own changes of colour (the recompute's log) changes no fact of a project.
    if _paused.get() or (actions and actions <= {LIGHT_ACTION}):
        return
    if len(project_ids) > PARTIAL_MAX:
        recompute_lights()  # a big import: every light, on the worker
        return
    try:
        telling_red(project_ids, lambda: recompute(project_ids, wait=False))
    except Busy:  # the daily run holds the lock: the worker does these after it
        recompute_lights_of(sorted(project_ids))


@contextmanager
def paused() -> Iterator[None]:
    """No recompute on each write within the block (the demo's build, which recomputes once at its end)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)
