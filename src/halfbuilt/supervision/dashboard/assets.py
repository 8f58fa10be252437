"""The front-end assets installed from npm (package.json at the repository's root) into a static folder that
is not committed: `halfbuilt assets` runs `npm ci` and copies them there."""

from pathlib import Path

import halfbuilt

# Served by Django's staticfiles as vendor/echarts/echarts.min.js (STATICFILES_DIRS holds the package's static/).
VENDOR_DIR = Path(halfbuilt.__file__).resolve().parent / "static" / "vendor"
ASSETS = {"echarts/dist/echarts.min.js": "echarts/echarts.min.js"}


def echarts_present() -> bool:
    return (VENDOR_DIR / ASSETS["echarts/dist/echarts.min.js"]).is_file()
