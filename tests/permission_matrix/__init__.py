"""The permission matrix as data: table.py (the rows), grid.py (its vocabulary), world.py (the world and the
states rows start from), checks.py (what rows read back), runner.py (one cell as a request and its checks).
tests/test_permission_matrix.py and tests/test_permission_matrix_api.py expand the table into tests."""
