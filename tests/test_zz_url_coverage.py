"""Fails when a URL pattern is never exercised by the suite (Zulip's idea). Runs last (file name)."""

import pytest

from tests.conftest import EXERCISED_ROUTES
from tests.routes import all_routes


def test_every_url_pattern_is_exercised(request):
    modules = {item.module.__name__ for item in request.session.items if hasattr(item, "module")}
    if "tests.test_permission_matrix" not in modules:
        pytest.skip("only meaningful when the whole suite runs")
    missing = sorted(all_routes() - EXERCISED_ROUTES)
    assert not missing, f"URL patterns no test requested: {missing}"
