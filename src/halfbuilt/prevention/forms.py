"""Forms of the prevention pages. They only shape input; the rules live in the services."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.ledger.rules import parse_partial_date
from halfbuilt.regions.models import Category, Department, Region

from .models import FundLevel, FundState, RiskRule, StudyState, WatchSettings

FUND_ROWS = 6
MONEY = {"max_digits": 16, "decimal_places": 4, "min_value": 0,
         "error_messages": {"invalid": gettext_lazy("金额应为数字（单位万元）"),
                            "min_value": gettext_lazy("金额不能为负数")}}


class ProposalForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("项目名称"), max_length=200)
    project_code = forms.CharField(label=gettext_lazy("项目代码"), max_length=30, required=False,
                                   help_text=gettext_lazy("已赋码的填写，同意实施后据此跟踪进度"))
    region = forms.ModelChoiceField(label=gettext_lazy("所在地区"), queryset=Region.objects.none())
    category = forms.ModelChoiceField(label=gettext_lazy("项目类别"), queryset=Category.objects.all())
    department = forms.ModelChoiceField(label=gettext_lazy("行业主管部门"), queryset=Department.objects.all(),
                                        required=False)
    total_investment = forms.DecimalField(label=gettext_lazy("总投资（万元）"), **MONEY)
    fiscal_capacity = forms.DecimalField(label=gettext_lazy("本级财政可承受出资（万元）"), required=False, **MONEY,
                                         help_text=gettext_lazy("本级财政在建设期内可安排的出资上限"))
    feasibility = forms.ChoiceField(label=gettext_lazy("可行性研究"), choices=StudyState.choices)
    performance = forms.ChoiceField(label=gettext_lazy("事前绩效评估"), choices=StudyState.choices)
    land_ready = forms.BooleanField(label=gettext_lazy("用地手续已落实"), required=False)
    planning_ready = forms.BooleanField(label=gettext_lazy("规划许可已落实"), required=False)
    needs_operation = forms.BooleanField(label=gettext_lazy("建成后需运营的设施"), required=False, initial=True)
    operator = forms.CharField(label=gettext_lazy("运营单位"), max_length=100, required=False)
    running_budget = forms.DecimalField(label=gettext_lazy("年运营经费（万元）"), required=False, **MONEY)
    planned_start = forms.CharField(label=gettext_lazy("计划开工"), max_length=10, required=False,
                                    help_text=gettext_lazy("如 2027-03"))
    planned_completion = forms.CharField(label=gettext_lazy("计划竣工"), max_length=10, required=False)

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions if regions is not None else Region.objects.none()
        for n in range(FUND_ROWS):
            self.fields[f"fund_level_{n}"] = forms.ChoiceField(
                label=_("资金来源 {n}").format(n=n + 1), required=False, choices=[("", "—"), *FundLevel.choices])
            self.fields[f"fund_amount_{n}"] = forms.DecimalField(label=_("金额（万元）"), required=False, **MONEY)
            self.fields[f"fund_state_{n}"] = forms.ChoiceField(label=_("落实情况"), required=False,
                                                               choices=[("", "—"), *FundState.choices])

    def fund_rows(self) -> list[list]:
        return [[self[f"fund_level_{n}"], self[f"fund_amount_{n}"], self[f"fund_state_{n}"]] for n in range(FUND_ROWS)]

    def clean(self):
        data = super().clean()
        for n in range(FUND_ROWS):
            parts = [data.get(f"fund_level_{n}"), data.get(f"fund_amount_{n}"), data.get(f"fund_state_{n}")]
            if any(p not in (None, "") for p in parts) and any(p in (None, "") for p in parts):
                self.add_error(f"fund_amount_{n}", _("资金来源 {n}：来源、金额、落实情况须同时填写").format(n=n + 1))
        for field in ("planned_start", "planned_completion"):
            try:
                data[field] = parse_partial_date(data.get(field) or "")
            except ValueError as exc:
                self.add_error(field, str(exc))
        return data

    def service_data(self) -> tuple[dict, list[dict]]:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("fund_")}
        funds = [{"level": self.cleaned_data[f"fund_level_{n}"], "amount": self.cleaned_data[f"fund_amount_{n}"],
                  "state": self.cleaned_data[f"fund_state_{n}"]} for n in range(FUND_ROWS)
                 if self.cleaned_data.get(f"fund_level_{n}")]
        return data, funds

    @staticmethod
    def initial_of(proposal) -> dict:
        from .services import PROPOSAL_FIELDS

        initial = {f: getattr(proposal, f"{f}_id" if f in ("category", "region", "department") else f)
                   for f in PROPOSAL_FIELDS}
        for n, fund in enumerate(proposal.funds.all()[:FUND_ROWS]):
            initial |= {f"fund_level_{n}": fund.level, f"fund_amount_{n}": fund.amount, f"fund_state_{n}": fund.state}
        return initial


class RuleForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = RiskRule
        fields = ["label", "threshold", "points", "template", "enabled"]
        widgets = {"template": forms.Textarea(attrs={"rows": 3})}


class WatchSettingsForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = WatchSettings
        fields = ["no_progress_months", "overdue_months", "idle_months"]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("文件"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
        error_messages={"required": gettext_lazy("请选择要上传的文件"), "empty": gettext_lazy("上传的文件是空的")},
        help_text=gettext_lazy("支持 .xlsx、.xls、.csv；列：项目代码、项目名称、所在地区（代码或名称）等"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(_("文件超过 {mb} MB").format(mb=settings.IMPORT_MAX_UPLOAD_MB))
        return upload

    def read_with(self, reader):
        """Run `reader(path, ext, name)` over a temporary copy of the upload (the reader takes a path)."""
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
            for chunk in upload.chunks():
                copy.write(chunk)
            copy.flush()
            return reader(Path(copy.name), suffix, upload.name)


class FeedForm(UploadForm):
    as_of = forms.DateField(label=gettext_lazy("数据截至"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}),
                            help_text=gettext_lazy("平台导出数据的日期，默认今天"),
                            error_messages={"invalid": gettext_lazy("日期格式不正确，应为 YYYY-MM-DD")})


class AddFlagForm(forms.Form):
    category = forms.ModelChoiceField(label=gettext_lazy("项目类别"), queryset=Category.objects.all(),
                                      error_messages={"required": gettext_lazy("请选择项目类别")})
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MergeForm(forms.Form):
    keep = forms.ChoiceField(label=gettext_lazy("保留"), choices=[
        ("kept", gettext_lazy("保留左侧项目")), ("merged", gettext_lazy("保留右侧项目"))])
    comment = forms.CharField(label=gettext_lazy("意见"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
