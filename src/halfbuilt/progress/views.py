"""Progress pages: my queue, the prefilled report form, a report, a project's history, roll-ups and downloads.

Thin views: projects are read through `Project.objects.restrict(user, action)`, reports follow their
project, roll-ups follow `orgs.rollups_q`; writes go through `services`. Not visible → 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from halfbuilt.accounts.guards import needs_action
from halfbuilt.accounts.models import Organization, OrgKind
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.forms import add_service_error
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project

from . import documents, periods, queues, services
from .forms import ReportForm, RollupForm
from .models import ProgressReport, ReportStatus, Rollup
from .orgs import is_office, org_projects_q, rollup_organizations, rollups_q

# Errors of the files app name its own field; on this form the photos field is where the file was.
FIELD_ALIASES = {"file": "photos", "kind": "photos"}


def _period(value: str) -> str:
    try:
        return periods.parse_period(value)
    except ValueError as exc:
        raise Http404(str(exc)) from exc


def _period_choice(request: HttpRequest) -> str:
    raw = request.GET.get("period", "")
    if not raw:
        return periods.open_period()
    try:
        return periods.parse_period(raw)
    except ValueError as exc:
        messages.warning(
            request, _("{problem}，已显示{label}").format(problem=exc, label=periods.label(periods.open_period())),
        )
        return periods.open_period()


def _period_context(period: str) -> dict:
    return {
        "period": period, "period_label": periods.label(period), "due_date": periods.due_date(period),
        "periods": [(p, periods.label(p)) for p in periods.recent(13)],
    }


@require_GET
@needs_action("view")
def queue(request: HttpRequest) -> HttpResponse:
    """Reports due for me (the month whose due day is this month, or ?period=), drafts, and for region and
    department users the status of their roll-up."""
    period = _period_choice(request)
    reporting = Project.objects.restrict(request.user, "report")
    rows = services.due_rows(reporting, period)
    drafts = (
        ProgressReport.objects.filter(project__in=reporting, status=ReportStatus.DRAFT)
        .select_related("project").order_by("-period")
    )
    rollups = []
    for org in rollup_organizations(request.user):
        rollups.append({"org": org, "rollup": Rollup.objects.filter(organization=org, period=period).first()})
    counts = {state: sum(1 for r in rows if r["state"] == state) for state in services.STATE_LABELS}
    context = {
        **_period_context(period), "rows": rows, "drafts": drafts, "rollups": rollups, "counts": counts,
        "is_office": is_office(request.user),
    }
    return render(request, "progress/queue.html", context)


def _visible_project(request: HttpRequest, pk: int) -> Project:
    return get_object_or_404(Project.objects.restrict(request.user).select_related("region__parent"), pk=pk)


@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    project = _visible_project(request, pk)
    period = _period(period)
    if not Project.objects.restrict(request.user, "report").filter(pk=pk).exists():
        raise PermissionDenied(_("您无权报送该项目的月度进展"))
    existing = ProgressReport.objects.filter(project=project, period=period).first()
    if existing is not None and existing.status == ReportStatus.SUBMITTED:
        messages.info(request, _("{label}的进展已报送。").format(label=periods.label(period)))
        return redirect("progress:report_detail", pk=existing.pk)
    if project.stage not in services.REPORTING_STAGES:
        messages.error(
            request,
            _("项目处于“{stage}”阶段，只有处置中的项目按月报送进展。").format(stage=project.get_stage_display()),
        )
        return redirect("progress:history", pk=pk)
    filled = services.prefill(project, period)
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, milestones=filled.milestones)
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            write = services.report_submit if submit else services.report_save
            try:
                report = write(
                    actor=Actor.from_request(request), project=project, period=period, data=form.service_data(),
                    version=form.cleaned_data.get("version"), photos=form.cleaned_data["photos"],
                )
            except ServiceError as error:
                add_service_error(form, error, FIELD_ALIASES)
            else:
                if submit:
                    messages.success(
                        request,
                        _("已报送“{name}”{label}的进展。").format(name=project.name, label=periods.label(period)),
                    )
                    return redirect("progress:report_detail", pk=report.pk)
                messages.success(request, _("草稿已保存，可稍后继续填写并报送。"))
                return redirect("progress:report_form", pk=pk, period=period)
    else:
        initial = {k: ("" if v is None else v) for k, v in filled.values.items()}
        initial["milestones_met"] = [str(i) for i in filled.values["milestones_met"]]
        initial["version"] = filled.draft.version if filled.draft else None
        form = ReportForm(initial=initial, milestones=filled.milestones)
    context = {
        "project": project, "form": form, "prefill": filled, **_period_context(period),
        "late": services.report_state(existing, period) == "missing",
    }
    return render(request, "progress/report_form.html", context)


def _visible_report(request: HttpRequest, pk: int) -> ProgressReport:
    queryset = ProgressReport.objects.restrict(request.user)
    return get_object_or_404(queryset.select_related("project__region__parent"), pk=pk)


@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible_report(request, pk)
    context = {
        "report": report, "project": report.project, "state": services.report_state(report, report.period),
        "state_labels": services.STATE_LABELS, "label": periods.label(report.period),
        "due_date": periods.due_date(report.period), "milestones": report.milestones_met.all(),
        "photos": report.photos.all(),
    }
    return render(request, "progress/report_detail.html", context)


@require_GET
def history(request: HttpRequest, pk: int) -> HttpResponse:
    project = _visible_project(request, pk)
    reports = ProgressReport.objects.filter(project=project).order_by("-period")
    rows = [{"report": r, "state": services.report_state(r, r.period), "label": periods.label(r.period)}
            for r in reports]
    may_report = (project.stage in services.REPORTING_STAGES
                  and Project.objects.restrict(request.user, "report").filter(pk=pk).exists())
    context = {"project": project, "rows": rows, "state_labels": services.STATE_LABELS, "may_report": may_report,
               "open_period": periods.open_period(), "current_period": periods.current_period()}
    return render(request, "progress/history.html", context)


# --- roll-ups --------------------------------------------------------------------------------------------

@require_GET
@needs_action("view")
def rollup_list(request: HttpRequest) -> HttpResponse:
    """The office sees every roll-up of the month, the province's figures and who has not submitted; others
    see their own organizations' roll-ups."""
    period = _period_choice(request)
    rollups = list(Rollup.objects.filter(rollups_q(request.user), period=period).select_related("organization"))
    office = is_office(request.user)
    context = {**_period_context(period), "rollups": rollups, "is_office": office}
    if office:
        office_org = Organization.objects.filter(kind=OrgKind.OFFICE).first()
        context["province"] = services.rollup_figures(office_org, period) if office_org else None
        context["not_submitted"] = list(queues.leagues_without_rollup(period))
    return render(request, "progress/rollup_list.html", context)


