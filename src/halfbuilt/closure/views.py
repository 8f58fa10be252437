"""Closure pages: the user's queue, the request form and page with review/close actions, and 回头看 samples.

Thin views: reads through `Project.objects.restrict` (via `services.visible_*`), writes through `services`.
What the user may not see is a 404; a role that never does this work gets a 403.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halfbuilt.accounts.people import people_for
from halfbuilt.audit import registry
from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.formatting import percent
from halfbuilt.core.forms import add_service_error
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project
from halfbuilt.workflow.views import action_panel, perform_posted

from . import queues, services
from .evidence import closure_times, photo_evidence
from .forms import CheckForm, ClosureRequestForm, CommentForm, DrawForm
from .models import CheckResult, ClosureRequest, FollowUpCheck
from .workflow import CLOSURE_REVIEW

QUEUE_LIMIT = 200
CLOSURE_ACTIONS = ("closure_request", "closure_review", "close", "followup")
QUEUE_RELATED = {"requestable": ("region__parent",), "open_checks": ("sample", "project__region__parent")}


def _require_any(user, *actions: str) -> None:
    if not any(services.may(user, a) for a in actions):
        raise PermissionDenied(_("您的角色不办理销号或回头看"))


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Each role's own work: units and regions request, departments review, the office closes and checks."""
    user = request.user
    _require_any(user, *CLOSURE_ACTIONS)
    context: dict = {"roles": {a: services.may(user, a) for a in CLOSURE_ACTIONS}}
    context["counts"] = {}
    # The same queues the home page counts (closure.queues), each listed to who holds its action.
    for key, _title, _hint, action, rows, _urgent in queues.QUEUES:
        if context["roles"][action]:
            rows = rows(user)
            context["counts"][key] = rows.count()
            related = QUEUE_RELATED.get(key, ("project__region__parent",))
            context[key] = list(rows.select_related(*related)[:QUEUE_LIMIT])
    people_for(request).want(*(r.requested_by for key in ("to_review", "to_close") for r in context.get(key, ())))
    if context["roles"]["closure_request"]:
        context["in_progress"] = list(queues.in_progress(user).select_related("project")[:QUEUE_LIMIT])
    return render(request, "closure/queue.html", context)


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.restrict(request.user).select_related("region__parent"), pk=project_id)
    if not Project.objects.permits(request.user, "closure_request", project):
        raise PermissionDenied(_("您无权为该项目申请销号"))
    if not services.can_request(request.user, project):
        messages.error(
            request,
            _("项目处于“{stage}”阶段或已有办理中的销号申请，不能申请销号。").format(stage=project.get_stage_display()),
        )
        return redirect("ledger:project_detail", pk=project.pk)
    form = ClosureRequestForm(request.POST or None, request.FILES or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.closure_request(
                actor=Actor.from_request(request), project=project, outcome=data["outcome"],
                outcome_date=data["outcome_date"], description=data["description"],
                evidence_ids=[a.pk for a in data.get("existing") or []], uploads=data["files"],
            )
        except ServiceError as error:
            add_service_error(form, error, {"evidence": "files", "upload": "files", "file": "files"})
        else:
            messages.success(request, _("已提交“{name}”的销号申请，等待行业主管部门审核。").format(name=project.name))
            return redirect("closure:request_detail", pk=created.pk)
    return render(request, "closure/request_form.html", {"form": form, "project": project})


def _history(obj_type: str, pk) -> list[dict]:
    entries = ChangeLog.objects.filter(object_type=obj_type, object_id=pk).order_by("at", "id")  # of a visible object
    return [{"entry": e, "action": registry.action_label(e.action)} for e in entries]


@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    closure = get_object_or_404(
        ClosureRequest.objects.restrict(request.user).select_related("project__region__parent"), pk=pk
    )
    history = _history("closurerequest", closure.pk)
    people_for(request).want(closure.requested_by, closure.reviewed_by, closure.closed_by,
                             *(h["entry"].username for h in history))
    context = {
        "closure": closure,
        "project": closure.project,
        "evidence": closure.evidence.all(),
        "actions": action_panel(CLOSURE_REVIEW, request.user, closure, "closure:request_action"),
        "history": history,
        "comment_form": CommentForm(),
    }
    return render(request, "closure/request_detail.html", context)


@require_POST
def request_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    closure = get_object_or_404(ClosureRequest.objects.restrict(request.user).select_related("project"), pk=pk)
    back = reverse("closure:request_detail", args=[pk])
    return perform_posted(
        request, CLOSURE_REVIEW, closure, action, back, _("{name}的销号申请").format(name=closure.project.name),
    )


# --- 回头看 -----------------------------------------------------------------------------------------

@require_GET
def sample_list(request: HttpRequest) -> HttpResponse:
    _require_any(request.user, "followup")
    samples = services.visible_samples(request.user).select_related("drawn_by").annotate(
        total=Count("checks"),
        pending=Count("checks", filter=Q(checks__result=CheckResult.PENDING)),
        failed=Count("checks", filter=Q(checks__result=CheckResult.FAILED)),
    )
    eligible = services.sample_population(request.user).count()
    samples = list(samples)
    people_for(request).want(*(s.drawn_by.get_username() for s in samples))
    return render(request, "closure/sample_list.html", {"samples": samples, "eligible": eligible})


@require_http_methods(["GET", "POST"])
def sample_draw(request: HttpRequest) -> HttpResponse:
    _require_any(request.user, "followup")
    form = DrawForm(request.POST or None, initial={"share": percent(settings.FOLLOWUP_SHARE)})
    if request.method == "POST" and form.is_valid():
        try:
            sample = services.draw_sample(
                actor=Actor.from_request(request), share=form.cleaned_data["share"], note=form.cleaned_data["note"]
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            drawn = sample.checks.count()
            messages.success(
                request,
                _("已从 {population} 个已销号项目中抽取 {drawn} 个进行回头看。").format(
                    population=sample.population, drawn=drawn,
                ),
            )
            return redirect("closure:sample_detail", pk=sample.pk)
    eligible = services.sample_population(request.user).count()
    return render(request, "closure/sample_draw.html", {"form": form, "eligible": eligible})


@require_GET
def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sample = get_object_or_404(services.visible_samples(request.user).select_related("drawn_by"), pk=pk)
    checks = list(FollowUpCheck.objects.restrict(request.user).filter(sample=sample).select_related(
        "project__region__parent"
    ).prefetch_related("photos"))
    closed = closure_times(c.project_id for c in checks)
    for c in checks:
        c.evidence = photo_evidence(c, closed.get(c.project_id))
    may_record = services.may(request.user, "followup")
    people_for(request).want(sample.drawn_by.get_username(), *(c.checked_by for c in checks))
    return render(request, "closure/sample_detail.html", {
        "sample": sample, "checks": checks, "may_record": may_record, "check_form": CheckForm(),
        "reproduced": services.reproduce(sample) == sorted(c.project_id for c in sample.checks.all()),
    })


@require_POST
def check_record(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_object_or_404(
        FollowUpCheck.objects.restrict(request.user).filter(sample__in=services.visible_samples(request.user)), pk=pk
    )
    url = reverse("closure:sample_detail", args=[check.sample_id]) + f"#check-{check.pk}"
    form = CheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择核查结果；发现问题不能超过 2000 字。"))
        return redirect(url)
    passed = form.cleaned_data["result"] == "passed"
    try:
        services.record_check(
            actor=Actor.from_request(request), check=check, passed=passed, finding=form.cleaned_data["finding"],
            photos=request.FILES.getlist("photos"),
        )
    except ServiceError as error:
        messages.error(request, f"“{check.project.name}”：{error.message}")
    else:
        outcome = _("通过") if passed else _("未通过，项目已重新打开（处置中）")
        messages.success(
            request, _("已登记“{name}”的回头看结果：{outcome}。").format(name=check.project.name, outcome=outcome),
        )
    return redirect(url)

