"""Plan pages: the user's queue, the plan form, the plan page with its review actions, revisions, the .docx.

Thin views: plans are visible iff their project is (`Project.objects.restrict(user)`); pages that write need
the action's scope, else 404 like the ledger's edit page; every write goes through `services`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from halfbuilt.accounts.guards import needs_action
from halfbuilt.accounts.people import people_for
from halfbuilt.core import crypto, pii
from halfbuilt.core.errors import ConflictError, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger import contacts
from halfbuilt.ledger.models import Project, Status
from halfbuilt.workflow.views import action_panel, perform_posted

from . import documents, methods, queues, services
from .forms import DateForm, MilestoneForm, PlanForm, ProcedureForm, first_error
from .models import Milestone, Plan, PlanStatus, Procedure
from .workflow import PLAN_REVIEW

QUEUE_LIMIT = 200
PAGE_SIZE = 50
PLAN_RELATED = ("project__region__parent",)


def _plans(request: HttpRequest, action: str = "view"):
    return Plan.objects.restrict(request.user, action).select_related(
        *PLAN_RELATED
    )


def _visible_plan(request: HttpRequest, pk: int) -> Plan:
    return get_object_or_404(_plans(request), pk=pk)


@needs_action("view")
def queue(request: HttpRequest) -> HttpResponse:
    """What waits for me: plans to draft or fix (unit, region), to review (department), to confirm (office)."""
    sections = []
    for key, title, hint, _action, rows in queues.QUEUES:  # the same queues the home page counts
        rows = rows(request.user)
        related, order = ("region__parent", "ledger_no") if key == "to_draft" else (PLAN_RELATED[0], "updated_at")
        sections.append({"key": key, "title": title, "hint": hint, "count": rows.count(),
                         "rows": list(rows.select_related(related).order_by(order)[:QUEUE_LIMIT])})
    status = request.GET.get("status", "")
    everything = _plans(request).order_by("-updated_at")
    if status in PlanStatus.values:
        everything = everything.filter(status=status)
    page = Paginator(everything, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = dict(_plans(request).values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    context = {
        "sections": [s for s in sections if s["count"]],
        "page": page,
        "status": status,
        "statuses": [(value, label, counts.get(value, 0)) for value, label in PlanStatus.choices],
    }
    return render(request, "disposal/queue.html", context)


@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.restrict(request.user, "plan_draft"), pk=project_pk)
    existing = Plan.objects.filter(project=project).first()
    if existing is not None:
        messages.info(request, _("该项目已有处置方案，一个项目只能有一个现行方案。"))
        return redirect("disposal:plan_detail", pk=existing.pk)
    initial = {"lead_unit": project.responsible_unit, "responsible_person": project.responsible_person,
               "responsible_phone": project.phone, "problems": project.causes, "introduction": project.content}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=Actor.from_request(request), project=project, data=form.service_data())
        except ServiceError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("已保存处置方案草稿。核对节点安排后，请提交主管部门审核。"))
            return redirect("disposal:plan_detail", pk=plan.pk)
    return render(request, "disposal/plan_form.html", {"form": form, "project": project, "plan": None})


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(_plans(request, "plan_draft"), pk=pk)
    if not _may(request.user, plan, "update"):
        messages.error(request, _("方案当前为“{status}”，不能修改。").format(status=plan.get_status_display()))
        return redirect("disposal:plan_detail", pk=pk)
    mode = "confirmed" if plan.status == PlanStatus.CONFIRMED else "draft"
    return _plan_form(request, plan, mode)


@require_http_methods(["GET", "POST"])
def plan_revise(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(_plans(request, "plan_draft"), pk=pk)
    if not _may(request.user, plan, "revise"):
        messages.error(request, _("只有已确认的方案才能修订；未确认的方案请直接修改。"))
        return redirect("disposal:plan_detail", pk=pk)
    return _plan_form(request, plan, "revise")


def _plan_form(request: HttpRequest, plan: Plan, mode: str) -> HttpResponse:
    form = PlanForm(request.POST or None, mode=mode, plan=plan)
    conflict = None
    if request.method == "POST" and form.is_valid():
        actor, version = Actor.from_request(request), form.cleaned_data.get("version")
        try:
            if mode == "revise":
                plan, revision = services.plan_revise(
                    actor=actor, plan=plan, data=form.service_data(), reason=form.cleaned_data["reason"],
                    version=version,
                )
                note = _("已送主管部门重新审核") if plan.status == PlanStatus.SUBMITTED else _("方案仍为已确认")
                messages.success(
                    request, _("已保存第{number}次修订，{note}。").format(number=revision.number, note=note),
                )
            else:
                plan = services.plan_update(actor=actor, plan=plan, data=form.service_data(), version=version)
                messages.success(request, _("已保存处置方案。"))
        except ConflictError as error:
            conflict = error.message
            data = form.data.copy()
            data["version"] = str(Plan.objects.get(pk=plan.pk).version)
            form.data = data
        except ServiceError as error:
            form.apply_error(error)
        else:
            return redirect("disposal:plan_detail", pk=plan.pk)
    context = {"form": form, "project": plan.project, "plan": plan, "mode": mode, "conflict": conflict}
    return render(request, "disposal/plan_form.html", context)


def _may(user, plan: Plan, action: str) -> bool:
    return any(t.action == action for t in PLAN_REVIEW.allowed(user, plan))


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    user = request.user
    allowed_transitions = PLAN_REVIEW.allowed(user, plan)  # one query for every button on the page
    allowed = {t.action for t in allowed_transitions}
    revisions = list(plan.revisions.order_by("-number"))
    people_for(request).want(*(r.changed_by for r in revisions))
    context = {
        "plan": plan,
        "project": plan.project,
        "contact": contacts.plan_values({"responsible_person": plan.responsible_person,
                                         "responsible_phone": plan.responsible_phone},
                                        masked=not contacts.plan_in_full(user, plan.project)),
        "facts": methods.fact_rows(plan),
        "milestones": list(plan.milestones.prefetch_related("evidence")),
        "procedures": list(plan.procedures.all()),
        "procedures_complete": services.procedures_complete(plan),
        "revisions": revisions,
        "actions": action_panel(PLAN_REVIEW, user, plan, "disposal:plan_action", allowed=allowed_transitions),
        "can_edit": "update" in allowed,
        "can_revise": "revise" in allowed,
        "can_work": "parts" in allowed,
        "can_record": "record" in allowed,
        "confirmed": plan.status == PlanStatus.CONFIRMED,
        "ever_confirmed": was_confirmed(plan),
        "procedure_form": ProcedureForm(),
        "may_resume": plan.method == "resume" and plan.status == PlanStatus.CONFIRMED
        and not plan.facts.get("resumed_date") and "record" in allowed,
    }
    return render(request, "disposal/plan_detail.html", context)


def was_confirmed(plan: Plan) -> bool:
    """Confirmed now, or once before a revision sent it back for review (revisions exist only after one)."""
    return plan.status == PlanStatus.CONFIRMED or plan.revision > 0


def revision_rows(plan: Plan) -> list[dict]:
    rows = []
    for revision in plan.revisions.order_by("-number"):
        changes = []
        for field, (old, new) in revision.changes.items():
            changes.append({"label": services.LOG_KEYS.get(field, field), "old": _show(field, old),
                            "new": _show(field, new)})
        before_method = dict(methods.Method.choices).get(revision.snapshot.get("method"), "—")
        rows.append({"revision": revision, "changes": changes, "before_method": before_method,
                     "before_person": pii.mask_name(crypto.decrypt(revision.snapshot.get("responsible_person", "")))})
    return rows


def _show(field: str, value) -> str:
    if field in contacts.PLAN_PERSONAL:  # the history keeps no contact in full on the page
        return pii.masked(contacts.PLAN_PERSONAL[field], crypto.decrypt(value)) if value else _("（空）")
    if field == "method":
        return dict(methods.Method.choices).get(value, value or "—")
    if field == "facts":
        return _("已更新") if value else "—"
    return str(value) if value not in (None, "") else _("（空）")


def plan_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    rows = revision_rows(plan)
    people_for(request).want(*(row["revision"].changed_by for row in rows))
    context = {"plan": plan, "rows": rows, "ever_confirmed": was_confirmed(plan)}
    return render(request, "disposal/plan_revisions.html", context)


def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    response = HttpResponse(documents.build_plan_docx(plan), content_type=documents.MIME)
    response["Content-Disposition"] = content_disposition_header(True, f"{documents.title_of(plan)}.docx")
    return response


def _back(pk: int, anchor: str = "") -> HttpResponse:
    return redirect(reverse("disposal:plan_detail", args=[pk]) + (f"#{anchor}" if anchor else ""))


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@require_POST
def plan_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    plan = _visible_plan(request, pk)
    back = reverse("disposal:plan_detail", args=[pk]) + "#actions"
    return perform_posted(request, PLAN_REVIEW, plan, action, back, plan.project.name)


def _run(request: HttpRequest, pk: int, anchor: str, success: str, call) -> HttpResponse:
    try:
        call()
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return _back(pk, anchor)


@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _back(pk, "milestones")
    return _run(request, pk, "milestones", _("已新增节点。"), lambda: services.milestone_add(
        actor=Actor.from_request(request), plan=plan, **form.cleaned_data))


def _visible_milestone(request: HttpRequest, pk: int) -> Milestone:
    return get_object_or_404(Milestone.objects.restrict(request.user), pk=pk)


@require_POST
def milestone_update(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _visible_milestone(request, pk)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _back(milestone.plan_id, "milestones")
    return _run(request, milestone.plan_id, "milestones", _("已调整节点。"), lambda: services.milestone_update(
        actor=Actor.from_request(request), milestone=milestone, **form.cleaned_data))


@require_POST
def milestone_meet(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _visible_milestone(request, pk)
    form = DateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("实际完成日期：") + first_error(form).split("：")[-1])
        return _back(milestone.plan_id, "milestones")
    return _run(request, milestone.plan_id, "milestones", _("已登记节点“{title}”完成。").format(title=milestone.title),
                lambda: services.milestone_meet(
                    actor=Actor.from_request(request), milestone=milestone, met_date=form.cleaned_data["date"],
                    evidence_ids=request.POST.getlist("evidence_id"), uploads=request.FILES.getlist("evidence"),
                ))


@require_POST
def procedure_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    form = ProcedureForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _back(pk, "procedures")
    return _run(request, pk, "procedures", _("已登记待补手续。"), lambda: services.procedure_add(
        actor=Actor.from_request(request), plan=plan, **form.cleaned_data))


@require_POST
def procedure_done(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = get_object_or_404(Procedure.objects.restrict(request.user), pk=pk)
    form = DateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("办结日期：") + first_error(form).split("：")[-1])
        return _back(procedure.plan_id, "procedures")
    return _run(request, procedure.plan_id, "procedures", _("已登记手续办结。"), lambda: services.procedure_done(
        actor=Actor.from_request(request), procedure=procedure, done_date=form.cleaned_data["date"],
        document_no=form.cleaned_data["document_no"]))


@require_POST
def plan_resume(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    form = DateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("复工日期：") + first_error(form).split("：")[-1])
        return _back(pk, "facts")
    return _run(request, pk, "facts", _("已登记复工。"), lambda: services.record_resumption(
        actor=Actor.from_request(request), plan=plan, date=form.cleaned_data["date"]))


def panel(request: HttpRequest, project: Project) -> dict | None:
    """The project page's plan panel (order 10): the plan, its milestones, procedures and every revision."""
    plan = Plan.objects.filter(project=project).first()
    if plan is None:
        if project.status != Status.IN_LEDGER:
            return None
        may_draft = Project.objects.restrict(request.user, "plan_draft").filter(pk=project.pk).exists()
        return {"plan": None, "project": project, "may_draft": may_draft}
    revisions = revision_rows(plan)
    people_for(request).want(*(row["revision"].changed_by for row in revisions))
    return {
        "plan": plan,
        "project": project,
        "person": contacts.plan_values({"responsible_person": plan.responsible_person},
                                       masked=not contacts.plan_in_full(request.user, project))["responsible_person"],
        "milestones": list(plan.milestones.all()),
        "procedures": list(plan.procedures.all()),
        "revisions": revisions,
        "facts": methods.fact_rows(plan),
    }

