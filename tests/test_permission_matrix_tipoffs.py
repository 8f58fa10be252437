"""The permission matrix of tip-offs: moderation and Open311 (the portal's tip-off pages run with the public module)
(cells of tests/permission_matrix/table.py)."""

import pytest

from tests.permission_matrix.runner import cases_of, run
from tests.permission_matrix.world import matrix_world  # noqa: F401  (the module's world)


@pytest.mark.parametrize("case", cases_of(__name__), ids=lambda case: case.id)
def test_page(case, matrix_world, db):  # noqa: F811
    run(case, matrix_world)
