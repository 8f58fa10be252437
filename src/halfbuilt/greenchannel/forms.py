"""Forms of the green-channel pages. They only shape input; the rules live in `services`."""

from django import forms
from django.utils.translation import gettext_lazy

from halfbuilt.closure.forms import MultipleFileField

from .services import NOTE_MAX, TEXT_MAX
from .states import ItemStatus

DATE_INVALID = {"invalid": gettext_lazy("日期格式不正确，应为 YYYY-MM-DD")}


class FileForm(forms.Form):
    procedures = forms.MultipleChoiceField(label=gettext_lazy("需要办理的手续"), widget=forms.CheckboxSelectMultiple,
                                           help_text=gettext_lazy("已按处置方案的待补手续预选；每项手续同时送达其审批部门"))
    note = forms.CharField(label=gettext_lazy("申请说明"), max_length=NOTE_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=gettext_lazy("申请材料"), required=False,
                              help_text=gettext_lazy("申请表、图纸、已有批复等，可多选"))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedures"].choices = choices


class CompleteForm(forms.Form):
    doc_no = forms.CharField(label=gettext_lazy("批准文号"), max_length=100)
    done_on = forms.DateField(label=gettext_lazy("办结日期"), widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages=DATE_INVALID)
    document = forms.FileField(label=gettext_lazy("批准文件"), required=False,
                               help_text=gettext_lazy("批复、许可证或验收意见的扫描件（PDF 或图片）"))


class RefuseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("不予办理理由"), max_length=TEXT_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label=gettext_lazy("法律依据"), max_length=300)


class SupplyForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("补正说明"), max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=gettext_lazy("补正材料"), required=False)


class ReviewForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("会议日期"), widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages=DATE_INVALID)
    attendees = forms.CharField(label=gettext_lazy("参会单位及人员"), max_length=TEXT_MAX,
                                widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[f"conclusion_{item.pk}"] = forms.CharField(
                label=gettext_lazy("会议结论：{name}（{authority}）").format(
                    name=item.procedure_type.name, authority=item.authority.name),
                required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))

    def conclusions(self) -> dict[int, str]:
        return {int(name.split("_", 1)[1]): value for name, value in self.cleaned_data.items()
                if name.startswith("conclusion_")}


class ProcedureForm(forms.Form):
    time_limit = forms.CharField(label=gettext_lazy("办理时限（工作日）"), max_length=10)
    active = forms.BooleanField(label=gettext_lazy("启用"), required=False)


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("事项状态"), required=False,
                               choices=[("", gettext_lazy("全部"))] + list(ItemStatus.choices))
    overdue = forms.ChoiceField(label=gettext_lazy("超期"), required=False,
                                choices=[("", gettext_lazy("全部")), ("1", gettext_lazy("已超期"))])