def _my_org(request: HttpRequest, org_id: int) -> Organization:
    for org in rollup_organizations(request.user):
        if org.pk == org_id:
            return org
    raise Http404(_("不是您所在单位"))


def _org_rows(request: HttpRequest, org: Organization, period: str) -> list[dict]:
    """The org's due projects that the user may also see (classified ones never appear)."""
    projects = Project.objects.restrict(request.user).filter(org_projects_q(org))
    return services.due_rows(projects, period)


@require_http_methods(["GET", "POST"])
def rollup_form(request: HttpRequest, org_id: int, period: str) -> HttpResponse:
    org = _my_org(request, org_id)
    period = _period(period)
    rollup = Rollup.objects.filter(organization=org, period=period).first()
    if rollup is not None and rollup.status == ReportStatus.SUBMITTED:
        messages.info(request, _("{name}{label}的月度汇总已报送。").format(name=org.name, label=periods.label(period)))
        return redirect("progress:rollup_detail", pk=rollup.pk)
    if request.method == "POST":
        form = RollupForm(request.POST)
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                saved = services.rollup_submit(
                    actor=Actor.from_request(request), organization=org, period=period, submit=submit,
                    **form.cleaned_data,
                )
            except ServiceError as error:
                add_service_error(form, error, FIELD_ALIASES)
            else:
                if submit:
                    messages.success(
                        request,
                        _("已报送{name}{label}的月度汇总。").format(name=org.name, label=periods.label(period)),
                    )
                    return redirect("progress:rollup_detail", pk=saved.pk)
                messages.success(request, _("草稿已保存。"))
                return redirect("progress:rollup_form", org_id=org.pk, period=period)
    else:
        initial = {k: getattr(rollup, k) for k in ("progress", "problems", "suggestions")} if rollup else {}
        form = RollupForm(initial=initial)
    context = {
        "org": org, "form": form, "figures": services.rollup_figures(org, period),
        "rows": _org_rows(request, org, period), **_period_context(period),
    }
    return render(request, "progress/rollup_form.html", context)


def _visible_rollup(request: HttpRequest, pk: int) -> Rollup:
    return get_object_or_404(Rollup.objects.filter(rollups_q(request.user)).select_related("organization"), pk=pk)


@require_GET
def rollup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rollup = _visible_rollup(request, pk)
    context = {"rollup": rollup, "figures": rollup.figures, "label": periods.label(rollup.period),
               "rows": _org_rows(request, rollup.organization, rollup.period)}
    return render(request, "progress/rollup_detail.html", context)


@require_GET
def rollup_docx(request: HttpRequest, pk: int) -> HttpResponse:
    rollup = _visible_rollup(request, pk)
    return documents.docx_response(rollup)


@require_GET
def rollup_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    rollup = _visible_rollup(request, pk)
    return documents.xlsx_response(rollup, _org_rows(request, rollup.organization, rollup.period))
