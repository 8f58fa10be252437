from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    message = _("页面已过期或来源无法验证，请刷新页面后重新提交。")
    return render(request, "403.html", {"exception": message}, status=403)
