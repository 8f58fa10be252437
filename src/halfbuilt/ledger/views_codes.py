"""The 项目代码重复 page: the codes two or more projects the user sees share, to correct or void one of them."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from halfbuilt.accounts.guards import needs_action

from . import codes


@require_GET
@needs_action("confirm", message=_("项目代码重复由能看到各相关项目的领导小组办公室和行业主管部门处理。"))
def code_clashes(request: HttpRequest) -> HttpResponse:
    return render(request, "ledger/code_clashes.html", {"groups": codes.clashes(request.user)})
