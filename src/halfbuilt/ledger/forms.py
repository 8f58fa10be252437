"""Forms of the ledger pages. Parsing follows `rules.py` so a form accepts what the importer accepts."""

from decimal import Decimal

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts import scope
from halfbuilt.accounts.models import Role
from halfbuilt.core.forms import QuickSelect
from halfbuilt.regions.models import Category, Department, Region, RegionLevel

from . import rules
from .dictionary import TEXT_LIMITS
from .models import ApprovalLevel, Kind, Project, Status

INDENT = "\u3000"  # a full-width space survives HTML whitespace collapsing inside <option>
LEVEL_DEPTH = {RegionLevel.PROVINCE: 0, RegionLevel.PREFECTURE: 1, RegionLevel.COUNTY: 2}


def region_choices(regions) -> list[tuple[str, str]]:
    """Regions in tree order (codes sort parent-first), indented by level."""
    return [(r.code, INDENT * LEVEL_DEPTH.get(r.level, 0) + r.name) for r in regions]


def visible_regions(user):
    """The regions worth offering in the list's region filter: the subtrees of the user's role organizations."""
    q = None
    for assignment in scope.assignments(user):
        if assignment.role not in scope.ACTIONS["view"]:
            continue
        region = assignment.organization.region
        if region.level == RegionLevel.PROVINCE:
            return Region.objects.order_by("code")
        part = (
            (Region.objects.filter(code=region.code) | Region.objects.filter(parent_id=region.code))
            if region.level == RegionLevel.PREFECTURE
            else Region.objects.filter(code=region.code)
        )
        q = part if q is None else (q | part)
    return (q if q is not None else Region.objects.none()).order_by("code")


def may_submit(user) -> bool:
    return scope.submit_regions_q(user) != scope.NOTHING


def _label(name: str) -> str:
    """A ledger field's label, as the model declares it."""
    return str(Project._meta.get_field(name).verbose_name)


def _text(name: str, **kwargs) -> dict:
    """Label and longest length of a ledger text field, declared once (model, data dictionary)."""
    return {"label": _label(name), "max_length": TEXT_LIMITS[name], **kwargs}


