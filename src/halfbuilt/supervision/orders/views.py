"""督办 pages: the issuer's list, the addressee's inbox, the issue forms, the order's page with its timeline and
actions, the reply form and the 督办单. Thin: reads through `restrict` (selectors), writes through `services`.
What the user may not see is a 404 ("督办不存在，或您无权查看"); a role that never issues gets a 403."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halfbuilt.accounts.people import people_for
from halfbuilt.accounts.scope import holds_action
from halfbuilt.core import govdoc
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.forms import add_service_error
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project
from halfbuilt.workflow.views import action_panel, perform_posted

from . import documents, selectors, services, targets
from .forms import FilterForm, IssueForm, ReplyForm
from .models import SupervisionOrder
from .workflow import ORDER_FLOW

LIST_LIMIT = 300


class Missing(Http404):
    """An order the user may not see, answered as one that does not exist."""


def _order(request: HttpRequest, pk: int) -> SupervisionOrder:
    order = selectors.visible(request.user).filter(pk=pk).first()
    if order is None:
        raise Missing(str(services.NOT_FOUND))
    return order


def missing_order(view):
    """The 404 page of an order the user may not see (or that never was), saying so in the same words."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Missing as missing:
            return render(request, "orders/missing.html", {"message": str(missing)}, status=404)

    return wrapped


def _listing(request: HttpRequest, orders, template: str, extra: dict) -> HttpResponse:
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    orders = selectors.filtered(orders, status=data.get("status", ""), overdue=data.get("overdue", ""),
                                listed=data.get("listed", ""))
    return render(request, template, {"form": form, "orders": list(orders[:LIST_LIMIT]), "limit": LIST_LIMIT,
                                      "count": orders.count(), **extra})


@require_GET
def issued(request: HttpRequest) -> HttpResponse:
    """The office's or department's orders (filter by state, overdue, 挂牌), and the overdue ranking."""
    if not targets.may_issue(request.user):
        raise PermissionDenied(str(services.NOT_AN_ISSUER))
    ranking = selectors.overdue_ranking(request.user)[:10]
    return _listing(request, selectors.issued_by(request.user), "orders/issued.html", {"ranking": ranking})


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Every order the user may see (those on the projects of their scope, issued by or addressed to them): the
    list the dashboard's 督办 figures link to, for whoever has the dashboard."""
    if not holds_action(request.user, "dashboard"):
        raise PermissionDenied(_("督办总览供领导小组办公室、行业主管部门和盟市、旗县政府使用"))
    return _listing(request, selectors.visible(request.user), "orders/overview.html", {})


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The orders addressed to the user's organisations: to answer first."""
    if not holds_action(request.user, "view"):
        raise PermissionDenied(_("您的角色不办理督办"))
    return _listing(request, selectors.addressed_to(request.user), "orders/inbox.html", {})


def _issue(request: HttpRequest, form: IssueForm, project: Project | None) -> HttpResponse | None:
    if request.method != "POST" or not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        order = services.issue_order(
            actor=Actor.from_request(request), project=project, subject=data.get("subject"),
            addressee=data.get("addressee") or None, reason=data["reason"], requirements=data["requirements"],
            deadline_workdays=data.get("deadline_workdays"), deadline=data.get("deadline"), listed=data["listed"])
    except ServiceError as error:
        add_service_error(form, error)
        return None
    messages.success(request, _("已下达督办 {doc_no}，主送{addressee}。").format(
        doc_no=order.doc_no, addressee=order.addressee.name))
    return redirect("orders:detail", pk=order.pk)


@require_http_methods(["GET", "POST"])
def issue_on_project(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.restrict(request.user).select_related("region__parent"),
                                pk=project_id)
    if not Project.objects.permits(request.user, "supervise", project):
        raise PermissionDenied(str(services.NOT_ON_THIS_PROJECT))
    form = IssueForm(request.POST or None, addressees=targets.addressees_for_project(project))
    done = _issue(request, form, project)
    return done or render(request, "orders/issue_form.html", {"form": form, "project": project})


@require_http_methods(["GET", "POST"])
def issue_on_org(request: HttpRequest) -> HttpResponse:
    if not targets.may_issue(request.user):
        raise PermissionDenied(str(services.NOT_AN_ISSUER))
    form = IssueForm(request.POST or None, subjects=targets.subject_choices(request.user))
    done = _issue(request, form, None)
    return done or render(request, "orders/issue_form.html", {"form": form, "project": None})


@missing_order
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    allowed = ORDER_FLOW.allowed(request.user, order)
    events = list(order.events.select_related("by").prefetch_related("evidence"))
    people_for(request).want(order.issued_by.get_username(), *(e.by.get_username() for e in events))
    return render(request, "orders/detail.html", {
        "order": order, "events": events, "deadline": services.deadline_text(order),
        "actions": action_panel(ORDER_FLOW, request.user, order, "orders:action", allowed=allowed),
        "may_reply": any(t.action == "reply" for t in allowed),
        "reply_form": ReplyForm(), "title": documents.title_of(order),
    })


@missing_order
@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    if not any(t.action == "reply" for t in ORDER_FLOW.allowed(request.user, order)):
        if not ORDER_FLOW.permitted(request.user, order, {"reply"}):
            raise PermissionDenied(_("只有主送单位可以回复督办"))
        messages.error(request, _("督办当前状态为“{state}”，不能回复").format(state=order.get_status_display()))
        return redirect("orders:detail", pk=pk)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_order(actor=Actor.from_request(request), order=order,
                                 measures=form.cleaned_data["measures"], uploads=form.cleaned_data["files"])
        except ServiceError as error:
            add_service_error(form, error, {"file": "files", "kind": "files", "evidence": "files"})
        else:
            messages.success(request, _("已回复督办 {doc_no}，等待督办单位审核。").format(doc_no=order.doc_no))
            return redirect("orders:detail", pk=pk)
    return render(request, "orders/reply_form.html", {"order": order, "form": form,
                                                       "deadline": services.deadline_text(order)})


@missing_order
@require_POST
def action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    order = _order(request, pk)
    back = reverse("orders:detail", args=[pk])
    return perform_posted(request, ORDER_FLOW, order, action, back, order.doc_no)


@missing_order
@require_GET
def docx(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    return govdoc.download(documents.build_order_docx(order), documents.MIME, documents.filename(order))
