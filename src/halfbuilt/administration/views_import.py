"""Import of users from a contact list: upload → preview (every error with its sheet, row and column, or the
users to create) → confirm (all of them, in one transaction) → their temporary passwords, shown once."""

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halfbuilt.accounts.guards import needs_duty
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.intake.reader import ReadError

from . import imports
from .forms import ImportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "administration_user_import"  # the checked rows between the preview and the confirmation


@require_http_methods(["GET", "POST"])
@needs_duty("administer")
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    checked = None
    if request.method == "POST" and form.is_valid():
        try:
            checked = imports.read_upload(form.cleaned_data["file"])
        except ReadError as exc:
            form.add_error("file", str(exc))
        else:
            token = uuid.uuid4().hex
            if checked.ok:
                request.session[SESSION_KEY] = {"token": token, "rows": [r.stored() for r in checked.rows]}
            else:
                request.session.pop(SESSION_KEY, None)
            return render(request, "administration/import_preview.html", {
                "checked": checked, "token": token, "name": form.cleaned_data["file"].name,
            }, status=200)
    return render(request, "administration/import_upload.html", {"form": form})


@never_cache
@require_POST
@needs_duty("administer")
def import_confirm(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("token") != request.POST.get("token"):
        messages.error(request, _("导入已失效或已完成，请重新上传文件"))
        return redirect("administration:import_upload")
    try:
        made = imports.apply(actor=Actor.from_request(request, via="import"), rows=stored["rows"])
    except ServiceError as exc:
        messages.error(request, _("未导入任何用户：{message}").format(message=exc.message))
        return redirect("administration:import_upload")
    request.session.pop(SESSION_KEY, None)
    response = render(request, "administration/import_done.html", {"made": made})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@needs_duty("administer")
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(imports.template(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, _("用户导入模板.xlsx"))
    return response
