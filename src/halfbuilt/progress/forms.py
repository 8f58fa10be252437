"""Forms of the progress pages. They only collect text; `services.clean_report` parses and checks it, so the
page and the API accept the same input and give the same messages."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .services import LABELS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ReportForm(forms.Form):
    progress = forms.CharField(label=LABELS["progress"], required=False, widget=forms.Textarea(attrs={"rows": 5}))
    physical_progress = forms.CharField(
        label=LABELS["physical_progress"], help_text=gettext_lazy("0–100，已按上次报送的进度预填"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    investment_month = forms.CharField(
        label=LABELS["investment_month"], required=False, max_length=40, help_text=gettext_lazy("不填视为 0"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    investment_cumulative = forms.CharField(
        label=LABELS["investment_cumulative"], required=False, max_length=40,
        help_text=gettext_lazy("不填则自动计算为上次累计加本月完成；填写不同数值须写调整说明"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    new_funds = forms.CharField(
        label=LABELS["new_funds"], required=False, max_length=40, help_text=gettext_lazy("不填视为 0"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    milestones_met = forms.MultipleChoiceField(
        label=LABELS["milestones_met"], required=False, widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("勾选的节点将在处置方案中登记为已完成，本次上传的照片作为佐证材料"),
    )
    problems = forms.CharField(label=LABELS["problems"], required=False, widget=forms.Textarea(attrs={"rows": 3}))
    suggestions = forms.CharField(label=LABELS["suggestions"], required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    adjustment_reason = forms.CharField(
        label=LABELS["adjustment_reason"], required=False, max_length=500,
        help_text=gettext_lazy("形象进度低于上次或累计投资与自动计算不一致时必填"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photos = forms.FileField(label=LABELS["photos"], required=False,
                             widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, milestones=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["milestones_met"].choices = [
            (
                str(m.pk), _("{title}（计划 {due_date:%Y-%m-%d}）").format(title=m.title, due_date=m.due_date),
            ) for m in milestones
        ]

    def clean_photos(self):
        return self.files.getlist("photos") if self.files else []

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("photos", "version")}
        return data


class RollupForm(forms.Form):
    """Only the three texts: the figures are computed by the service and cannot be posted."""

    progress = forms.CharField(label=gettext_lazy("工作进展"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    problems = forms.CharField(label=gettext_lazy("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    suggestions = forms.CharField(
        label=gettext_lazy("工作建议"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
