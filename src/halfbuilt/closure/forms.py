"""Forms of the closure pages. They only shape input; the rules live in `services`."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.files.models import Attachment

from .models import Outcome


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern for `multiple`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class AttachmentChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Attachment) -> str:
        return f"{obj.original_name}（{obj.get_kind_display()}，{obj.uploaded_at:%Y-%m-%d}）"


class ClosureRequestForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("处置结果"), choices=Outcome.choices, widget=forms.RadioSelect)
    outcome_date = forms.DateField(
        label=gettext_lazy("完成日期"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("投入使用、拆除完毕或移交的日期，不能晚于今天"),
        error_messages={"invalid": gettext_lazy("日期格式不正确，应为 YYYY-MM-DD")},
    )
    description = forms.CharField(
        label=gettext_lazy("情况说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("处置经过、现状及使用情况"),
    )
    files = MultipleFileField(
        label=gettext_lazy("上传证明材料"), required=False,
        help_text=format_lazy(
            gettext_lazy("验收证书、现场照片等，可多选；每个文件不超过 {limit} MB"),
            limit=settings.ATTACHMENT_MAX_MB,
        ),
    )
    existing = AttachmentChoice(
        label=gettext_lazy("选用已上传的附件"), queryset=Attachment.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["existing"].queryset = Attachment.objects.filter(project=project)
        self.fields["outcome_date"].widget.attrs["max"] = timezone.localdate().isoformat()
        if not self.fields["existing"].queryset.exists():
            del self.fields["existing"]

    def clean(self):
        data = super().clean()
        if not data.get("files") and not data.get("existing") and "files" not in self.errors:
            self.add_error("files", _("请上传至少一份证明材料（验收证书、现场照片等）"))
        return data


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
    )


class DrawForm(forms.Form):
    share = forms.CharField(
        label=gettext_lazy("抽取比例"), max_length=12,
        help_text=gettext_lazy("如 10%（也可写作 0.1）；不足一个按一个计，向上取整"),
    )
    note = forms.CharField(
        label=gettext_lazy("说明"), max_length=200, required=False, help_text=gettext_lazy("如“2023 年第一批回头看”"),
    )


class CheckForm(forms.Form):
    result = forms.ChoiceField(
        label=gettext_lazy("核查结果"),
        choices=[("passed", gettext_lazy("通过")), ("failed", gettext_lazy("未通过（重新打开项目）"))],
        widget=forms.RadioSelect,
    )
    finding = forms.CharField(
        label=gettext_lazy("发现问题"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("未通过时必填，将记入项目并显示在项目页"),
    )
