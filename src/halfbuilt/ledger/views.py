"""Ledger pages: list, export, project page with timeline, create/edit forms, status actions.

Thin views: every read goes through `Project.objects.restrict(user, action)`, every write through
`services`. A project the user may not see is a 404, whatever the reason.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Value
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halfbuilt.accounts.guards import needs_action
from halfbuilt.accounts.people import people_for
from halfbuilt.audit import registry
from halfbuilt.audit.models import ChangeLog
from halfbuilt.audit.services import PERSONAL_DATA_VIEW
from halfbuilt.core import crypto, pii
from halfbuilt.core.db import serial_plans
from halfbuilt.core.errors import ConflictError, NotAllowed, ServiceError
from halfbuilt.core.formatting import money
from halfbuilt.core.forms import QuickSelect, add_service_error
from halfbuilt.core.request_context import Actor
from halfbuilt.regions.models import Category, Department, Region
from halfbuilt.workflow.views import action_panel, perform_posted

from . import contacts, dictionary, rules, services
from .coverage import current_rule, outside_q, scope_warnings
from .filters import EXTRA_COLUMNS, EXTRA_FILTERS, NONE, OUTSIDE, apply_filters, method_choices, stage_choices
from .forms import ListFilterForm, ProjectEditForm, ProjectForm, initial_from, may_submit
from .models import Kind, Project, Stage, Status
from .paging import CappedPaginator, exact_count_is_cheap
from .panels import candidates_notes, panels_for
from .workflow import PROJECT_STATUS

MONEY_KEYS = {f.key for f in dictionary.FIELDS if f.type == "money"}
PAGE_SIZE = 50
# Only what the list shows is read; at a million rows every column and join counts.
LIST_COLUMNS = (
    "id", "ledger_no", "name", "kind", "status", "classified", "total_investment", "completed_investment",
    "approval_date", "region", "category", "department", "stage", "plan__method",
)
SORTABLE = [
    ("ledger_no", gettext_lazy("台账编号")), ("name", gettext_lazy("项目名称")),
    ("total", gettext_lazy("总投资（万元）")), ("approval", gettext_lazy("审批时间")),
]
EXPORT_FORMATS = {"xlsx": "xlsx", "csv": "csv"}
DETAIL_RELATED = ("region__parent", "category", "department")
OUTSIDE_LABEL = gettext_lazy("超出起底范围")


class LedgerListForm(ListFilterForm):
    """The list's filter panel with the disposal columns: stage (处置阶段) and the plan's method (处置方式), and
    the campaign's scope (超出起底范围)."""

    stage = forms.ChoiceField(label=gettext_lazy("处置阶段"), required=False, widget=QuickSelect)
    method = forms.ChoiceField(label=gettext_lazy("处置方式"), required=False, widget=QuickSelect)
    scope = forms.ChoiceField(label=gettext_lazy("起底范围"), required=False, widget=QuickSelect,
                              choices=[("", gettext_lazy("全部")), (OUTSIDE, OUTSIDE_LABEL)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", _("全部"))] + stage_choices()
        self.fields["method"].choices = [("", _("全部")), *method_choices(), (NONE, _("尚无方案"))]
        for key, extra in EXTRA_FILTERS.items():
            self.fields[key] = forms.ChoiceField(label=extra.label, required=False, widget=QuickSelect,
                                                 choices=[("", _("全部")), *extra.choices()])

    def extra_fields(self) -> list:
        """The fields of the filters other apps add (filters.EXTRA_FILTERS), for the panel's template."""
        return [self[key] for key in EXTRA_FILTERS]


def _sort_headers(current: str) -> list[dict]:
    """Column headers that toggle ascending/descending; `aria-sort` tells screen readers the state."""
    headers = []
    for key, label in SORTABLE:
        state = "ascending" if current == key else "descending" if current == f"-{key}" else "none"
        headers.append({
            "key": key, "label": label, "state": state,
            "next": f"-{key}" if state == "ascending" else key,
            "arrow": {"ascending": "▲", "descending": "▼"}.get(state, ""),
        })
    return headers


def _filtered(request: HttpRequest):
    queryset = Project.objects.restrict(request.user)
    return apply_filters(queryset, request.GET)


def _labelled(projects) -> list[Project]:
    """The page's projects with the labels of their choices set once (`kind_label` …, `method_label` of the plan):
    Django's get_FOO_display rebuilds the field's choices, translating each, on every call (~5 ms of a page); and
    their region (with its league), category and department, each table read once for the page."""
    labels = {name: dict(choices) for name, choices in (
        ("kind", Kind.choices), ("status", Status.choices), ("stage", Stage.choices), ("method", method_choices()))}
    rows = list(projects)
    regions = Region.objects.select_related("parent").in_bulk({p.region_id for p in rows})
    categories = Category.objects.in_bulk({p.category_id for p in rows})
    departments = Department.objects.in_bulk({p.department_id for p in rows if p.department_id})
    for p in rows:
        p.region, p.category = regions[p.region_id], categories[p.category_id]
        p.department = departments.get(p.department_id)
        p.kind_label = labels["kind"].get(p.kind, p.kind)
        p.status_label = labels["status"].get(p.status, p.status)
        p.stage_label = labels["stage"].get(p.stage, p.stage)
        plan = getattr(p, "plan", None)  # a project without a plan raises a subclass of AttributeError
        p.method_label = labels["method"].get(plan.method, plan.method) if plan else ""
    return rows


@needs_action("view")
def project_list(request: HttpRequest) -> HttpResponse:
    queryset, state = _filtered(request)
    # The plan's method comes with the same query (a LEFT JOIN of one row per project), never one per row.
    related = [column.related for column in EXTRA_COLUMNS]
    columns = [*LIST_COLUMNS, *(f for column in EXTRA_COLUMNS for f in column.fields)]
    # Regions, categories and departments are set from their small tables in Python (`_labelled`), not joined:
    # four joins fewer left PostgreSQL 2 ms instead of 11 to plan a filtered page at 1M projects.
    queryset = queryset.select_related("plan", *related).only(*columns)
    # The badge: the rule as one expression of the same query, never a check per row.
    rule = current_rule()
    outside = ExpressionWrapper(outside_q(), output_field=BooleanField()) if rule else Value(False)
    queryset = queryset.annotate(outside_scope=outside)
    with serial_plans():
        exact = exact_count_is_cheap(Project.objects.restrict(request.user))
        paginator = CappedPaginator(queryset, PAGE_SIZE, request.GET.get("page"), exact=exact)
        page = paginator.get_page(request.GET.get("page"))
        projects = _labelled(page.object_list)
    context = {
        "page": page,
        "projects": projects,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "filter_form": LedgerListForm(state.values, user=request.user),
        "filter_errors": state.notices,
        "filtered": any(k != "sort" for k in state.values),
        "sort_headers": _sort_headers(state.values.get("sort", "")),
        "extra_columns": EXTRA_COLUMNS,
        "may_submit": may_submit(request.user),
        "export_query": state.querystring(),
        "scope_note": rule.describe() if rule else "",
        "outside_label": OUTSIDE_LABEL,
        "notes": candidates_notes(request) if state.values.get("status") == Status.CANDIDATE else [],
    }
    return render(request, "ledger/project_list.html", context)


@require_GET
@needs_action("view")
def project_count(request: HttpRequest) -> HttpResponse:
    """The exact number of projects the list's filters select, asked for separately because it is slow: JSON
    for the list's script (Accept: application/json), a page for a browser following the link without it."""
    queryset, state = _filtered(request)
    count = queryset.order_by().count()
    if request.get_preferred_type(["application/json", "text/html"]) == "text/html":
        context = {"count": count, "filtered": any(k != "sort" for k in state.values),
                   "filter_errors": state.notices, "list_query": state.querystring()}
        return render(request, "ledger/project_count.html", context)
    return JsonResponse({"count": count})


@needs_action("view")
def project_export(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "xlsx")
    if fmt not in EXPORT_FORMATS:
        messages.error(request, _("导出格式“{fmt}”不支持，请选择 Excel（xlsx）或 CSV。").format(fmt=fmt[:20]))
        return redirect("ledger:project_list")
    queryset, _errors = _filtered(request)
    from .exports import export_response  # imported here so the list page never depends on the exporter

    # export_response streams write_export's output from a temporary file (never held in memory).
    return export_response(queryset, fmt)


def _visible_project(request: HttpRequest, pk: int) -> Project:
    queryset = Project.objects.restrict(request.user).select_related(*DETAIL_RELATED)
    return get_object_or_404(queryset, pk=pk)


def project_detail(request: HttpRequest, pk: int, *, revealed: bool = False) -> HttpResponse:
    project = _visible_project(request, pk)
    in_full = revealed or contacts.in_full(request.user, project)
    rows = [
        (f.label, money(dictionary.raw_value(project, f.key)) if f.type == "money"
         else dictionary.display_value(project, f.key, masked=not in_full))
        for f in dictionary.FIELDS
    ]
    uscc_warning = None
    if project.owner_uscc:
        try:
            uscc_warning = rules.check_uscc(project.owner_uscc)[1]
        except ValueError as exc:
            uscc_warning = str(exc)
    context = {
        "project": project,
        "rows": rows,
        "uscc_warning": uscc_warning,
        "scope_warnings": scope_warnings(project),
        "actions": action_panel(PROJECT_STATUS, request.user, project, "ledger:project_transition"),
        "can_edit": Project.objects.permits(request.user, "change", project),
        "contacts_masked": not in_full and any(getattr(project, key) for key in dictionary.PERSONAL),
        "timeline": timeline(project),
        "panels": panels_for(request, project),
    }
    people_for(request).want(*(t["entry"].username for t in context["timeline"]))
    return render(request, "ledger/project_detail.html", context)


@require_POST
def project_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    """The project page with its contact in full, for one who sees the project but does not maintain it; logged."""
    contacts.reveal(actor=Actor.from_request(request), project=_visible_project(request, pk))
    return project_detail(request, pk, revealed=True)


def timeline(project: Project) -> list[dict]:
    # Who was shown the contact is the auditor's to know, not every reader's of the project.
    entries = list(ChangeLog.objects.filter(project_id=project.pk).exclude(action=PERSONAL_DATA_VIEW)
                   .order_by("-at", "-id")[:500])
    names = _code_names(entries)
    result = []
    for entry in entries:
        before, after = entry.before or {}, entry.after or {}
        keys = list(dict.fromkeys([*before, *after]))
        if entry.before is None:  # a creation: list what was filled in, not the empty fields
            keys = [k for k in keys if after.get(k) not in (None, "")]
        changes = [
            {"label": _key_label(k), "old": _log_value(k, before.get(k), names),
             "new": _log_value(k, after.get(k), names)}
            for k in keys
        ]
        result.append({
            "entry": entry,
            "action": registry.action_label(entry.action),
            "is_create": entry.before is None,
            "changes": changes,
        })
    return result


def _key_label(key: str) -> str:
    return (dictionary.LABELS.get(key) or {"status_reason": _("状态说明"), "version": _("版本")}.get(key)
            or registry.KEY_LABELS.get(key, key))


def _code_names(entries: list[ChangeLog]) -> dict[str, dict[str, str]]:
    """Names for the codes stored in the log (regions, categories, departments), fetched once per page."""
    wanted: dict[str, set] = {"region_code": set(), "category_code": set(), "department": set()}
    for entry in entries:
        for side in (entry.before or {}, entry.after or {}):
            for key, codes in wanted.items():
                if side.get(key):
                    codes.add(side[key])
    regions = Region.objects.select_related("parent").filter(code__in=wanted["region_code"])
    categories = Category.objects.filter(code__in=wanted["category_code"])
    return {
        "region_code": {r.code: r.full_name for r in regions},
        "category_code": {c.code: f"{c.code} {c.name}" for c in categories},
        "department": {d.code: d.name for d in Department.objects.filter(code__in=wanted["department"])},
    }


def _log_value(key: str, value, names: dict[str, dict[str, str]]) -> str:
    if value is None or value == "" or value == []:
        return _("待指定") if key == "department" else _("（空）")
    if isinstance(value, list):  # e.g. the file names of a milestone's evidence
        return "、".join(str(item) for item in value)
    if key in registry.PERSONAL_KEYS:  # kept encrypted; the history shows no contact in full (the fields do)
        return pii.masked(registry.PERSONAL_KEYS[key], crypto.decrypt(value))
    if key in dictionary.CHOICE_LABELS:
        return dictionary.CHOICE_LABELS[key].get(value, str(value))
    if key in names:
        return names[key].get(value, str(value))
    if key in MONEY_KEYS:
        return money(value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    if not may_submit(request.user):
        raise PermissionDenied(_("您的角色不能填报项目"))
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=Actor.from_request(request), data=form.service_data())
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("已新增项目“{name}”（台账编号 {ledger_no}），状态为待核实。").format(
                    name=project.name, ledger_no=project.ledger_no,
                ),
            )
            for warning in [*form.warnings, *scope_warnings(project)]:
                messages.warning(request, warning)
            return redirect("ledger:project_detail", pk=project.pk)
    return render(request, "ledger/project_form.html", {"form": form, "project": None})


@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = Project.objects.restrict(request.user, "change").select_related(*DETAIL_RELATED)
    project = get_object_or_404(queryset, pk=pk)
    conflict = None
    if request.method == "GET":
        form = ProjectEditForm(initial=initial_from(project), user=request.user, project=project)
    else:
        form = ProjectEditForm(request.POST, user=request.user, project=project)
        if form.is_valid():
            try:
                saved = services.project_update(
                    actor=Actor.from_request(request), project=project, data=form.service_data(),
                    version=form.cleaned_data["version"], reason=form.cleaned_data["reason"],
                )
            except ConflictError as error:
                conflict = error.message
                _show_saved_values(request, form, pk)
            except NotAllowed as error:
                if not Project.objects.restrict(request.user, "change").filter(pk=pk).exists():
                    raise Http404 from error
                add_service_error(form, error)
            except ServiceError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("已保存项目“{name}”的修改。").format(name=saved.name))
                for warning in [*form.warnings, *scope_warnings(saved)]:
                    messages.warning(request, warning)
                return redirect("ledger:project_detail", pk=saved.pk)
    return render(request, "ledger/project_form.html", {"form": form, "project": project, "conflict": conflict})


