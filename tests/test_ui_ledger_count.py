"""The ledger list shows the exact total whenever counting is cheap (the user's scope holds at most
LEDGER_EXACT_COUNT_MAX projects) and caps it only above; /ledger/count/ answers a browser with a page."""

import pytest
from django.test import Client

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture
def small_pages(monkeypatch):
    """Two rows a page, so the list counts 12 rows ahead (page 1 + COUNT_AHEAD_PAGES, ledger/paging.py)."""
    monkeypatch.setattr("halfbuilt.ledger.views.PAGE_SIZE", 2)


@pytest.fixture
def fifteen(make_project):
    """15 projects: 3 in Donghe (the county's scope), 12 in Chifeng."""
    for i in range(3):
        make_project(name=f"东河区项目{i}")
    for i in range(12):
        make_project(name=f"赤峰项目{i}", region_id="150402")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def count_line(html: str) -> str:
    start = html.index('id="result-count"')
    return html[start:html.index("</p>", start)]


def test_exact_total_when_the_scope_is_small(users, fifteen, small_pages, settings):
    settings.LEDGER_EXACT_COUNT_MAX = 15
    line = count_line(client_for(users["office"]).get("/ledger/").content.decode())
    assert "<strong>15</strong> 个" in line and "超过" not in line and "统计准确总数" not in line


def test_capped_above_the_setting_with_the_exact_total_on_request(users, fifteen, small_pages, settings):
    settings.LEDGER_EXACT_COUNT_MAX = 14
    line = count_line(client_for(users["office"]).get("/ledger/").content.decode())
    assert "超过</span> <strong data-count>12</strong>" in line and "统计准确总数" in line


def test_the_cap_depends_on_the_users_own_scope(users, fifteen, small_pages, settings):
    settings.LEDGER_EXACT_COUNT_MAX = 10
    assert "超过" in count_line(client_for(users["office"]).get("/ledger/").content.decode())
    line = count_line(client_for(users["county"]).get("/ledger/").content.decode())
    assert "<strong>3</strong> 个" in line and "超过" not in line


def test_count_page_without_javascript(users, fifteen):
    response = client_for(users["office"]).get("/ledger/count/?region=150402&sort=name", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "符合筛选条件的项目共 <strong>12</strong> 个" in html
    assert 'href="/ledger/?region=150402&amp;sort=name"' in html  # back to the same list
    assert "<script>" not in html


@pytest.mark.parametrize("accept", ["application/json", "*/*", None])
def test_count_answers_json_to_the_script(users, fifteen, accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = client_for(users["office"]).get("/ledger/count/?region=150402", **headers)
    assert response["Content-Type"] == "application/json" and response.json() == {"count": 12}
