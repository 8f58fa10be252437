"""通报 pages: the list, the create form (period and options), the draft's edit form, the circular's page (its
figures: live for a draft, frozen once published; the publish button of the kernel) and its downloads. Thin:
reads through `restrict` (selectors), writes through `services`. What the user may not see is a 404
("通报不存在，或您无权查看"); creating and editing are the office's (403 for anyone else)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halfbuilt.core import govdoc
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.forms import add_service_error
from halfbuilt.core.request_context import Actor
from halfbuilt.workflow.views import action_panel, perform_posted

from . import documents, selectors, services, tables, texts
from .figures import METRICS
from .forms import CreateForm, EditForm
from .models import Circular, CircularStatus
from .scope import office_orgs, sees_any
from .workflow import CIRCULAR_FLOW

LIST_LIMIT = 300


class Missing(Http404):
    """A circular the user may not see, answered as one that does not exist."""


def _circular(request: HttpRequest, pk: int) -> Circular:
    circular = selectors.visible(request.user).filter(pk=pk).first()
    if circular is None:
        raise Missing(str(services.NOT_FOUND))
    return circular


def missing_circular(view):
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Missing as missing:
            return render(request, "circulars/missing.html", {"message": str(missing)}, status=404)

    return wrapped


def _office_only(request: HttpRequest) -> None:
    if not office_orgs(request.user):
        raise PermissionDenied(str(services.NOT_THE_OFFICE))


@require_GET
def listing(request: HttpRequest) -> HttpResponse:
    if not sees_any(request.user):
        raise PermissionDenied(_("您的单位尚未收到通报"))
    circulars = selectors.visible(request.user)
    status = request.GET.get("status", "")
    if status in CircularStatus.values:
        circulars = circulars.filter(status=status)
    return render(request, "circulars/list.html", {
        "circulars": list(circulars[:LIST_LIMIT]), "limit": LIST_LIMIT, "status": status,
        "statuses": CircularStatus.choices, "office": bool(office_orgs(request.user)),
    })


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    form = CreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            circular = services.create_circular(
                actor=Actor.from_request(request), period_kind=data["period_kind"], month=data.get("month", ""),
                quarter=data.get("quarter", ""), start=data.get("start"), end=data.get("end"), top_n=data["top_n"],
                ranking=data["ranking"], public=data["public"])
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已生成通报草稿，请核对数据、修改文字后发布。"))
            return redirect("circulars:detail", pk=circular.pk)
    return render(request, "circulars/create.html", {"form": form})


@missing_circular
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    circular = _circular(request, pk)
    if not CIRCULAR_FLOW.permitted(request.user, circular, {"edit"}):
        raise PermissionDenied(str(services.NOT_THE_OFFICE))
    if not circular.is_draft:
        messages.error(request, _("通报已发布，不能修改"))
        return redirect("circulars:detail", pk=pk)
    initial = {"title": circular.title, "opening": circular.opening, "findings": circular.findings,
               "requirements": circular.requirements, "top_n": circular.top_n, "ranking": circular.ranking,
               "public": circular.public, "addressees": list(circular.addressees.values_list("pk", flat=True))}
    form = EditForm(request.POST or None, initial=initial, choices=services.addressee_choices())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        raw_version = request.POST.get("version", "")
        try:
            services.edit_circular(
                actor=Actor.from_request(request), circular=circular, title=data["title"], opening=data["opening"],
                findings=data["findings"], requirements=data["requirements"], addressees=data["addressees"],
                top_n=data["top_n"], ranking=data["ranking"], public=data["public"],
                version=int(raw_version) if raw_version.isdigit() else None)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已保存通报草稿。"))
            return redirect("circulars:detail", pk=pk)
    return render(request, "circulars/edit.html", {"circular": circular, "form": form})


@missing_circular
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    circular = _circular(request, pk)
    data = services.figures_of(circular, request.user)
    allowed = CIRCULAR_FLOW.allowed(request.user, circular)
    return render(request, "circulars/detail.html", {
        "circular": circular, "data": data, "period": texts.period_label(circular),
        "metric_label": METRICS[data["metric"]][0], "addressees": documents.addressee_line(circular),
        "actions": action_panel(CIRCULAR_FLOW, request.user, circular, "circulars:action", allowed=allowed),
        "may_edit": any(t.action == "edit" for t in allowed),
        "ranking_headers": tables.RANKING_HEADERS, "board_headers": tables.BOARD_HEADERS,
        "red_headers": tables.RED_HEADERS, "green_headers": tables.GREEN_HEADERS, "green": tables.green_cells(data),
        "leagues": [tables.ranking_cells(r) for r in data["leagues"]],
        "departments": [tables.ranking_cells(r) for r in data["departments"]],
        "boards": tables.board_cells(data), "red": tables.red_cells(data),
        "totals": tables.total_cells(data),
    })


@missing_circular
@require_POST
def action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    circular = _circular(request, pk)
    back = reverse("circulars:detail", args=[pk])
    return perform_posted(request, CIRCULAR_FLOW, circular, action, back, circular.title)


@missing_circular
@require_GET
def docx(request: HttpRequest, pk: int) -> HttpResponse:
    circular = _circular(request, pk)
    content = documents.build_docx(circular, services.figures_of(circular, request.user))
    return govdoc.download(content, govdoc.DOCX_TYPE, documents.filename(circular, "docx"))


@missing_circular
@require_GET
def xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    circular = _circular(request, pk)
    content = documents.build_xlsx(circular, services.figures_of(circular, request.user))
    return govdoc.download(content, govdoc.XLSX_TYPE, documents.filename(circular, "xlsx"))
