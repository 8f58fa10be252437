"""The dashboard's pages and files: thin, the figures come from `figures` (the cube, in the user's scope)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from halfbuilt.accounts.guards import needs_action

from . import areas, assets, charts, exports, figures, screen, timeline, warnings

NO_DASHBOARD = gettext_lazy("调度看板供领导小组办公室、行业主管部门和盟市、旗县政府使用；您的角色没有调度看板。")


@require_GET
@needs_action("dashboard", message=NO_DASHBOARD)
def page(request: HttpRequest) -> HttpResponse:
    board = figures.dashboard(request.user)
    area_map = areas.map_view(request.user, board, request.GET.get("area", "").strip())
    context = {"board": board, "labels": figures.LABELS, "charts": assets.echarts_present(),
               "chart_data": charts.data(board), "map": area_map, "map_data": area_map.data() if area_map else None,
               "map_figures": areas.FIGURES, "warnings": warnings.warnings(request.user),
               "timeline": timeline.timeline(board)}
    return render(request, "dashboard/page.html", context)


@require_GET
@needs_action("dashboard", message=NO_DASHBOARD)
def screen_page(request: HttpRequest) -> HttpResponse:
    """The 大屏: the page holds the figures as they are now; screen.js fetches them again every so often."""
    data = screen.data(request.user)
    return render(request, "dashboard/screen.html", {
        "data": data, "charts": assets.echarts_present(), "refresh": settings.DASHBOARD_SCREEN_REFRESH_SECONDS})


@require_GET
@needs_action("dashboard", message=NO_DASHBOARD)
def screen_json(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(screen.data(request.user), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@needs_action("dashboard", message=NO_DASHBOARD)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    return exports.dashboard_response(figures.dashboard(request.user))


@require_GET
@needs_action("dashboard", message=NO_DASHBOARD)
def schedule_xlsx(request: HttpRequest) -> HttpResponse:
    return exports.schedule_xlsx_response(*figures.schedule_rows(request.user))


@require_GET
@needs_action("dashboard", message=NO_DASHBOARD)
def schedule_docx(request: HttpRequest) -> HttpResponse:
    rows, total = figures.schedule_rows(request.user)
    return exports.schedule_docx_response(rows, total, signer=figures.signer(request.user))