class ListFilterForm(forms.Form):
    """Only renders the filter panel; `filters.apply_filters` does the filtering and reports bad values."""

    q = forms.CharField(
        label=gettext_lazy("关键词"), required=False, help_text=gettext_lazy("项目名称、项目代码或台账编号"),
    )
    region = forms.ChoiceField(label=gettext_lazy("地区"), required=False, widget=QuickSelect)
    category = forms.ChoiceField(label=_label("category"), required=False, widget=QuickSelect)
    kind = forms.ChoiceField(label=_label("kind"), required=False, choices=[("", gettext_lazy("全部"))] + Kind.choices,
                             widget=QuickSelect)
    status = forms.ChoiceField(
        label=_label("status"), required=False, choices=[("", gettext_lazy("全部"))] + Status.choices,
        widget=QuickSelect,
    )
    department = forms.ChoiceField(label=_label("department"), required=False, widget=QuickSelect)
    year_from = forms.CharField(label=gettext_lazy("审批年份起"), required=False)
    year_to = forms.CharField(label=gettext_lazy("审批年份止"), required=False)
    total_min = forms.CharField(label=gettext_lazy("总投资下限（万元）"), required=False)
    total_max = forms.CharField(label=gettext_lazy("总投资上限（万元）"), required=False)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全部地区"))] + region_choices(visible_regions(user))
        self.fields["category"].choices = [("", _("全部类别"))] + [
            (c.code, f"{c.code} {c.name}") for c in Category.objects.only("code", "name")
        ]
        self.fields["department"].choices = (
            [("", _("全部部门")), ("unassigned", _("待指定"))]
            + [(d.code, d.short_name) for d in Department.objects.only("code", "name")]
        )
        for name in ("year_from", "year_to"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "placeholder": _("如 2018"), "maxlength": 4})
        for name in ("total_min", "total_max"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal"})
        self.fields["q"].widget.input_type = "search"


def _required(label: str) -> dict:
    """The message of a required field, as `inputs.required_message` words it; lazy: fields are built at import."""
    return {"required": format_lazy(gettext_lazy("请填写{label}"), label=label)}


class MoneyInput(forms.CharField):
    """万元 as typed: "1,260", "1260万元", "0.5亿元"; an exact Decimal or None."""

    def __init__(self, label: str, **kwargs):
        kwargs.setdefault("help_text", gettext_lazy("单位：万元，如 1260 或 1,260.5"))  # fields are built at import
        super().__init__(label=label, required=False, max_length=40, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal"})

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return value

    def clean(self, value):
        text = super().clean(value)
        try:
            return rules.parse_money(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="money") from exc


class PartialDateInput(forms.CharField):
    """A date at the precision known: 2018, 2018-06, 2018年6月, 2018-03-15."""

    def __init__(self, label: str, **kwargs):
        kwargs.setdefault("help_text", gettext_lazy("可只填年或年月，如 2018、2018-06、2018年6月"))
        super().__init__(label=label, required=False, max_length=20, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        try:
            return rules.parse_partial_date(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="date") from exc


# Groups of the form page, in the order a county clerk reads the ledger sheet.
FIELDSETS: list[tuple[str, list[str]]] = [
    (
        gettext_lazy("基本信息"),
        ["name", "project_code", "region", "address", "category", "department", "kind", "classified"],
    ),
    (gettext_lazy("审批情况"),
     ["approval_level", "approval_date", "approval_doc", "high_impact", "high_impact_reason"]),
    (gettext_lazy("建设单位与内容"), ["owner_unit", "owner_uscc", "content", "longitude", "latitude"]),
    (gettext_lazy("投资情况（万元）"), ["total_investment", "completed_investment", "funds_in_place", "unpaid_amount"]),
    (gettext_lazy("时间"), ["start_date", "stop_date", "completion_date"]),
    (gettext_lazy("原因与责任"), ["causes", "responsible_unit", "responsible_person", "phone"]),
]
WIDE = {"name", "content", "causes", "address", "high_impact_reason"}


class ProjectForm(forms.Form):
    wide = WIDE
    name = forms.CharField(**_text("name"), error_messages=_required(_label("name")))
    project_code = forms.CharField(
        label=_label("project_code"), required=False, max_length=40,  # dashes and spaces are taken off later
        help_text=gettext_lazy("全国投资项目在线审批监管平台代码，格式 YYYY-RRRRRR-DD-TT-NNNNNC；没有可不填"),
    )
    region = forms.ChoiceField(label=_label("region"), error_messages=_required(_label("region")))
    address = forms.CharField(**_text("address", required=False))
    category = forms.ModelChoiceField(
        Category.objects.all(), label=_label("category"),
        error_messages={**_required(_label("category")), "invalid_choice": gettext_lazy("请选择列表中的项目类别")},
    )
    department = forms.ModelChoiceField(
        Department.objects.all(), label=_label("department"), required=False,
        empty_label=gettext_lazy("待指定（由领导小组办公室指定）"),
        error_messages={"invalid_choice": gettext_lazy("请选择列表中的行业主管部门")},
    )
    kind = forms.ChoiceField(label=_label("kind"), choices=[("", gettext_lazy("请选择"))] + Kind.choices,
                             error_messages=_required(_label("kind")))
    classified = forms.BooleanField(label=gettext_lazy("涉密项目（仅本部门可见）"), required=False)
    approval_level = forms.ChoiceField(label=_label("approval_level"), required=False,
                                       choices=[("", "—")] + ApprovalLevel.choices)
    approval_date = PartialDateInput(_label("approval_date"))
    approval_doc = forms.CharField(**_text("approval_doc", required=False))
    high_impact = forms.BooleanField(
        label=_label("high_impact"), required=False,
        help_text=gettext_lazy("起底范围以外的项目（其他年度、旗县审批）标记影响较大并说明理由后纳入起底"),
    )
    high_impact_reason = forms.CharField(**_text("high_impact_reason", required=False),
                                         widget=forms.Textarea(attrs={"rows": 2}))
    owner_unit = forms.CharField(**_text("owner_unit", required=False))
    owner_uscc = forms.CharField(label=_label("owner_uscc"), required=False, max_length=30)  # spaces taken off later
    content = forms.CharField(**_text("content", required=False), widget=forms.Textarea(attrs={"rows": 3}))
    longitude = forms.DecimalField(
        label=_label("longitude"), required=False, min_value=Decimal("97"), max_value=Decimal("127"), decimal_places=6,
        error_messages={"invalid": gettext_lazy("经度应为数字，如 109.84"),
                        "min_value": gettext_lazy("经度应在 97 到 127 之间（内蒙古范围）"),
                        "max_value": gettext_lazy("经度应在 97 到 127 之间（内蒙古范围）"),
                        "max_decimal_places": gettext_lazy("经度最多 6 位小数")},
    )
    latitude = forms.DecimalField(
        label=_label("latitude"), required=False, min_value=Decimal("37"), max_value=Decimal("54"), decimal_places=6,
        error_messages={"invalid": gettext_lazy("纬度应为数字，如 40.65"),
                        "min_value": gettext_lazy("纬度应在 37 到 54 之间（内蒙古范围）"),
                        "max_value": gettext_lazy("纬度应在 37 到 54 之间（内蒙古范围）"),
                        "max_decimal_places": gettext_lazy("纬度最多 6 位小数")},
    )
    total_investment = MoneyInput(_label("total_investment"))
    completed_investment = MoneyInput(_label("completed_investment"))
    funds_in_place = MoneyInput(_label("funds_in_place"))
    unpaid_amount = MoneyInput(_label("unpaid_amount"))
    start_date = PartialDateInput(_label("start_date"))
    stop_date = PartialDateInput(_label("stop_date"))
    completion_date = PartialDateInput(_label("completion_date"))
    causes = forms.CharField(**_text("causes", required=False), widget=forms.Textarea(attrs={"rows": 3}))
    responsible_unit = forms.CharField(**_text("responsible_unit", required=False))
    responsible_person = forms.CharField(**_text("responsible_person", required=False))
    phone = forms.CharField(**_text("phone", required=False))

    def __init__(self, *args, user, project: Project | None = None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user = user
        self.project = project
        self.warnings: list[str] = []
        regions = Region.objects.filter(scope.submit_regions_q(user))
        if project is not None:
            regions = regions | Region.objects.filter(code=project.region_id)
        self.fields["region"].choices = [("", _("请选择"))] + region_choices(regions.order_by("code"))
        lines = scope.submit_departments(user)
        if lines is not None:
            # A department submits for its own line only; 待指定 is not theirs to choose.
            allowed = Department.objects.filter(code__in=lines)
            self.fields["department"].queryset = allowed
            self.fields["department"].required = True
            self.fields["department"].empty_label = _("请选择")
            self.fields["department"].error_messages["required"] = _("请选择行业主管部门")
        # Only the owning department line can see a classified project; for anyone else the box would hide it.
        if not any(a.role == Role.DEPARTMENT for a in scope.assignments(user)):
            del self.fields["classified"]
        self.fields["phone"].widget.input_type = "tel"

    def fieldsets(self):
        for legend, names in FIELDSETS:
            yield legend, [self[n] for n in names if n in self.fields]

    def clean_name(self) -> str:
        return rules.clean_text(self.cleaned_data["name"])

    def clean_region(self) -> Region:
        code = self.cleaned_data["region"]
        region = Region.objects.select_related("parent").filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("请选择列表中的地区"))
        return region

    def clean_project_code(self) -> str:
        try:
            return rules.check_project_code(
                self.cleaned_data["project_code"], set(Region.objects.values_list("code", flat=True))
            )
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="project_code") from exc

    def clean_owner_uscc(self) -> str:
        try:
            code, warning = rules.check_uscc(self.cleaned_data["owner_uscc"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="uscc") from exc
        if warning:
            self.warnings.append(warning)
        return code

    def clean(self):
        data = super().clean()
        if message := rules.investment_error(data.get("total_investment"), data.get("completed_investment")):
            self.add_error("completed_investment", message)
        return data

    def service_data(self) -> dict:
        """What `services.project_create/update` take: the editable fields, cleaned."""
        return {name: value for name, value in self.cleaned_data.items() if name not in ("version", "reason")}


class ProjectEditForm(ProjectForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=gettext_lazy("修改说明"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("可选，记入变更日志，如“据县发改局核对更正总投资”"),
    )


def initial_from(project: Project) -> dict:
    """A project's stored values in the form's terms."""
    data = {name: getattr(project, name) for name in ProjectForm.base_fields if hasattr(project, name)}
    data.update(region=project.region_id, category=project.category_id, department=project.department_id,
                version=project.version)
    return data
