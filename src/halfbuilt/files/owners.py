"""Who sees an attachment that belongs to no project.

An attachment with a project is seen by whoever sees the project. One without (the evidence of a 督办 on an
organisation) belongs to an aggregate of an app above this one, which registers here, from its
`AppConfig.ready()`, the rule of who sees its attachments: `register(name, visible)`, where `visible(user)` is a
`Q` over `Attachment` (use `pk__in` subqueries, which never duplicate rows). The files app imports none of
those apps.

Default deny: a rule claims only attachments without a project (it cannot widen who sees a project's), a rule
answering an empty `Q()` claims nothing, and an attachment without a project that no rule claims is visible to
nobody.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import reduce
from operator import or_

from django.db.models import Q

from halfbuilt.accounts.scope import NOTHING

Rule = Callable[[object], Q]

_OWNERS: dict[str, Rule] = {}


def register(name: str, visible: Rule) -> None:
    """Declare owner `name` and who sees its attachments. Registering a name again replaces its rule (an app's
    `ready()` may run more than once)."""
    _OWNERS[name] = visible


def names() -> tuple[str, ...]:
    return tuple(_OWNERS)


def claimed_by_owners(user) -> Q:
    """The attachments without a project that `user` may see: those some registered owner grants."""
    claims = [claim for claim in (visible(user) for visible in _OWNERS.values()) if claim]
    if not claims:
        return NOTHING
    return Q(project__isnull=True) & reduce(or_, claims)
