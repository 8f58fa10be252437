"""The change log's labels of the administrators' actions (each declared once)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "org_create": _("新建单位"),
    "org_update": _("修改单位"),
    "org_disable": _("停用单位"),
    "org_enable": _("启用单位"),
    "user_create": _("新建用户"),
    "user_update": _("修改用户"),
    "user_disable": _("停用用户"),
    "user_enable": _("启用用户"),
    "user_roles": _("分配角色"),
    "password_reset": _("重置密码"),
    "user_unlock": _("解锁账户"),
    "password_change": _("修改本人密码"),
    "policy_update": _("修改安全策略"),
}
KEYS = {
    "username": _("登录名"),
    "full_name": _("姓名"),
    "phone": _("手机"),
    "email": _("邮箱"),
    "is_active": _("启用"),
    "roles": _("角色"),
    "must_change": _("须修改密码"),
    "password_changed_at": _("密码设置时间"),
    "locked": _("锁定"),
    "kind": _("类型"),
    "region": _("所在地区"),
    "department": _("行业"),
    "uscc": _("统一社会信用代码"),
    "active": _("启用"),
    "name": _("名称"),
    "min_length": _("密码最短长度"),
    "min_classes": _("字符类别数"),
    "expiry_days": _("密码有效期"),
    "history": _("历史密码检查次数"),
    "failure_limit": _("锁定次数"),
    "lockout_minutes": _("锁定时长"),
    "idle_minutes": _("自动退出时间"),
    "two_factor_roles": _("须双因素认证的角色"),
}
