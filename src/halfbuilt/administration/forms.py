"""The administration pages' forms: they check the shape of the input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts.models import Organization, OrgKind, Role
from halfbuilt.regions.models import Department, Region

from .models import SecurityPolicy

ROLE_ROWS = 3  # role + organisation pairs on a form: a user rarely holds more
ADMIN_ROLES = {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}  # opened on the server, not in these pages


def region_choices() -> list[tuple[str, str]]:
    return [(r.code, f"{r.full_name}（{r.code}）") for r in Region.objects.select_related("parent").order_by("code")]


def org_choices() -> list[tuple[str, str]]:
    orgs = Organization.objects.filter(active=True).select_related("region").order_by("kind", "region_id", "name")
    return [("", _("（不选）"))] + [(str(o.pk), f"{o.name}（{o.get_kind_display()}）") for o in orgs]


class OrganizationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=OrgKind.choices)
    region = forms.ChoiceField(label=gettext_lazy("所在地区"))
    department = forms.ModelChoiceField(
        label=gettext_lazy("行业"), queryset=Department.objects.order_by("code"), required=False,
        help_text=gettext_lazy("行业主管部门必选（如教育厅、盟市教育局选“教育”行业），其他类型不选"),
        error_messages={"invalid_choice": gettext_lazy("请从列表中选择行业")})
    uscc = forms.CharField(label=gettext_lazy("统一社会信用代码"), max_length=18, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()

    def clean_region(self) -> Region:
        return Region.objects.get(code=self.cleaned_data["region"])


class OrganizationFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("名称"), required=False, max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("类型"), required=False,
                             choices=[("", gettext_lazy("全部"))] + list(OrgKind.choices))
    region = forms.CharField(label=gettext_lazy("地区代码"), required=False, max_length=6,
                             help_text=gettext_lazy("盟市代码含其旗县"))
    active = forms.ChoiceField(label=gettext_lazy("状态"), required=False, choices=[
        ("", gettext_lazy("全部")), ("1", gettext_lazy("启用")), ("0", gettext_lazy("已停用"))])


USER_STATES = [("", gettext_lazy("全部")), ("active", gettext_lazy("启用")), ("disabled", gettext_lazy("已停用")),
               ("locked", gettext_lazy("已锁定")), ("must_change", gettext_lazy("须修改密码"))]


class UserFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("姓名或登录名"), required=False, max_length=150)
    org = forms.CharField(label=gettext_lazy("单位"), required=False, max_length=100)
    role = forms.ChoiceField(label=gettext_lazy("角色"), required=False,
                             choices=[("", gettext_lazy("全部"))] + list(Role.choices))
    state = forms.ChoiceField(label=gettext_lazy("状态"), required=False, choices=USER_STATES)


class RolesForm(forms.Form):
    """Up to ROLE_ROWS pairs of a role and the organisation it is held for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = org_choices()
        for n in range(1, ROLE_ROWS + 1):
            self.fields[f"role_{n}"] = forms.ChoiceField(
                label=_("角色 {n}").format(n=n), required=False,
                choices=[("", _("（不选）"))] + [c for c in Role.choices if c[0] not in ADMIN_ROLES])
            self.fields[f"org_{n}"] = forms.ChoiceField(label=_("所属单位 {n}").format(n=n), required=False,
                                                        choices=orgs)

    def role_pairs(self):
        return [(self[f"role_{n}"], self[f"org_{n}"]) for n in range(1, ROLE_ROWS + 1)]

    def clean(self):
        data = super().clean()
        pairs = []
        for n in range(1, ROLE_ROWS + 1):
            role, org = data.get(f"role_{n}"), data.get(f"org_{n}")
            if role and not org:
                self.add_error(f"org_{n}", _("请选择角色 {n} 的所属单位").format(n=n))
            elif org and not role:
                self.add_error(f"role_{n}", _("请选择所属单位 {n} 的角色").format(n=n))
            elif role and org:
                pairs.append((role, Organization.objects.get(pk=org)))
        if not pairs and not self.errors:
            self.add_error("role_1", _("请至少分配一个角色"))
        data["assignments"] = pairs
        return data

    @staticmethod
    def initial_for(user) -> dict:
        initial = {}
        for n, a in enumerate(user.role_assignments.order_by("id")[:ROLE_ROWS], start=1):
            initial[f"role_{n}"], initial[f"org_{n}"] = a.role, str(a.organization_id)
        return initial


class UserForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("姓名"), max_length=150)
    phone = forms.RegexField(label=gettext_lazy("手机"), regex=r"^1\d{10}$", required=False,
                             error_messages={"invalid": gettext_lazy("手机号应为 11 位数字")})
    email = forms.EmailField(label=gettext_lazy("邮箱"), required=False,
                             error_messages={"invalid": gettext_lazy("邮箱格式不正确")})


class NewUserForm(UserForm, RolesForm):
    username = forms.RegexField(label=gettext_lazy("登录名"), max_length=150, regex=r"^[\w.@+-]+\Z",
                                help_text=gettext_lazy("字母、数字和 @.+-_；登录后不能修改"),
                                error_messages={"invalid": gettext_lazy("登录名只能包含字母、数字和 @.+-_")})
    field_order = ["full_name", "username", "phone", "email"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("理由"), max_length=500, required=False)


class ResetForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("指定临时密码"), required=False, max_length=128, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("留空则由系统生成一次性临时密码（只显示一次）"))


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=gettext_lazy("原密码"), strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password1 = forms.CharField(label=gettext_lazy("新密码"), strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label=gettext_lazy("再次输入新密码"), strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password2") and data["new_password1"] != data["new_password2"]:
            self.add_error("new_password2", _("两次输入的新密码不一致"))
        return data


class PolicyForm(forms.ModelForm):
    two_factor_roles = forms.MultipleChoiceField(
        label=gettext_lazy("须双因素认证的角色"), required=False, choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("这些角色的用户登录时除密码外须输入验证器上的动态口令；尚未绑定验证器的，下次登录时须先绑定"))

    admin_networks = forms.CharField(
        label=gettext_lazy("管理员允许登录的网络"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "每行一个网络（如 10.1.0.0/16）或地址；系统管理员、安全管理员、安全审计员只能从这些网络登录。为空表示不限"))

    class Meta:
        model = SecurityPolicy
        fields = ["min_length", "min_classes", "history", "expiry_days", "failure_limit", "lockout_minutes",
                  "idle_minutes", "two_factor_roles", "admin_networks"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["admin_networks"] = "\n".join(self.instance.admin_networks or [])

    def clean_admin_networks(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["admin_networks"].splitlines() if line.strip()]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("用户名单文件"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
        error_messages={"required": gettext_lazy("请选择要上传的文件"), "empty": gettext_lazy("上传的文件是空的")},
        help_text=gettext_lazy("支持 .xlsx、.xls、.csv；列：姓名、登录名、单位、单位所在地区代码、角色、手机、邮箱"))


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("动态口令"), max_length=32, strip=True,
        help_text=gettext_lazy("验证器上当前显示的 6 位数字；手机丢失时可输入一个恢复码"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "autofocus": True}))


class TwoFactorUserFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("姓名或登录名"), required=False, max_length=150)
    enrolled = forms.ChoiceField(label=gettext_lazy("双因素认证"), required=False, choices=[
        ("", gettext_lazy("全部")), ("1", gettext_lazy("已启用")), ("0", gettext_lazy("未启用"))])
