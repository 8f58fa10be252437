"""The public tip-off form and the moderators' forms (the services check again and word the messages)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from halfbuilt.closure.forms import MultipleFileField
from halfbuilt.ledger.models import Kind
from halfbuilt.regions.models import Category, Department, Region, RegionLevel

from .services import LIMITS


def county_choices() -> list[tuple[str, str]]:
    counties = Region.objects.filter(level=RegionLevel.COUNTY).select_related("parent").order_by("code")
    return [("", _("请选择")), *((r.code, r.full_name) for r in counties)]


class ReportForm(forms.Form):
    what = forms.CharField(label=_("工程名称或描述"), max_length=LIMITS["what"],
                           help_text=_("例如：某某小学教学楼（停工多年）"))
    region = forms.ChoiceField(label=_("所在旗县（市、区）"))
    address = forms.CharField(label=_("详细地址"), max_length=LIMITS["address"], required=False)
    latitude = forms.CharField(label=_("纬度"), required=False, max_length=20,
                               help_text=_("可选：在地图上选点或填写，如 40.65"))
    longitude = forms.CharField(label=_("经度"), required=False, max_length=20, help_text=_("可选，如 109.84"))
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices, widget=forms.RadioSelect)
    description = forms.CharField(label=_("情况描述"), max_length=LIMITS["description"],
                                  widget=forms.Textarea(attrs={"rows": 6}))
    photos = MultipleFileField(label=_("照片"), required=False)
    reporter_name = forms.CharField(label=_("姓名（选填）"), max_length=LIMITS["reporter_name"], required=False,
                                    help_text=_("只有处理线索的工作人员能看到"))
    reporter_phone = forms.CharField(label=_("联系电话（选填）"), max_length=LIMITS["reporter_phone"],
                                     required=False, help_text=_("只有处理线索的工作人员能看到"))
    captcha = forms.CharField(label=_("验证问题"), max_length=8,
                              widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    project = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = county_choices()
        self.fields["photos"].widget.attrs["accept"] = "image/jpeg,image/png"


class AcceptForm(forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=200)
    category = forms.ModelChoiceField(label=_("项目类别"), queryset=Category.objects.order_by("code"))
    department = forms.ModelChoiceField(label=_("行业主管部门"), queryset=Department.objects.order_by("code"),
                                        required=False)
    answer = forms.CharField(label=_("公开答复"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class LinkForm(forms.Form):
    project = forms.IntegerField(label=_("项目编号"), min_value=1)
    answer = forms.CharField(label=_("公开答复"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
