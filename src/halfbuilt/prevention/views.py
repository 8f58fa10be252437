"""Prevention pages: proposed projects and their risk, the office's rules, the stall watch, the reconcile and the
duplicates. Thin: reads through `restrict` (selectors), writes through the services. What the user may not see is
a 404; a role the page is not for gets a 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halfbuilt.accounts.guards import needs_action
from halfbuilt.accounts.people import people_for
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.forms import add_service_error
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.intake.reader import ReadError
from halfbuilt.workflow.views import action_panel, perform_posted

from . import feed as feed_reader
from . import merge as merges_service
from . import reconcile as reconciling
from . import risk, selectors, services, watch
from .forms import AddFlagForm, FeedForm, MergeForm, ProposalForm, ReasonForm, RuleForm, UploadForm, WatchSettingsForm
from .headers import STALLED_WORDS
from .models import FlagStatus, MergeStatus, ProposalStatus, RiskRule, WatchSettings
from .scope import is_office
from .workflow import MERGE_FLOW, PROPOSAL_FLOW

NOT_FOUND = gettext_lazy("拟建项目不存在，或您无权查看")
PROPOSAL_ROLES = ("prevention_propose", "prevention_decide")


def _office(request: HttpRequest) -> None:
    if not is_office(request.user):
        raise PermissionDenied(_("只有领导小组办公室可以使用该功能"))


# --- proposed projects (事前防范) ------------------------------------------------------------------------------

@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    if not selectors.may_list_proposals(request.user):
        raise PermissionDenied(_("您的角色不登记拟建项目"))
    status = request.GET.get("status", "")
    found = selectors.proposals(request.user)
    if status in ProposalStatus.values:
        found = found.filter(status=status)
    return render(request, "prevention/proposal_list.html", {
        "proposals": list(found[:selectors.LIST_LIMIT]), "limit": selectors.LIST_LIMIT, "status": status,
        "statuses": ProposalStatus.choices, "may_propose": selectors.may_propose(request.user)})


def _proposal_form(request: HttpRequest, initial: dict | None = None) -> ProposalForm:
    return ProposalForm(request.POST or None, initial=initial, regions=selectors.propose_regions(request.user))


@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest) -> HttpResponse:
    if not selectors.may_propose(request.user):
        raise PermissionDenied(_("您的角色不登记拟建项目"))
    form = _proposal_form(request)
    if request.method == "POST" and form.is_valid():
        data, funds = form.service_data()
        try:
            proposal = services.register_proposal(actor=Actor.from_request(request), data=data, funds=funds)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已登记拟建项目，风险评分 {score}（{level}）。").format(
                score=proposal.risk_score, level=proposal.risk_level))
            return redirect("prevention:proposal_detail", pk=proposal.pk)
    return render(request, "prevention/proposal_form.html", {"form": form, "proposal": None})


def _proposal(request: HttpRequest, pk: int):
    proposal = selectors.proposals(request.user).filter(pk=pk).first()
    if proposal is None:
        raise Http404(str(NOT_FOUND))
    return proposal


@require_GET
@needs_action(*PROPOSAL_ROLES)
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    allowed = PROPOSAL_FLOW.allowed(request.user, proposal)
    people_for(request).want(proposal.created_by.get_username(), proposal.decided_by)
    return render(request, "prevention/proposal_detail.html", {
        "proposal": proposal, "funds": list(proposal.funds.all()),
        "actions": action_panel(PROPOSAL_FLOW, request.user, proposal, "prevention:proposal_action", allowed=allowed),
        "may_revise": any(t.action == "resubmit" for t in allowed),
        "flags": list(selectors.proposal_flags(request.user, proposal))})


@require_http_methods(["GET", "POST"])
@needs_action(*PROPOSAL_ROLES)
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    if not any(t.action == "resubmit" for t in PROPOSAL_FLOW.allowed(request.user, proposal)):
        if not PROPOSAL_FLOW.permitted(request.user, proposal, {"propose"}):
            raise PermissionDenied(_("只有登记单位可以修改拟建项目"))
        messages.error(request, _("拟建项目当前状态为“{state}”，不能修改").format(state=proposal.get_status_display()))
        return redirect("prevention:proposal_detail", pk=pk)
    form = _proposal_form(request, ProposalForm.initial_of(proposal))
    if request.method == "POST" and form.is_valid():
        data, funds = form.service_data()
        version = request.POST.get("version", "")
        try:
            services.resubmit_proposal(actor=Actor.from_request(request), proposal=proposal, data=data, funds=funds,
                                       version=int(version) if version.isdigit() else proposal.version)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已修改并重新报送。"))
            return redirect("prevention:proposal_detail", pk=pk)
    return render(request, "prevention/proposal_form.html", {"form": form, "proposal": proposal})


@require_POST
@needs_action(*PROPOSAL_ROLES)
def proposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    proposal = _proposal(request, pk)
    back = reverse("prevention:proposal_detail", args=[pk])
    return perform_posted(request, PROPOSAL_FLOW, proposal, action, back, proposal.name)


# --- the office's rules ---------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest) -> HttpResponse:
    """The risk rules (each edited on its own page) and the stall watch's thresholds (this form)."""
    _office(request)
    current = WatchSettings.current()
    form = WatchSettingsForm(request.POST or None, instance=current, initial={"version": current.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_watch_settings(actor=Actor.from_request(request), data=form.cleaned_data,
                                           version=form.cleaned_data["version"])
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已保存停建预警阈值。"))
            return redirect("prevention:rules")
    return render(request, "prevention/rules.html", {"rules": risk.rules(), "form": form, "levels": risk.LEVELS})


@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, key: str) -> HttpResponse:
    _office(request)
    risk.rules()
    rule = get_object_or_404(RiskRule, key=key)
    form = RuleForm(request.POST or None, instance=rule, initial={"version": rule.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_rule(actor=Actor.from_request(request), rule=rule, data=form.cleaned_data,
                                 version=form.cleaned_data["version"])
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已保存规则“{label}”。").format(label=form.cleaned_data["label"]))
            return redirect("prevention:rules")
    kind = risk.KINDS[rule.key]
    return render(request, "prevention/rule_form.html", {
        "form": form, "rule": rule, "placeholders": kind.placeholders, "threshold_help": kind.threshold_help,
        "has_threshold": kind.threshold is not None})


# --- the stall watch (事中预警) -----------------------------------------------------------------------------------

@require_GET
def watch_list(request: HttpRequest) -> HttpResponse:
    _office(request)
    status = request.GET.get("status", FlagStatus.OPEN)
    status = status if status in FlagStatus.values or status == "" else FlagStatus.OPEN
    return render(request, "prevention/watch.html", {
        "flags": list(selectors.flags(request.user, status)[:selectors.LIST_LIMIT]), "status": status,
        "statuses": FlagStatus.choices, "feeds": list(selectors.feeds(request.user)[:10]),
        "limit": selectors.LIST_LIMIT, "add_form": AddFlagForm(), "reason_form": ReasonForm()})


@require_http_methods(["GET", "POST"])
def feed_import(request: HttpRequest) -> HttpResponse:
    _office(request)
    form = FeedForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            feed, errors = form.read_with(lambda path, ext, name: watch.import_feed(
                actor=Actor.from_request(request, via="import"), path=path, name=name,
                as_of=form.cleaned_data.get("as_of")))
        except ReadError as exc:
            form.add_error("file", str(exc))
        except ServiceError as error:
            add_service_error(form, error)
        else:
            if feed is not None:
                messages.success(request, _("已导入 {rows} 行，{flagged} 个项目预警。").format(
                    rows=feed.rows, flagged=feed.flagged))
                return redirect("prevention:watch")
    return render(request, "prevention/feed_form.html", {"form": form, "errors": errors,
                                                         "columns": feed_reader.COLUMNS.values()})


def _flag(request: HttpRequest, pk: int):
    flag = selectors.flags(request.user, "").filter(pk=pk).first()
    if flag is None:
        raise Http404(_("该预警不存在，或您无权查看"))
    return flag


@require_POST
def flag_add(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    flag = _flag(request, pk)
    form = AddFlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("prevention:watch")
    try:
        project = watch.add_to_ledger(actor=Actor.from_request(request), flag=flag,
                                      category=form.cleaned_data["category"], version=form.cleaned_data["version"])
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("prevention:watch")
    messages.success(request, _("“{name}”已列入台账（待核实），台账编号 {no}。").format(
        name=flag.name, no=project.ledger_no))
    return redirect("ledger:project_detail", pk=project.pk)


@require_POST
def flag_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    flag = _flag(request, pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError(_("排除预警须填写理由"))
        watch.dismiss(actor=Actor.from_request(request), flag=flag, reason=form.cleaned_data["reason"],
                      version=form.cleaned_data["version"])
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已排除“{name}”的预警。").format(name=flag.name))
    return redirect("prevention:watch")


# --- reconcile (清仓见底) ----------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def reconcile(request: HttpRequest) -> HttpResponse:
    """An uploaded list against the ledger the user sees: what is missing from it, the stalled ones first."""
    if not selectors.may_list_proposals(request.user):
        raise PermissionDenied(_("您的角色不能比对清单"))
    form = UploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            read = form.read_with(feed_reader.read)
        except ReadError as exc:
            form.add_error("file", str(exc))
        else:
            result = {"errors": read.errors} if read.errors else _reconciled(request.user, read.rows)
    return render(request, "prevention/reconcile.html", {"form": form, "result": result})


def _reconciled(user, rows) -> dict:
    matches = reconciling.reconcile(user, [reconciling.ListRow(n, r.project_code, r.name, r.region_code)
                                           for n, r in enumerate(rows)])
    missing, found = [], []
    for n, row in enumerate(rows):
        stalled = any(word in row.state for word in STALLED_WORDS)
        (found if n in matches else missing).append({"row": row, "match": matches.get(n), "stalled": stalled})
    missing.sort(key=lambda item: not item["stalled"])
    return {"missing": missing, "found": found, "total": len(rows),
            "by_code": sum(1 for m in matches.values() if m.how == "code"),
            "by_name": sum(1 for m in matches.values() if m.how == "name")}


# --- duplicates ------------------------------------------------------------------------------------------------

@require_GET
def merge_list(request: HttpRequest) -> HttpResponse:
    _office(request)
    status = request.GET.get("status", MergeStatus.PROPOSED)
    status = status if status in MergeStatus.values or status == "" else MergeStatus.PROPOSED
    return render(request, "prevention/merges.html", {
        "merges": list(selectors.merges(request.user, status)[:selectors.LIST_LIMIT]), "status": status,
        "statuses": MergeStatus.choices, "limit": selectors.LIST_LIMIT})


@require_POST
def merge_scan(request: HttpRequest) -> HttpResponse:
    _office(request)
    made = merges_service.propose_duplicates(actor=Actor.from_request(request))
    messages.success(request, _("新发现 {count} 对疑似重复项目。").format(count=made))
    return redirect("prevention:merges")


def _merge(request: HttpRequest, pk: int):
    found = selectors.merges(request.user, "").filter(pk=pk).first()
    if found is None:
        raise Http404(_("疑似重复项目不存在，或您无权查看"))
    return found


@require_GET
def merge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    pair = _merge(request, pk)
    allowed = MERGE_FLOW.allowed(request.user, pair)
    return render(request, "prevention/merge_detail.html", {
        "pair": pair, "form": MergeForm(initial={"version": pair.version}),
        "may_merge": any(t.action == "merge" for t in allowed),
        "actions": action_panel(MERGE_FLOW, request.user, pair, "prevention:merge_action", allowed=allowed)})


@require_POST
def merge_do(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    pair = _merge(request, pk)
    form = MergeForm(request.POST)
    back = redirect("prevention:merge_detail", pk=pk)
    if not form.is_valid():
        messages.error(request, _("请选择保留哪个项目"))
        return back
    try:
        kept = merges_service.merge(actor=Actor.from_request(request), proposal=pair,
                                    swap=form.cleaned_data["keep"] == "merged", comment=form.cleaned_data["comment"],
                                    version=form.cleaned_data["version"])
    except ServiceError as error:
        messages.error(request, error.message)
        return back
    messages.success(request, _("已合并，保留“{name}”。").format(name=kept.name))
    return redirect("ledger:project_detail", pk=kept.pk)


@require_POST
def merge_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _office(request)
    pair = _merge(request, pk)
    back = reverse("prevention:merge_detail", args=[pk])
    return perform_posted(request, MERGE_FLOW, pair, action, back, str(pair))
