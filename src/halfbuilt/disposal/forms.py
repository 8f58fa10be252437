"""The plan form: the common parts, then one section per method with only that method's facts.

Form fields of a method's facts are named `<method>__<key>` and built from `methods.METHODS`; the form only
parses what the browser sends, the services (and `methods`) decide.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.core.errors import ServiceError
from halfbuilt.core.forms import add_service_error
from halfbuilt.ledger.dictionary import LINE_TEXT_MAX, NOTE_TEXT_MAX

from . import methods, services
from .models import Method, Plan

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = {"rows": 3}
COMMON_LEGENDS = [
    (gettext_lazy("项目介绍与存在问题"), ["introduction", "problems"]),
    (gettext_lazy("处置方式及措施"), ["method", "measures"]),
    (gettext_lazy("责任分工与完成时限"), [
        "lead_unit", "responsible_person", "responsible_phone", "cooperating_units", "leader_in_charge", "deadline",
    ]),
]
# Which parts each mode of the form shows: a draft shows all; a confirmed plan changes its facts and
# descriptions by editing, and its method, deadline, measures and people only by revision.
MODE_FIELDS = {
    "draft": services.COMMON_FIELDS,
    "confirmed": ["introduction", "problems"],
    "revise": services.REVISABLE,
}


def _fact_field(field: methods.FactField) -> forms.Field:
    common = {"label": field.label, "required": False, "help_text": field.help}
    match field.kind:
        case "bool":
            return forms.BooleanField(**common)
        case "date":
            return forms.DateField(widget=DATE_WIDGET, **common)
        case "choice":
            return forms.ChoiceField(choices=[("", _("— 请选择 —")), *field.choices], **common)
        case "longtext" | "list":
            return forms.CharField(widget=forms.Textarea(attrs=TEXTAREA), max_length=NOTE_TEXT_MAX, **common)
        case "money":
            return forms.CharField(max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    return forms.CharField(max_length=LINE_TEXT_MAX, **common)


def _fact_initial(field: methods.FactField, value):
    if field.kind == "list":
        return "\n".join(value or [])
    return value


class PlanForm(forms.Form):
    introduction = forms.CharField(
        label=gettext_lazy("项目介绍"), required=False, widget=forms.Textarea(attrs=TEXTAREA),
    )
    problems = forms.CharField(label=gettext_lazy("存在问题"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    method = forms.ChoiceField(
        label=gettext_lazy("处置方式"), choices=[("", gettext_lazy("— 请选择 —")), *Method.choices],
    )
    measures = forms.CharField(label=gettext_lazy("处置措施"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    lead_unit = forms.CharField(label=gettext_lazy("主责单位"), max_length=100)
    responsible_person = forms.CharField(label=gettext_lazy("责任人"), max_length=50)
    responsible_phone = forms.CharField(label=gettext_lazy("责任人电话"), max_length=30, required=False,
                                        widget=forms.TextInput(attrs={"type": "tel"}))
    cooperating_units = forms.CharField(label=gettext_lazy("配合单位"), max_length=300, required=False,
                                        help_text=gettext_lazy("多个单位以顿号分隔"))
    leader_in_charge = forms.CharField(label=gettext_lazy("包联领导"), max_length=50, required=False)
    deadline = forms.DateField(label=gettext_lazy("完成时限"), widget=DATE_WIDGET)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=gettext_lazy("修订理由"), max_length=500, required=False, widget=forms.Textarea(attrs=TEXTAREA),
    )

    wide = {"introduction", "problems", "measures", "reason"}

    def __init__(self, *args, mode: str = "draft", plan: Plan | None = None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        if plan is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from(plan)
        super().__init__(*args, **kwargs)
        self.mode, self.plan = mode, plan
        for name in services.COMMON_FIELDS:
            if name not in MODE_FIELDS[mode]:
                del self.fields[name]
        if mode == "revise":
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]
        shown = list(Method) if "method" in self.fields else [Method(plan.method)]
        self.method_sections = []
        for method in shown:
            names = []
            for field in methods.METHODS[method].fields:
                name = f"{method}__{field.key}"
                self.fields[name] = _fact_field(field)
                names.append(name)
            self.method_sections.append({"method": method, "label": method.label, "names": names})

    @property
    def fieldsets(self):
        result = []
        for legend, names in COMMON_LEGENDS:
            fields = [self[n] for n in names if n in self.fields]
            if fields:
                result.append((legend, fields))
        return result

    @property
    def sections(self):
        return [{**s, "fields": [self[n] for n in s["names"]]} for s in self.method_sections]

    def chosen_method(self) -> str:
        if "method" in self.fields:
            return self.cleaned_data.get("method") or ""
        return self.plan.method

    def service_data(self) -> dict:
        data = {n: self.cleaned_data[n] for n in services.COMMON_FIELDS if n in self.fields}
        method = self.chosen_method()
        if method in methods.METHODS:
            data["facts"] = {
                f.key: self.cleaned_data.get(f"{method}__{f.key}") for f in methods.METHODS[method].fields
            }
        return data

    def apply_error(self, error: ServiceError) -> None:
        field = error.field or ""  # a method's fact, facts.<key>, is the form's <method>__<key>
        facts = field.startswith("facts.")
        add_service_error(self, error, {field: f"{self.chosen_method()}__{field[6:]}"} if facts else None)


def initial_from(plan: Plan) -> dict:
    initial = {name: getattr(plan, name) for name in services.COMMON_FIELDS}
    initial["version"] = plan.version
    rules = methods.METHODS.get(plan.method)
    if rules:
        for field in rules.fields:
            initial[f"{plan.method}__{field.key}"] = _fact_initial(field, plan.facts.get(field.key))
    return initial


class MilestoneForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("节点"), max_length=200)
    due_date = forms.DateField(label=gettext_lazy("计划完成日期"), widget=DATE_WIDGET)


class DateForm(forms.Form):
    """One date and an optional number, for meeting a milestone, finishing a procedure or resuming work."""

    date = forms.DateField(label=gettext_lazy("日期"), widget=DATE_WIDGET)
    document_no = forms.CharField(label=gettext_lazy("批准文号"), max_length=100, required=False)


class ProcedureForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("手续"), choices=[("", gettext_lazy("— 请选择 —"))])
    name = forms.CharField(
        label=gettext_lazy("名称"), max_length=100, required=False, help_text=gettext_lazy("“其他”时填写"),
    )
    authority = forms.CharField(label=gettext_lazy("办理部门"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        from .models import ProcedureKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("— 请选择 —")), *ProcedureKind.choices]


def first_error(form: forms.Form) -> str:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        return f"{label}：{errors[0]}" if label else errors[0]
    return _("表单有误")
