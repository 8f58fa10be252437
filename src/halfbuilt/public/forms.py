"""The office's story form (the service checks again and says what is wrong, field by field)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import StoryKind
from .services import STORY_LIMITS


class StoryForm(forms.Form):
    kind = forms.ChoiceField(label=_("栏目"), choices=StoryKind.choices)
    # Required by the service, which words the message (core.inputs) the same for every caller.
    title = forms.CharField(label=_("标题"), max_length=STORY_LIMITS["title"], required=False)
    summary = forms.CharField(label=_("摘要"), max_length=STORY_LIMITS["summary"], required=False,
                              help_text=_("分享到微信等时显示的简介"))
    body = forms.CharField(label=_("正文"), max_length=STORY_LIMITS["body"], required=False,
                           widget=forms.Textarea(attrs={"rows": 12}))
    project = forms.IntegerField(label=_("相关项目编号"), required=False, min_value=1,
                                 help_text=_("盘活案例填写项目公开页面地址中的编号；照片须是该项目已公开的照片"))
    before_photo = forms.ChoiceField(label=_("处置前照片"), required=False)
    after_photo = forms.ChoiceField(label=_("处置后照片"), required=False)

    def __init__(self, *args, photos: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        # The photos already released to the portal (a story shows nothing that was not reviewed).
        choices = [("", _("（无）")), *photos]
        self.fields["before_photo"].choices = self.fields["after_photo"].choices = choices


class CaptionForm(forms.Form):
    caption = forms.CharField(label=_("说明"), max_length=200, required=False)
