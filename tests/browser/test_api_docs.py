"""The API's documentation page (Swagger UI from the ninja package, served locally) works under the pages'
Content-Security-Policy: it renders the operations (the page fixture fails on any policy violation)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_signed_in_integrator_reads_the_api_docs(page, sign_in, users):
    sign_in("unit_school", "/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "半拉子工程大起底管理平台 API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock-summary-path", has_text="/api/v1/projects").first.is_visible()
