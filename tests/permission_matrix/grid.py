"""The vocabulary of the permission table: roles, rows, outcome tokens, and their expansion into test cases.

A row is one request (method and address) on one route, from one starting state. Its grid says, for each
kind of object the state makes and for each role (columns in ROLES order), what the user sees:

    200 201 400 403 404 405 …  that status code (an /api/ answer is JSON, whatever the code)
    302                        a redirect to the row's `redirect`; `302:name` to `redirects[name]`
    login                      a redirect to the sign-in page, coming back to this address afterwards
    +                          after a code: the row's effect happened (a write) or its `shows` holds (a read);
                               without it, the effect did not happen / `shows` does not hold.
                               A refused write changes nothing: not its effect, and not the change log;
                               a refused write that redirects (302 without +) says why in an error message
    .                          not requested: the same rule as another cell of the row (see table.py)

A listing row (kind LISTING) says instead which objects the answer lists: any of `i` (in_scope), `e`
(elsewhere), `c` (classified), `-` for none — or a status code / login for who may not list at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("office", "department", "department_baotou", "department_gat", "region", "county", "unit",
         "sysadmin", "secadmin", "auditor", "anonymous")
# Kinds of objects a state makes. Project kinds: see tests/world.py; `none`: the route has no object.
IN_SCOPE, ELSEWHERE, CLASSIFIED = "in_scope", "elsewhere", "classified"
PROJECT_KINDS = (IN_SCOPE, ELSEWHERE, CLASSIFIED)
NONE = "none"
LISTING = "listing"
LISTED_LETTERS = {"i": IN_SCOPE, "e": ELSEWHERE, "c": CLASSIFIED}

TOKEN = re.compile(r"^(?:(?P<code>[1-5]\d\d)(?::(?P<target>\w+))?(?P<plus>\+)?|(?P<login>login)|(?P<skip>\.))$")
LIST_TOKEN = re.compile(r"^(?:[iec]+|-)$")
WRITES = {"POST", "PATCH", "PUT", "DELETE"}


@dataclass(frozen=True)
class Outcome:
    code: int | None  # None: the sign-in redirect
    target: str = ""  # for 302: a key of the row's `redirects`; "" for the row's `redirect`
    plus: bool = False
    listed: frozenset[str] | None = None  # for listing rows: the object kinds the answer lists

    @property
    def is_login(self) -> bool:
        return self.code is None


def parse_token(token: str, listing: bool) -> Outcome | None:
    """An Outcome, or None for `.` (not requested)."""
    if listing and LIST_TOKEN.match(token):
        kinds = frozenset() if token == "-" else frozenset(LISTED_LETTERS[letter] for letter in token)
        return Outcome(200, listed=kinds)
    found = TOKEN.match(token)
    if found is None:
        raise ValueError(f"unknown outcome token {token!r}")
    if found["skip"]:
        return None
    if found["login"]:
        return Outcome(None)
    return Outcome(int(found["code"]), found["target"] or "", bool(found["plus"]))


@dataclass(frozen=True)
class State:
    """What a row starts from: `setup(world)` makes it and returns {object kind: ids for the address}."""

    name: str
    setup: Callable
    kinds: tuple[str, ...] = (NONE, *PROJECT_KINDS)  # the object kinds it makes


@dataclass(frozen=True)
class Row:
    route: str  # the URL pattern as Django lists it (tests/routes.py), which this request exercises
    method: str
    path: str  # the address, formatted with the ids the state made ({project}, {plan}, …) and {own_org}
    grid: dict[str, str]  # object kind → one token per role, in ROLES order
    state: State
    rule: str  # what the row proves, in words
    data: Callable | dict | None = None  # the body: a dict, or ids → dict (fresh files for each request)
    body: str = "form"  # form (or multipart when `data` holds files), json, none
    redirect: Callable | str = ""  # where a 302 goes: a format string over the ids, or ids → address
    redirects: dict = field(default_factory=dict)
    effect: Callable | None = None  # ids → whether the write happened (it must not have before)
    shows: Callable | None = None  # (response, ids) → bool, for reads whose grid uses +
    listed: Callable | None = None  # (response, ids) → the object kinds the answer lists (LISTING rows)
    raw: bool = False  # an /api/ address that is not JSON (the Swagger page, a file's content)

    @property
    def is_listing(self) -> bool:
        return LISTING in self.grid

    @property
    def name(self) -> str:
        return f"{self.method} {self.path} [{self.state.name}]"


@dataclass(frozen=True)
class Case:
    row: Row
    kind: str
    role: str
    outcome: Outcome
    row_label: str  # the row's name, numbered when another row has the same request and state

    @property
    def id(self) -> str:
        return f"{self.row_label} {self.kind} {self.role}"


def expand(rows: list[Row]) -> list[Case]:
    cases = []
    seen: dict[str, int] = {}
    for row in rows:
        seen[row.name] = seen.get(row.name, 0) + 1
        label = row.name if seen[row.name] == 1 else f"{row.name} #{seen[row.name]}"
        for kind, line in row.grid.items():
            tokens = line.split()
            if len(tokens) != len(ROLES):
                raise ValueError(f"{row.name} {kind}: {len(tokens)} tokens for {len(ROLES)} roles")
            for role, token in zip(ROLES, tokens, strict=True):
                outcome = parse_token(token, listing=kind == LISTING)
                if outcome is not None:
                    cases.append(Case(row, kind, role, outcome, label))
    return cases
