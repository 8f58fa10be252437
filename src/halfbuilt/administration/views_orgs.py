"""The system administrator's organisation pages: list with search and filters, create, edit, disable/enable."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halfbuilt.accounts.guards import needs_duty
from halfbuilt.accounts.models import Organization
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.forms import add_service_error
from halfbuilt.core.request_context import Actor

from . import services
from .forms import OrganizationFilter, OrganizationForm, ReasonForm

PAGE_SIZE = 50


@require_GET
@needs_duty("administer")
def org_list(request: HttpRequest) -> HttpResponse:
    form = OrganizationFilter(request.GET or None)
    orgs = Organization.objects.select_related("region", "department").annotate(users=Count("role_assignments"))
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            orgs = orgs.filter(name__icontains=data["q"].strip())
        if data["kind"]:
            orgs = orgs.filter(kind=data["kind"])
        if code := data["region"].strip():
            orgs = orgs.filter(Q(region_id=code) | Q(region__parent_id=code))
        if data["active"]:
            orgs = orgs.filter(active=data["active"] == "1")
    page = Paginator(orgs.order_by("region_id", "kind", "name"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "administration/org_list.html", {"form": form, "page": page})


def _save(request: HttpRequest, org: Organization | None) -> HttpResponse:
    initial = {} if org is None else {"name": org.name, "kind": org.kind, "region": org.region_id,
                                      "department": org.department_id, "uscc": org.uscc}
    form = OrganizationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {"name": data["name"], "kind": data["kind"], "region": data["region"],
                  "department": data["department"], "uscc": data["uscc"]}
        try:
            if org is None:
                org = services.create_organization(actor=Actor.from_request(request), **fields)
                messages.success(request, _("已新建单位“{name}”。").format(name=org.name))
            else:
                org = services.update_organization(actor=Actor.from_request(request), org=org, **fields)
                messages.success(request, _("已保存单位“{name}”。").format(name=org.name))
            return redirect("administration:org_list")
        except ServiceError as exc:
            add_service_error(form, exc)
    return render(request, "administration/org_form.html", {"form": form, "org": org,
                                                           "reason_form": ReasonForm()})


@require_http_methods(["GET", "POST"])
@needs_duty("administer")
def org_create(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@require_http_methods(["GET", "POST"])
@needs_duty("administer")
def org_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _save(request, get_object_or_404(Organization, pk=pk))


@require_POST
@needs_duty("administer")
def org_active(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk)
    form = ReasonForm(request.POST)
    active = request.POST.get("active") == "1"
    if not form.is_valid():
        messages.error(request, _("理由不能超过 500 字"))
        return redirect("administration:org_edit", pk=org.pk)
    try:
        services.set_organization_active(actor=Actor.from_request(request), org=org, active=active,
                                         reason=form.cleaned_data["reason"])
        messages.success(request, (_("已启用单位“{name}”。") if active else _("已停用单位“{name}”。")).format(
            name=org.name))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("administration:org_edit", pk=org.pk)
