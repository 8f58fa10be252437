"""Forms of the campaign pages; the services check and write (errors land on the field they name)."""

from django import forms
from django.utils.translation import gettext_lazy

from halfbuilt.ledger.models import ApprovalLevel

from .models import Campaign, Phase, PlanFiling, Target


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class CampaignForm(forms.Form):
    name = forms.CharField(label=_label(Campaign, "name"), max_length=100)
    scope_since = forms.CharField(label=_label(Campaign, "scope_since"), max_length=4,
                                  help_text=gettext_lazy("四位年份：该年1月1日以来审批的项目在起底范围内"))
    scope_levels = forms.MultipleChoiceField(label=_label(Campaign, "scope_levels"), choices=ApprovalLevel.choices,
                                             widget=forms.CheckboxSelectMultiple, required=False)
    scope_text = forms.CharField(label=_label(Campaign, "scope_text"), max_length=300, required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PhaseForm(forms.Form):
    name = forms.CharField(label=_label(Phase, "name"), max_length=40)
    starts = forms.DateField(label=_label(Phase, "starts"), required=False, widget=DateInput())
    ends = forms.DateField(label=_label(Phase, "ends"), widget=DateInput())
    due = forms.DateField(label=_label(Phase, "due"), required=False, widget=DateInput(),
                          help_text=gettext_lazy("阶段内另有截止事项时填写（如台账报送截止）"))
    due_label = forms.CharField(label=_label(Phase, "due_label"), max_length=40, required=False)
    note = forms.CharField(label=_label(Phase, "note"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class TargetForm(forms.Form):
    text = forms.CharField(label=_label(Target, "text"), max_length=200)
    metric = forms.ChoiceField(label=_label(Target, "metric"), choices=Target.Metric.choices, required=False)
    value = forms.CharField(label=_label(Target, "value"), max_length=10, required=False,
                            help_text=gettext_lazy("数值目标填写百分比，如 100"))
    due = forms.DateField(label=_label(Target, "due"), required=False, widget=DateInput())


class FilingForm(forms.Form):
    title = forms.CharField(label=_label(PlanFiling, "title"), max_length=200)
    targets = forms.CharField(label=_label(PlanFiling, "targets"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=gettext_lazy("本行业、本地区处置工作的目标，如“年内盘活一批，2023年底前全部销号”"))
    deadline = forms.DateField(label=_label(PlanFiling, "deadline"), widget=DateInput())
    file = forms.FileField(label=gettext_lazy("实施方案文件"), required=False,
                           help_text=gettext_lazy("PDF、Word、Excel 或 OFD；重新报送时可不再上传"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CriteriaForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("本行业“半拉子”工程标准"), max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 8}))
    note = forms.CharField(label=gettext_lazy("修订说明"), max_length=200, required=False)
    files = forms.FileField(label=gettext_lazy("附件"), required=False,
                            widget=forms.ClearableFileInput(attrs={"allow_multiple_selected": True}),
                            help_text=gettext_lazy("可选，PDF、Word、Excel 或 OFD，可多选"))
