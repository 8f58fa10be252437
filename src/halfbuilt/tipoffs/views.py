"""Moderation (signed in): the queue of the user's region (or the office's: all), a tip-off with its reporter's
contact and photos, and the actions accept / link / reject. Thin: the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from halfbuilt.core.errors import ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project
from halfbuilt.workflow.views import action_panel, perform_posted

from . import selectors, services
from .forms import AcceptForm, LinkForm
from .models import TipOff, TipOffPhoto, TipOffStatus
from .scope import moderates
from .workflow import TIPOFF_FLOW


def _moderator(request: HttpRequest) -> None:
    if not moderates(request.user):
        raise PermissionDenied(_("只有领导小组办公室和所在地区政府处理线索"))


def _tipoff(request: HttpRequest, pk: int) -> TipOff:
    _moderator(request)
    tipoff = selectors.queue(request.user).filter(pk=pk).first()
    if tipoff is None:
        raise Http404(_("线索不存在，或您无权查看"))
    return tipoff


LISTED = 200  # the list shows this many, the newest first; its count is of all


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    _moderator(request)
    status = request.GET.get("status", TipOffStatus.RECEIVED)
    status = status if status in TipOffStatus.values else ""
    tipoffs = selectors.queue(request.user)
    if request.GET.get("overdue"):
        tipoffs = tipoffs.overdue()
    elif status:
        tipoffs = tipoffs.filter(status=status)
    return render(request, "tipoffs/queue.html", {
        "tipoffs": list(tipoffs[:LISTED]), "count": tipoffs.count(), "status": status, "statuses": TipOffStatus.choices,
        "overdue": bool(request.GET.get("overdue"))})


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _tipoff(request, pk), revealed=False)


@require_POST
def contacts(request: HttpRequest, pk: int) -> HttpResponse:
    """The tip-off's page with the reporter's name and phone in full, for its moderator; the view is logged."""
    tipoff = _tipoff(request, pk)
    try:
        services.reveal_contact(actor=Actor.from_request(request), tipoff_id=tipoff.pk)
    except ServiceError as error:
        raise Http404(error.message) from error
    return _detail(request, tipoff, revealed=True)


def _detail(request: HttpRequest, tipoff: TipOff, *, revealed: bool) -> HttpResponse:
    allowed = TIPOFF_FLOW.allowed(request.user, tipoff)
    open_ = any(t.action == "accept" for t in allowed)
    # The accepted or linked project, only when the moderator sees it (never a classified one's name).
    project = Project.objects.restrict(request.user).filter(pk=tipoff.project_id).first() if tipoff.project_id else None
    return render(request, "tipoffs/detail.html", {
        "tipoff": tipoff, "photos": list(tipoff.photos.all()), "project": project,
        "reporter": selectors.contact(tipoff, masked=not revealed), "revealed": revealed,
        "actions": action_panel(TIPOFF_FLOW, request.user, tipoff, "tipoffs:action", allowed=allowed),
        "open": open_, "duplicates": selectors.duplicates(request.user, tipoff) if open_ else [],
        "accept_form": AcceptForm(initial={"name": tipoff.what}), "link_form": LinkForm(),
    })


@require_GET
def photo(request: HttpRequest, photo_id) -> FileResponse:
    _moderator(request)
    found = TipOffPhoto.objects.filter(pk=photo_id, tipoff__in=selectors.queue(request.user).values("pk")).first()
    if found is None:
        raise Http404(_("照片不存在"))
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    tipoff = _tipoff(request, pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("tipoffs:detail", pk=pk)
    data = form.cleaned_data
    try:
        done = services.accept(actor=Actor.from_request(request), tipoff_id=tipoff.pk, name=data["name"],
                               category=data["category"], department=data["department"], answer=data["answer"],
                               version=_version(request))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已受理，新增待核实项目 {no}").format(no=done.project.ledger_no))
    return redirect("tipoffs:detail", pk=pk)


@require_POST
def link(request: HttpRequest, pk: int) -> HttpResponse:
    tipoff = _tipoff(request, pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择或填写要关联的项目编号"))
        return redirect("tipoffs:detail", pk=pk)
    try:
        done = services.link(actor=Actor.from_request(request), tipoff_id=tipoff.pk,
                             project_id=form.cleaned_data["project"], answer=form.cleaned_data["answer"],
                             version=_version(request))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已关联项目 {name}").format(name=done.project.name))
    return redirect("tipoffs:detail", pk=pk)


@require_POST
def action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    tipoff = _tipoff(request, pk)
    return perform_posted(request, TIPOFF_FLOW, tipoff, action, reverse("tipoffs:detail", args=[pk]), tipoff.what)
