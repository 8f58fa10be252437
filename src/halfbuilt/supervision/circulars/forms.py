"""Forms of the 通报 pages. They only shape input; the rules live in `services`."""

from django import forms
from django.utils.translation import gettext_lazy

from .figures import METRICS
from .services import TEXT_MAX, TITLE_MAX, TOP_N_MAX
from .states import PeriodKind

DATE = forms.DateInput(attrs={"type": "date"})
DATE_INVALID = {"invalid": gettext_lazy("日期格式不正确，应为 YYYY-MM-DD")}


def _metric_choices() -> list[tuple[str, str]]:
    return [(key, label) for key, (label, _high) in METRICS.items()]


class Options(forms.Form):
    top_n = forms.IntegerField(label=gettext_lazy("红黑榜名额（前后各 N 名）"), min_value=1, max_value=TOP_N_MAX,
                               initial=3, error_messages={"invalid": gettext_lazy("红黑榜名额应为整数")})
    ranking = forms.ChoiceField(label=gettext_lazy("红黑榜排名指标"), choices=_metric_choices, initial="rate")
    public = forms.BooleanField(label=gettext_lazy("公开"), required=False,
                                help_text=gettext_lazy("公开的通报今后将在公开平台上发布"))


class CreateForm(Options):
    period_kind = forms.ChoiceField(label=gettext_lazy("通报期间"), choices=PeriodKind.choices,
                                    initial=PeriodKind.MONTH, widget=forms.RadioSelect)
    month = forms.CharField(label=gettext_lazy("月份（月度通报）"), required=False, max_length=7,
                            widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-05"}),
                            help_text=gettext_lazy("格式 YYYY-MM"))
    quarter = forms.CharField(label=gettext_lazy("季度（季度通报）"), required=False, max_length=7,
                              widget=forms.TextInput(attrs={"placeholder": "2026-Q3"}),
                              help_text=gettext_lazy("格式 YYYY-Qn，如 2026-Q3"))
    start = forms.DateField(label=gettext_lazy("起始日期（自定义期间）"), required=False, widget=DATE,
                            error_messages=DATE_INVALID)
    end = forms.DateField(label=gettext_lazy("截止日期（自定义期间）"), required=False, widget=DATE,
                          error_messages=DATE_INVALID)
    field_order = ["period_kind", "month", "quarter", "start", "end", "top_n", "ranking", "public"]


class EditForm(Options):
    title = forms.CharField(label=gettext_lazy("标题"), max_length=TITLE_MAX)
    addressees = forms.ModelMultipleChoiceField(label=gettext_lazy("主送"), queryset=None,
                                                widget=forms.CheckboxSelectMultiple,
                                                error_messages={"required": gettext_lazy("请至少选择一个主送单位")})
    opening = forms.CharField(label=gettext_lazy("开头"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}))
    findings = forms.CharField(label=gettext_lazy("主要情况"), max_length=TEXT_MAX,
                               widget=forms.Textarea(attrs={"rows": 8}))
    requirements = forms.CharField(label=gettext_lazy("工作要求"), max_length=TEXT_MAX,
                                   widget=forms.Textarea(attrs={"rows": 8}))
    field_order = ["title", "opening", "findings", "requirements", "top_n", "ranking", "public", "addressees"]

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressees"].queryset = choices
