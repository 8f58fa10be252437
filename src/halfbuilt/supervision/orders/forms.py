"""Forms of the 督办 pages. They only shape input; the rules live in `services` and `targets`."""

from django import forms
from django.utils.translation import gettext_lazy

from halfbuilt.closure.forms import MultipleFileField

from .models import OrderStatus
from .services import MEASURES_MAX, REASON_MAX, REQUIREMENTS_MAX
from .states import OPEN_FILTER


class IssueForm(forms.Form):
    subject = forms.ModelChoiceField(label=gettext_lazy("督办对象"), queryset=None, required=False,
                                     help_text=gettext_lazy("盟市、旗县或部门：督办其“半拉子”工程处置工作"))
    addressee = forms.ChoiceField(label=gettext_lazy("主送"), required=False)
    reason = forms.CharField(label=gettext_lazy("督办事由"), max_length=REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 4}))
    requirements = forms.CharField(label=gettext_lazy("工作要求"), max_length=REQUIREMENTS_MAX,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    deadline_workdays = forms.IntegerField(
        label=gettext_lazy("回复期限（工作日）"), required=False, min_value=1,
        help_text=gettext_lazy("自督办之日起的工作日数，节假日和调休按国家规定；或填写下面的截止日期"),
        error_messages={"invalid": gettext_lazy("回复期限（工作日）应为整数")})
    deadline = forms.DateField(label=gettext_lazy("或回复截止日期"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}),
                               error_messages={"invalid": gettext_lazy("日期格式不正确，应为 YYYY-MM-DD")})
    listed = forms.BooleanField(label=gettext_lazy("挂牌督办"), required=False,
                                help_text=gettext_lazy("挂牌的督办在督导看板（及今后的公开平台）上公示，办结时摘牌"))

    def __init__(self, *args, addressees=None, subjects=None, **kwargs):
        super().__init__(*args, **kwargs)
        if subjects is None:
            del self.fields["subject"]
            self.fields["addressee"].choices = [(o.pk, o.name) for o in addressees]
            self.fields["addressee"].required = True
        else:
            self.fields["subject"].queryset = subjects
            self.fields["subject"].required = True
            del self.fields["addressee"]


class ReplyForm(forms.Form):
    measures = forms.CharField(label=gettext_lazy("整改措施及成效"), max_length=MEASURES_MAX,
                               widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleFileField(label=gettext_lazy("证明材料"), required=False,
                              help_text=gettext_lazy("现场照片、文件等，可多选"))


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False,
                               choices=[("", gettext_lazy("全部")), (OPEN_FILTER, gettext_lazy("未办结"))]
                               + list(OrderStatus.choices))
    overdue = forms.ChoiceField(label=gettext_lazy("逾期"), required=False, choices=[
        ("", gettext_lazy("全部")), ("1", gettext_lazy("已逾期")), ("0", gettext_lazy("未逾期"))])
    listed = forms.ChoiceField(label=gettext_lazy("挂牌"), required=False, choices=[
        ("", gettext_lazy("全部")), ("1", gettext_lazy("挂牌督办")), ("0", gettext_lazy("一般督办"))])
