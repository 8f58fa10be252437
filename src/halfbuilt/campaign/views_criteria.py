"""The departments' criteria (本行业"半拉子"工程标准): the lines and their criteria in force, a line's versions
(older ones readable), and a department's form for a new version."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from halfbuilt.accounts.guards import needs_action
from halfbuilt.accounts.people import people_for
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.forms import add_service_error
from halfbuilt.core.request_context import Actor
from halfbuilt.regions.models import Department

from . import services
from .forms import CriteriaForm
from .managers import criteria_lines
from .models import CriteriaVersion


@require_GET
@needs_action("view")
def criteria_list(request: HttpRequest) -> HttpResponse:
    versions = CriteriaVersion.objects.restrict(request.user).select_related("department")
    in_force: dict[str, CriteriaVersion] = {}
    for version in versions:  # newest first within a line
        in_force.setdefault(version.department_id, version)
    lines = criteria_lines(request.user)
    rows = [{"department": d, "version": in_force.get(d.code), "mine": d.code in lines}
            for d in Department.objects.all()]
    return render(request, "campaign/criteria_list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@needs_action("view")
def criteria_department(request: HttpRequest, code: str) -> HttpResponse:
    department = get_object_or_404(Department, code=code)
    versions = list(CriteriaVersion.objects.restrict(request.user).filter(department=department)
                    .select_related("created_by").prefetch_related("documents"))
    mine = code in criteria_lines(request.user)
    form = CriteriaForm(initial={"text": versions[0].text if versions else ""}) if mine else None
    if request.method == "POST" and not mine:  # told why, whatever was typed
        messages.error(request, str(services.NOT_YOUR_LINE).format(department=department.name))
        return redirect("campaign:criteria_department", code=code)
    if request.method == "POST":
        form = CriteriaForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.record_criteria(actor=Actor.from_request(request), department=department,
                                         text=form.cleaned_data["text"], note=form.cleaned_data["note"],
                                         uploads=request.FILES.getlist("files"))
            except ServiceError as error:
                add_service_error(form, error, {"file": "files"})
            else:
                messages.success(request, _("已保存本行业标准的新版本。"))
                return redirect("campaign:criteria_department", code=code)
    people_for(request).want(*(v.created_by.username for v in versions))
    context = {"department": department, "versions": versions, "form": form if mine else None,
               "shown": _shown(versions, request.GET.get("version"))}
    return render(request, "campaign/criteria_department.html", context)


def _shown(versions: list[CriteriaVersion], number: str | None) -> CriteriaVersion | None:
    """The version asked for (?version=N), else the one in force."""
    if number and number.isdigit():
        return next((v for v in versions if v.number == int(number)), versions[0] if versions else None)
    return versions[0] if versions else None
