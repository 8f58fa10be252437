"""Campaign pages: the campaign (phases, targets, scope) and the office's edits of it; the 实施方案 filings and
their review; documents. Thin: reads through the managers' `restrict`, writes through `services`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halfbuilt.accounts.guards import needs_action
from halfbuilt.accounts.people import people_for
from halfbuilt.accounts.scope import carries
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.forms import add_service_error
from halfbuilt.core.request_context import Actor
from halfbuilt.workflow.views import action_panel, perform_posted

from . import selectors, services
from .forms import CampaignForm, FilingForm, PhaseForm, TargetForm
from .models import CriteriaVersion, Document, FilingStatus, Phase, PlanFiling, Target
from .workflow import FILING

NO_CAMPAIGN = gettext_lazy("尚未配置起底行动（运行 halfbuilt init 加载默认行动）")


def _current_or_404():
    campaign = selectors.current()
    if campaign is None:
        raise Http404(NO_CAMPAIGN)
    return campaign


def _office_only(request: HttpRequest) -> None:
    if not carries(request.user, "campaign_configure"):
        raise PermissionDenied(services.NO_RIGHT)


@require_GET
@needs_action("view")
def overview(request: HttpRequest) -> HttpResponse:
    campaign = selectors.current()
    if campaign is None:  # a deployment whose province has no campaign file yet: say so, the menu still leads here
        return render(request, "campaign/overview.html", {"campaign": None, "missing": NO_CAMPAIGN})
    context = {"campaign": campaign, "phases": selectors.phases(campaign), "targets": selectors.targets(),
               "rule": selectors.scope_rule(), "may_configure": carries(request.user, "campaign_configure")}
    return render(request, "campaign/overview.html", context)


@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    campaign = _current_or_404()
    initial = {"name": campaign.name, "scope_since": campaign.scope_since[:4], "scope_levels": list(campaign.levels),
               "scope_text": campaign.scope_text, "version": campaign.version}
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=Actor.from_request(request), campaign=campaign, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已保存起底行动的设置。"))
            return redirect("campaign:overview")
    return render(request, "campaign/edit.html", {"form": form, "title": _("修改起底行动与起底范围")})


@require_http_methods(["GET", "POST"])
def phase_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _office_only(request)
    phase = get_object_or_404(Phase, pk=pk, campaign__current=True)
    initial = {f: getattr(phase, f) for f in PhaseForm.base_fields}
    form = PhaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_update(actor=Actor.from_request(request), phase=phase, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已保存“{name}”。").format(name=form.cleaned_data["name"]))
            return redirect("campaign:overview")
    return render(request, "campaign/edit.html", {"form": form, "title": _("修改阶段：{name}").format(name=phase.name)})


@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _office_only(request)
    target = get_object_or_404(Target, pk=pk, campaign__current=True)
    initial = {f: getattr(target, f) for f in TargetForm.base_fields}
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.target_update(actor=Actor.from_request(request), target=target, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已保存目标。"))
            return redirect("campaign:overview")
    return render(request, "campaign/edit.html", {"form": form, "title": _("修改目标")})


@require_GET
@needs_action("campaign_review", "campaign_file")
def filings(request: HttpRequest) -> HttpResponse:
    """The office: every expected filer and where its 实施方案 stands (who has not filed); a filer: its own."""
    rows = PlanFiling.objects.restrict(request.user).filter(campaign__current=True).select_related(
        "organization__region")
    status = request.GET.get("status", "")
    if status and status not in FilingStatus.values:
        messages.error(request, _("状态“{status}”无效，已显示全部").format(status=status[:20]))
        status = ""
    listed = [f for f in rows if not status or f.status == status]
    counts = {value: sum(1 for f in rows if f.status == value) for value in FilingStatus.values}
    statuses = [(value, label, counts[value]) for value, label in FilingStatus.choices]
    context = {"filings": listed, "status": status, "statuses": statuses,
               "office": carries(request.user, "campaign_review"), "total": len(rows)}
    return render(request, "campaign/filings.html", context)


def _visible_filing(request: HttpRequest, pk: int) -> PlanFiling:
    queryset = PlanFiling.objects.restrict(request.user).select_related("organization", "campaign")
    return get_object_or_404(queryset, pk=pk)


@require_GET
def filing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _visible_filing(request, pk)
    allowed = FILING.allowed(request.user, filing)
    may_file = any(t.action == "file" for t in allowed)
    form = FilingForm(initial={"title": filing.title, "targets": filing.targets, "deadline": filing.deadline,
                               "version": filing.version}) if may_file else None
    return _filing_page(request, filing, allowed, form)


def _filing_page(request, filing, allowed, form) -> HttpResponse:
    people_for(request).want(*(u.username for u in (filing.submitted_by, filing.reviewed_by) if u))
    context = {"filing": filing, "documents": list(filing.documents.order_by("-uploaded_at")),
               "actions": action_panel(FILING, request.user, filing, "campaign:filing_action", allowed),
               "form": form, "due": selectors.deadline("deploy")}
    return render(request, "campaign/filing_detail.html", context)


@require_POST
def filing_file(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _visible_filing(request, pk)
    form = FilingForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.file_plan(actor=Actor.from_request(request), filing=filing, title=data["title"],
                               targets=data["targets"], deadline=data["deadline"], upload=data["file"],
                               version=data["version"])
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("实施方案已报送领导小组办公室审核。"))
            return redirect("campaign:filing_detail", pk=pk)
    if not any(t.action == "file" for t in FILING.allowed(request.user, filing)):
        message = _("您无权报送该实施方案（当前状态为“{state}”）")
        messages.error(request, message.format(state=filing.get_status_display()))
        return redirect("campaign:filing_detail", pk=pk)
    return _filing_page(request, filing, FILING.allowed(request.user, filing), form)


@require_POST
def filing_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    filing = _visible_filing(request, pk)
    back = reverse("campaign:filing_detail", args=[pk])
    return perform_posted(request, FILING, filing, action, back, str(filing))


@require_GET
def document(request: HttpRequest, pk) -> FileResponse:
    """A filing's document for whoever sees the filing; a criteria document for whoever reads the criteria."""
    doc = get_object_or_404(Document, pk=pk)
    visible = (PlanFiling.objects.restrict(request.user).filter(pk=doc.filing_id).exists() if doc.filing_id
               else CriteriaVersion.objects.restrict(request.user).filter(pk=doc.criteria_id).exists())
    if not visible:
        raise Http404
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.original_name,
                        content_type=doc.content_type)
