from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from halfbuilt.accounts.scope import can_read_audit


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands where its work is: the audit admin on the change log, everyone else on the ledger."""
    if can_read_audit(request.user):
        return redirect("audit:changelog_search")
    return redirect("ledger:project_list")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    message = "页面已过期或来源无法验证，请刷新页面后重新提交。"
    return render(request, "403.html", {"exception": message}, status=403)
