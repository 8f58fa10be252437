"""The permission matrix of the API (/api/v1/…): tests/permission_matrix/table.py expanded, one test per cell."""

import pytest

from tests.permission_matrix.grid import expand
from tests.permission_matrix.runner import run
from tests.permission_matrix.table import ROWS
from tests.permission_matrix.world import matrix_world  # noqa: F401  (the module's world)

API_CASES = [case for case in expand(ROWS) if case.row.path.startswith("/api/")]


@pytest.mark.parametrize("case", API_CASES, ids=lambda case: case.id)
def test_api(case, matrix_world, db):  # noqa: F811
    run(case, matrix_world)
