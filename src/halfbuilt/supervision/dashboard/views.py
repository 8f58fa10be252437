"""The dashboard's pages and files: thin, the figures come from `figures` (the cube, in the user's scope)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from halfbuilt.accounts.guards import needs_action

from . import assets, charts, exports, figures

NO_DASHBOARD = gettext_lazy("调度看板供领导小组办公室、行业主管部门和盟市、旗县政府使用；您的角色没有调度看板。")


@require_GET
@needs_action("dashboard", message=NO_DASHBOARD)
def page(request: HttpRequest) -> HttpResponse:
    board = figures.dashboard(request.user)
    context = {"board": board, "labels": figures.LABELS, "charts": assets.echarts_present(),
               "chart_data": charts.data(board)}
    return render(request, "dashboard/page.html", context)


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
