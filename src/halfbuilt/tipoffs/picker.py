"""The tip-off form's map (issue 9 §2, "pick on the map"): the province by league, each league by county, drawn
from the dashboard's geometry (`supervision/dashboard/assets.py`, served locally) with map.js's loader. A click
fills the position and, in a county, preselects the region; the region and address fields stay the way without a
script or a map (this returns None when the front-end assets are not installed)."""

from __future__ import annotations

from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext as _

from halfbuilt.regions.models import Region, RegionLevel
from halfbuilt.supervision.dashboard import assets


def data() -> dict | None:
    """What report.js draws (json_script): the province's geometry, each league's, and the areas' names."""
    province = settings.CAMPAIGN_PROVINCE_CODE
    asset = assets.map_asset(province)
    if asset is None or not assets.echarts_present():
        return None
    areas = dict(Region.objects.filter(level__in=[RegionLevel.PREFECTURE, RegionLevel.COUNTY])
                 .values_list("code", "name"))
    leagues = {}
    for code in Region.objects.filter(parent_id=province, level=RegionLevel.PREFECTURE).values_list("code", flat=True):
        if league := assets.map_asset(code):
            leagues[code] = static(league)
    return {
        "code": province, "asset": static(asset), "leagues": leagues, "names": areas,
        "picked": _("已选位置：纬度 {lat}，经度 {lng}。"), "region": _("所在旗县已选为“{name}”。"),
        "zoomed": _("已放大到{name}，请再点击工程所在的具体位置。"),
    }
