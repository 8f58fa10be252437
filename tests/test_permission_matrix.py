"""The permission matrix: tests/permission_matrix/table.py expanded, one test per cell. This module runs the cells
of the start page, sign-in, the ledger and audit pages; the other test_permission_matrix_*.py modules the rest
(runner.MODULES). The checks of the table itself (every route, every role, every object kind) are at the end.
"""

import importlib

import pytest

from tests.permission_matrix.grid import NONE, PROJECT_KINDS, ROLES, WRITES, expand, parse_token
from tests.permission_matrix.runner import MODULES, cases_of, run
from tests.permission_matrix.table import ROWS
from tests.permission_matrix.world import matrix_world  # noqa: F401  (the module's world)
from tests.routes import all_routes


@pytest.mark.parametrize("case", cases_of(__name__), ids=lambda case: case.id)
def test_page(case, matrix_world, db):  # noqa: F811
    run(case, matrix_world)


# --- the table itself ------------------------------------------------------------------------------------------------

def test_the_table_has_a_row_for_every_route_of_the_product():
    tabled = {row.route for row in ROWS}
    assert sorted(all_routes() - tabled) == [], "routes without a row"
    assert sorted(tabled - all_routes()) == [], "rows for routes that do not exist"


def test_each_cell_runs_in_exactly_one_module():
    ran = [case.id for module in MODULES for case in cases_of(module)]
    assert sorted(ran) == sorted(case.id for case in expand(ROWS))
    for module in MODULES:
        assert importlib.import_module(module)  # the module exists


def cells(row):
    for kind, line in row.grid.items():
        for role, token in zip(ROLES, line.split(), strict=True):
            if token != ".":
                yield kind, role, token


def test_every_route_is_requested_by_every_role():
    by_route = {}
    for row in ROWS:
        by_route.setdefault(row.route, set()).update(role for _, role, _ in cells(row))
    assert {route: sorted(set(ROLES) - roles) for route, roles in by_route.items() if roles != set(ROLES)} == {}


def test_every_route_is_requested_on_every_kind_of_object_its_states_make():
    missing = {}
    for route in {row.route for row in ROWS}:
        rows = [row for row in ROWS if row.route == route and set(row.grid) & set(PROJECT_KINDS)]
        made = set().union(*(set(row.state.kinds) & set(PROJECT_KINDS) for row in rows)) if rows else set()
        requested = {kind for row in rows for kind, _, _ in cells(row)}
        if made - requested:
            missing[route] = sorted(made - requested)
    assert missing == {}


def test_every_row_asks_only_for_objects_its_state_makes():
    assert [row.name for row in ROWS if not set(row.grid) <= {*row.state.kinds, "listing"}] == []


def test_a_write_that_can_succeed_says_what_it_changes():
    """A POST that some role gets through must name its effect (or what the answer shows), so that a refusal is
    seen to change nothing and a success to change something."""
    silent = []
    for row in ROWS:
        succeeds = any(token[0] in "23" for _, _, token in cells(row) if token != "login")
        if row.method in WRITES and succeeds and row.effect is None and row.shows is None:
            silent.append(row.name)
    assert silent == []


def test_plus_is_only_used_where_a_row_has_something_to_check():
    wrong = [row.name for row in ROWS for kind, _, token in cells(row)
             if kind != "listing" and parse_token(token, listing=False).plus and not (row.effect or row.shows)]
    assert wrong == []


def test_rows_without_an_object_use_the_none_kind_only():
    assert [row.name for row in ROWS if NONE in row.grid and len(row.grid) > 1] == []
