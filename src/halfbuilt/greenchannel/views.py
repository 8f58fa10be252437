"""绿色通道 pages: the list (an authority's queue, the requests of the projects one sees, the office's ranking),
filing, a request and its items with their clocks, an item's decisions, the 联审会, the 台账 (.xlsx), the
summary (.docx) and the procedures' table. Thin: reads through `restrict` (selectors), writes through
`services`. What the user may not see is a 404 in the services' words; roles without projects get a 403."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halfbuilt.accounts.guards import needs_action
from halfbuilt.accounts.people import people_for
from halfbuilt.accounts.scope import carries
from halfbuilt.core import govdoc
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.forms import add_service_error
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project
from halfbuilt.workflow.views import action_panel

from . import clocks, documents, selectors, services
from .forms import CompleteForm, FileForm, FilterForm, ProcedureForm, RefuseForm, ReviewForm, SupplyForm
from .models import Item, ProcedureType
from .scope import is_authority
from .workflow import ITEM_FLOW

LIST_LIMIT = 300


class Missing(Http404):
    """A request or item the user may not see, answered as one that does not exist."""


def missing(view):
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Missing as gone:
            return render(request, "greenchannel/missing.html", {"message": str(gone)}, status=404)

    return needs_action("view")(wrapped)


def _request(request: HttpRequest, pk: int):
    found = selectors.requests(request.user).filter(pk=pk).first()
    if found is None:
        raise Missing(str(services.NOT_FOUND))
    return found


def _item(request: HttpRequest, pk: int) -> Item:
    found = selectors.items(request.user).filter(pk=pk).first()
    if found is None:
        raise Missing(str(services.ITEM_NOT_FOUND))
    return found


def _rows(items) -> list[tuple[Item, clocks.Clock]]:
    return [(i, clocks.clock_of(i)) for i in items]


@needs_action("view")
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    authority = is_authority(user)
    queue = selectors.addressed(user) if authority else selectors.items(user)
    queue = selectors.filtered(queue, status=data.get("status", ""), overdue=data.get("overdue", ""))
    return render(request, "greenchannel/index.html", {
        "form": form, "authority": authority, "rows": _rows(queue.order_by("deadline", "pk")[:LIST_LIMIT]),
        "limit": LIST_LIMIT, "requests": [] if authority else list(selectors.requests(user)[:LIST_LIMIT]),
        "ranking": selectors.overdue_ranking(user)[:10], "may_configure": carries(user, "green_configure"),
    })


@needs_action("view")
@require_http_methods(["GET", "POST"])
def file_request(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.restrict(request.user), pk=project_id)
    if not Project.objects.permits(request.user, "green_file", project):
        raise PermissionDenied(str(services.NOT_A_FILER))
    choices = [(t.code, _("{name}（{kind}，{days}个工作日）").format(name=t.name, kind=t.authority_kind.name,
                                                                 days=t.time_limit))
               for t in ProcedureType.objects.filter(active=True).select_related("authority_kind")]
    initial = {"procedures": [t.code for t in services.proposed(project)]}
    form = FileForm(request.POST or None, request.FILES or None, choices=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.file_request(actor=Actor.from_request(request), project=project,
                                         procedures=form.cleaned_data["procedures"], note=form.cleaned_data["note"],
                                         uploads=form.cleaned_data["files"])
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已提交绿色通道申请，{count} 项手续已同时送达审批部门。").format(
                count=made.items.count()))
            return redirect("greenchannel:detail", pk=made.pk)
    return render(request, "greenchannel/file_form.html", {"form": form, "project": project})


@missing
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = _request(request, pk)
    items = selectors.items(request.user).filter(request=found)
    reviews = list(found.reviews.select_related("convener").prefetch_related("conclusions__item__procedure_type"))
    people_for(request).want(found.filed_by.get_username())
    may_convene = Project.objects.permits(request.user, "green_convene", found.project_id)
    return render(request, "greenchannel/detail.html", {
        "req": found, "rows": _rows(items), "reviews": reviews, "may_convene": may_convene,
        "documents": list(found.documents.all()),
    })


@missing
@require_GET
def item(request: HttpRequest, pk: int) -> HttpResponse:
    found = _item(request, pk)
    allowed = {t.action for t in ITEM_FLOW.allowed(request.user, found)}
    events = list(found.events.select_related("by").prefetch_related("files"))
    people_for(request).want(*(e.by.get_username() for e in events))
    return render(request, "greenchannel/item.html", {
        "item": found, "clock": clocks.clock_of(found), "events": events, "allowed": allowed,
        "actions": action_panel(ITEM_FLOW, request.user, found, "greenchannel:item_action"),
        "conclusions": list(found.conclusions.select_related("review")),
    })


@missing
@require_POST
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    found = _item(request, pk)
    if action not in ("accept", "supplement"):
        raise Http404
    raw = request.POST.get("version", "")
    try:
        services.act(actor=Actor.from_request(request), item=found, action=action,
                     comment=request.POST.get("comment", ""), version=int(raw) if raw.isdigit() else None)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        done = next(t.done for t in ITEM_FLOW.transitions if t.action == action)
        messages.success(request, _("“{name}”：{done}。").format(name=found.procedure_type.name, done=done))
    return redirect("greenchannel:item", pk=pk)


def _decision(request: HttpRequest, pk: int, action: str, form_class, template: str, write) -> HttpResponse:
    """The form of a decision or of a 补正 (its own fields), its POST through `write(actor, item, data)`."""
    found = _item(request, pk)
    if action not in {t.action for t in ITEM_FLOW.allowed(request.user, found)}:
        if not ITEM_FLOW.permitted(request.user, found, {t.scope for t in ITEM_FLOW.transitions
                                                         if t.action == action}):
            raise PermissionDenied(_("您无权办理该事项"))
        messages.error(request, _("事项当前为“{state}”，不能{action}").format(
            state=found.get_status_display(), action=ITEM_FLOW.label(action)))
        return redirect("greenchannel:item", pk=pk)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            write(Actor.from_request(request), found, form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("“{name}”：已{action}。").format(name=found.procedure_type.name,
                                                                     action=ITEM_FLOW.label(action)))
            return redirect("greenchannel:item", pk=pk)
    return render(request, template, {"item": found, "form": form, "clock": clocks.clock_of(found),
                                      "title": ITEM_FLOW.label(action)})


@missing
@require_http_methods(["GET", "POST"])
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    def write(actor, found, data):
        services.complete(actor=actor, item=found, doc_no=data["doc_no"], done_on=data["done_on"],
                          document=data.get("document"))

    return _decision(request, pk, "complete", CompleteForm, "greenchannel/decision_form.html", write)


@missing
@require_http_methods(["GET", "POST"])
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    def write(actor, found, data):
        services.refuse(actor=actor, item=found, reason=data["reason"], legal_basis=data["legal_basis"])

    return _decision(request, pk, "refuse", RefuseForm, "greenchannel/decision_form.html", write)


@missing
@require_http_methods(["GET", "POST"])
def supply(request: HttpRequest, pk: int) -> HttpResponse:
    def write(actor, found, data):
        services.supply(actor=actor, item=found, note=data["note"], uploads=data["files"])

    return _decision(request, pk, "supply", SupplyForm, "greenchannel/decision_form.html", write)


@missing
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    found = _request(request, pk)
    if not Project.objects.permits(request.user, "green_convene", found.project_id):
        raise PermissionDenied(str(services.NOT_A_CONVENER))
    items = list(selectors.items(request.user).filter(request=found))
    form = ReviewForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_review(actor=Actor.from_request(request), request=found,
                                   held_on=form.cleaned_data["held_on"], attendees=form.cleaned_data["attendees"],
                                   conclusions=form.conclusions())
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已登记联审会。"))
            return redirect("greenchannel:detail", pk=pk)
    return render(request, "greenchannel/review_form.html", {"req": found, "form": form})


@missing
@require_GET
def docx(request: HttpRequest, pk: int) -> HttpResponse:
    found = _request(request, pk)
    content = documents.request_docx(found, list(selectors.items(request.user).filter(request=found)))
    return govdoc.download(content, govdoc.DOCX_TYPE, documents.docx_filename(found))


@needs_action("view")
@require_GET
def ledger_xlsx(request: HttpRequest) -> HttpResponse:
    """The 联审联批台账 of every item the user sees (an authority: its own)."""
    rows = selectors.items(request.user).order_by("project_id", "pk")
    return govdoc.download(documents.ledger_xlsx(rows), documents.XLSX_TYPE, documents.xlsx_filename())


@needs_action("view")
@require_GET
def procedures(request: HttpRequest) -> HttpResponse:
    rows = ProcedureType.objects.select_related("authority_kind")
    return render(request, "greenchannel/procedures.html", {
        "rows": rows, "may_configure": carries(request.user, "green_configure")})


@needs_action("view")
@require_http_methods(["GET", "POST"])
def procedure_edit(request: HttpRequest, code: str) -> HttpResponse:
    if not carries(request.user, "green_configure"):
        raise PermissionDenied(str(services.NOT_THE_OFFICE))
    row = get_object_or_404(ProcedureType.objects.select_related("authority_kind"), code=code)
    form = ProcedureForm(request.POST or None, initial={"time_limit": row.time_limit, "active": row.active})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_procedure(actor=Actor.from_request(request), procedure=row,
                                      time_limit=form.cleaned_data["time_limit"], active=form.cleaned_data["active"])
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已保存“{name}”。").format(name=row.name))
            return redirect("greenchannel:procedures")
    return render(request, "greenchannel/procedure_form.html", {"row": row, "form": form})
