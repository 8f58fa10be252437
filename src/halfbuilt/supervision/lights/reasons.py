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


# A rule may give several reasons from one measure (progress behind: yellow or red by how far): its hits then
# carry the annotation REASON_CODE, the code of the reason each project gets (NULL: none).
REASON_CODE = "reason_code"


@dataclass(frozen=True)
class Rule:
    reasons: tuple[Reason, ...]
    hits: HitsFn


RULES: dict[str, Rule] = {}  # by each of its reasons' codes


def register_rule(reason: Reason | tuple[Reason, ...], hits: HitsFn) -> None:
    """Add a rule; its codes and bits must be new (registering the same rule again is a no-op)."""
    given = reason if isinstance(reason, tuple) else (reason,)
    if all(RULES.get(r.code) is not None and RULES[r.code].reasons == given for r in given):
        return
    taken_bits = {r.bit for r in reasons()}
    for r in given:
        if r.code in RULES or r.bit in taken_bits or sum(o.bit == r.bit for o in given) > 1:
            raise ValueError(f"light reason {r.code!r} or bit {r.bit} is already registered")
        if not 0 <= r.bit < BITS:
            raise ValueError(f"light reason bit {r.bit} is outside 0..{BITS - 1}")
    rule = Rule(given, hits)
    for r in given:
        RULES[r.code] = rule


def unregister_rule(code: str) -> None:
    rule = RULES.get(code)
    for r in rule.reasons if rule else ():
        RULES.pop(r.code, None)


@contextmanager
def registered(reason: Reason | tuple[Reason, ...], hits: HitsFn) -> Iterator[None]:
    """A rule for the time of a block (tests)."""
    register_rule(reason, hits)
    try:
        yield
    finally:
        unregister_rule((reason if isinstance(reason, tuple) else (reason,))[0].code)


def rules() -> list[Rule]:
    """Every registered rule once, by its first bit."""
    unique = {id(rule): rule for rule in RULES.values()}
    return sorted(unique.values(), key=lambda rule: min(r.bit for r in rule.reasons))


def reasons() -> list[Reason]:
    """Every registered reason, most severe first, then by bit."""
    return sorted({r for rule in RULES.values() for r in rule.reasons}, key=lambda r: (-r.colour, r.bit))


def decode(bits: int) -> list[Reason]:
    """The registered reasons of a bit set (a reason no longer registered is left out)."""
    return [r for r in reasons() if bits >> r.bit & 1]


def by_code(code: str) -> Reason | None:
    rule = RULES.get(code)
    return next((r for r in rule.reasons if r.code == code), None) if rule else None