def _show_saved_values(request: HttpRequest, form: ProjectEditForm, pk: int) -> None:
    """After a conflict: keep the user's input, mark each field where the saved value differs, and move the
    form to the saved version so a deliberate second save goes through."""
    current = Project.objects.restrict(request.user).select_related(*DETAIL_RELATED).filter(pk=pk).first()
    if current is None:
        return
    saved = initial_from(current)
    for name, field in form.fields.items():
        if name in ("version", "reason") or name not in form.cleaned_data:
            continue
        mine, theirs = form.cleaned_data[name], saved.get(name)
        if _comparable(mine) != _comparable(theirs):
            field.saved_value = _saved_display(form, name, current) or _("（空）")
    data = form.data.copy()
    data["version"] = str(current.version)
    form.data = data


def _comparable(value):
    if hasattr(value, "pk"):
        return value.pk
    if value in (None, ""):
        return None
    return value


def _saved_display(form, name: str, project: Project) -> str:
    key = {"region": "region_code", "category": "category_code"}.get(name, name)
    if key in dictionary.LABELS:
        return dictionary.display_value(project, key, masked=False)  # to the editor, who maintains it
    return str(getattr(project, name, "") or "")


@require_POST
def project_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    project = _visible_project(request, pk)
    back = reverse("ledger:project_detail", args=[pk]) + "#actions"
    return perform_posted(request, PROJECT_STATUS, project, action, back, project.name)
