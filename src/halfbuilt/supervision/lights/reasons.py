"""The reasons a light shows, each declared once (code, bit, colour, label, what clears it), and the registry of
the rules that find them. Another app (督办, for one) adds its own rule from its AppConfig.ready() with
`register_rule`, without touching this app: the recompute runs every registered rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .models import Colour

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .models import LightSettings

BITS = 63  # the light's reasons are a signed 64-bit integer's bits 0..62


@dataclass(frozen=True)
class Reason:
    code: str  # stable: stored in the reason rows and the list's addresses (?reason=…)
    bit: int  # stable: stored in the light's and the history's bit sets
    colour: Colour
    label: str  # lazy gettext
    clears: str  # what clears it, lazy gettext


@dataclass(frozen=True)
class Context:
    """What every rule is evaluated against: the office's thresholds and one moment, for all projects at once."""

    settings: LightSettings
    now: dt.datetime
    today: dt.date


# hits(projects, context) → the subset of `projects` (a Project queryset: in the ledger, not closed) that the
# reason applies to. It must stay one query: the recompute inserts it with INSERT … SELECT.
HitsFn = Callable[["QuerySet", Context], "QuerySet"]


@dataclass(frozen=True)
class Rule:
    reason: Reason
    hits: HitsFn


RULES: dict[str, Rule] = {}


def register_rule(reason: Reason, hits: HitsFn) -> None:
    """Add a rule; its code and bit must be new (registering the same rule again is a no-op)."""
    existing = RULES.get(reason.code)
    if existing is not None and existing.reason == reason:
        return
    if existing is not None or any(r.reason.bit == reason.bit for r in RULES.values()):
        raise ValueError(f"light reason {reason.code!r} or bit {reason.bit} is already registered")
    if not 0 <= reason.bit < BITS:
        raise ValueError(f"light reason bit {reason.bit} is outside 0..{BITS - 1}")
    RULES[reason.code] = Rule(reason, hits)


def unregister_rule(code: str) -> None:
    RULES.pop(code, None)


@contextmanager
def registered(reason: Reason, hits: HitsFn) -> Iterator[None]:
    """A rule for the time of a block (tests)."""
    register_rule(reason, hits)
    try:
        yield
    finally:
        unregister_rule(reason.code)


def reasons() -> list[Reason]:
    """Every registered reason, most severe first, then by bit."""
    return sorted((r.reason for r in RULES.values()), key=lambda r: (-r.colour, r.bit))


def decode(bits: int) -> list[Reason]:
    """The registered reasons of a bit set (a reason no longer registered is left out)."""
    return [r for r in reasons() if bits >> r.bit & 1]


def by_code(code: str) -> Reason | None:
    rule = RULES.get(code)
    return rule.reason if rule else None
