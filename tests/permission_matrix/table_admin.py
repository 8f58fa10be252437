"""The administration rows of the permission table (imported at the end of table.py): 三员分立.

Only the system administrator reaches users and organisations; only the security administrator the security
policy and the security events; the auditor reads the audit pages (table.py) and changes nothing here; project
roles reach none of these. Everyone signed in changes their own password.
"""

from __future__ import annotations

from .grid import NONE, State
from .table import row


def _target(world):
    """An account and an organisation to administer (a unit's clerk in Donghe), made fresh for each cell."""
    from halfbuilt.accounts.models import Organization, OrgKind, RoleAssignment, User

    org = Organization.objects.create(name="东河区矩阵小学", kind=OrgKind.UNIT, region_id="150202")
    user = User.objects.create_user("matrix_clerk", password="Matrix#2026x", first_name="矩阵办事员")
    RoleAssignment.objects.create(user=user, role="unit", organization=org)
    return {NONE: {"user": user.pk, "org": org.pk, "unit_org": world.orgs["unit"].pk}}


TARGET = State("an account and an organisation to administer", _target, kinds=(NONE,))


def _logged(action: str, object_id: str | None = "{user}"):
    """Whether the change log has the action's entry (on the object, when it names one)."""
    def effect(ids) -> bool:
        from halfbuilt.audit.models import ChangeLog

        entries = ChangeLog.objects.filter(action=action)
        return (entries if object_id is None else entries.filter(object_id=object_id.format(**ids))).exists()

    return effect


def _user_exists(ids) -> bool:
    from halfbuilt.accounts.models import User

    return User.objects.filter(username="matrix_new").exists()


def _org_exists(ids) -> bool:
    from halfbuilt.accounts.models import Organization

    return Organization.objects.filter(name="东河区矩阵新单位").exists()


def _policy_saved(ids) -> bool:
    from halfbuilt.administration.models import SecurityPolicy

    return SecurityPolicy.objects.filter(min_length=10).exists()


POLICY_FORM = {"min_length": "10", "min_classes": "3", "history": "5", "expiry_days": "90", "failure_limit": "5",
               "lockout_minutes": "30", "idle_minutes": "30"}
ADMIN_ONLY = "403 403 403 403 403 403 403 200 403 403 login"
SECADMIN_ONLY = "403 403 403 403 403 403 403 403 200 403 login"

# ==== users (系统管理员) ======
#                                 office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("administration/users/", "GET", "/administration/users/", state=TARGET,
    rule="the user list is the system administrator's alone (三员分立: not the security administrator's nor the "
         "auditor's, no project role's)", none=ADMIN_ONLY)
row("administration/users/new/", "GET", "/administration/users/new/", rule="only the system administrator opens "
    "accounts", none=ADMIN_ONLY)
row("administration/users/new/", "POST", "/administration/users/new/", state=TARGET,
    data=lambda ids: {"full_name": "新用户", "username": "matrix_new", "role_1": "unit", "org_1": ids["unit_org"]},
    effect=_user_exists, rule="only the system administrator opens accounts (the temporary password is shown)",
    none="403 403 403 403 403 403 403 200+ 403 403 login")
row("administration/users/<int:pk>/", "GET", "/administration/users/{user}/", state=TARGET,
    rule="an account's page is the system administrator's", none=ADMIN_ONLY)
row("administration/users/<int:pk>/", "POST", "/administration/users/{user}/", state=TARGET,
    data={"full_name": "改名后", "phone": "13800000000"}, effect=_logged("user_update"),
    redirect="/administration/users/{user}/", rule="only the system administrator edits an account",
    none="403 403 403 403 403 403 403 302+ 403 403 login")
row("administration/users/<int:pk>/roles/", "POST", "/administration/users/{user}/roles/", state=TARGET,
    data=lambda ids: {"role_1": "unit", "org_1": ids["unit_org"]}, effect=_logged("user_roles"),
    redirect="/administration/users/{user}/", rule="only the system administrator assigns roles",
    none="403 403 403 403 403 403 403 302+ 403 403 login")
row("administration/users/<int:pk>/active/", "POST", "/administration/users/{user}/active/", state=TARGET,
    data={"active": "0", "reason": "调离"}, effect=_logged("user_disable"),
    redirect="/administration/users/{user}/", rule="only the system administrator disables an account",
    none="403 403 403 403 403 403 403 302+ 403 403 login")
row("administration/users/<int:pk>/reset/", "POST", "/administration/users/{user}/reset/", state=TARGET,
    data={"password": ""}, effect=_logged("password_reset"),
    rule="only the system administrator resets a password (the temporary one is shown on the answer)",
    none="403 403 403 403 403 403 403 200+ 403 403 login")
row("administration/users/<int:pk>/unlock/", "POST", "/administration/users/{user}/unlock/", state=TARGET,
    effect=_logged("user_unlock"), redirect="/administration/users/{user}/",
    rule="only the system administrator unlocks an account", none="403 403 403 403 403 403 403 302+ 403 403 login")

# ==== the user import ======
row("administration/users/import/", "GET", "/administration/users/import/", rule="only the system administrator "
    "imports users", none=ADMIN_ONLY)
row("administration/users/import/", "POST", "/administration/users/import/", state=TARGET, data=lambda ids: {
    "file": _contacts()}, effect=_user_exists, rule="the preview checks and writes nothing, for the system "
    "administrator only", none="403 403 403 403 403 403 403 200 403 403 login")
row("administration/users/import/confirm/", "POST", "/administration/users/import/confirm/", state=TARGET,
    data={"token": "no-such-preview"}, effect=_user_exists, redirect="/administration/users/import/",
    rule="a confirmation without its preview writes nothing and says so; nobody else may confirm",
    none="403 403 403 403 403 403 403 302 403 403 login")
row("administration/users/import/template.xlsx", "GET", "/administration/users/import/template.xlsx",
    rule="the import template is the system administrator's", none=ADMIN_ONLY)

# ==== organisations ======
row("administration/orgs/", "GET", "/administration/orgs/", rule="the organisation list is the system "
    "administrator's", none=ADMIN_ONLY)
row("administration/orgs/new/", "GET", "/administration/orgs/new/", rule="only the system administrator creates "
    "organisations", none=ADMIN_ONLY)
row("administration/orgs/new/", "POST", "/administration/orgs/new/", state=TARGET,
    data={"name": "东河区矩阵新单位", "kind": "unit", "region": "150202"}, effect=_org_exists,
    redirect="/administration/orgs/", rule="only the system administrator creates organisations",
    none="403 403 403 403 403 403 403 302+ 403 403 login")
row("administration/orgs/<int:pk>/", "GET", "/administration/orgs/{org}/", state=TARGET,
    rule="an organisation's page is the system administrator's", none=ADMIN_ONLY)
row("administration/orgs/<int:pk>/", "POST", "/administration/orgs/{org}/", state=TARGET,
    data={"name": "东河区矩阵小学（改）", "kind": "unit", "region": "150202"}, effect=_logged("org_update", "{org}"),
    redirect="/administration/orgs/", rule="only the system administrator edits an organisation",
    none="403 403 403 403 403 403 403 302+ 403 403 login")
row("administration/orgs/<int:pk>/active/", "POST", "/administration/orgs/{org}/active/", state=TARGET,
    data={"active": "0"}, effect=_logged("org_disable", "{org}"), redirect="/administration/orgs/{org}/",
    rule="only the system administrator disables an organisation (never deletes it)",
    none="403 403 403 403 403 403 403 302+ 403 403 login")

# ==== the security policy (安全管理员) ======
row("administration/security/", "GET", "/administration/security/", rule="the security policy is the security "
    "administrator's alone (not the system administrator's, not the auditor's)", none=SECADMIN_ONLY)
row("administration/security/", "POST", "/administration/security/", data=POLICY_FORM, effect=_policy_saved,
    redirect="/administration/security/", rule="only the security administrator sets the policy",
    none="403 403 403 403 403 403 403 403 302+ 403 login")
row("administration/security/events/", "GET", "/administration/security/events/",
    rule="the sign-in and security events are the security administrator's page", none=SECADMIN_ONLY)
row("administration/security/two-factor/", "GET", "/administration/security/two-factor/",
    rule="who has an authenticator is the security administrator's page", none=SECADMIN_ONLY)
row("administration/security/two-factor/<int:pk>/reset/", "POST", "/administration/security/two-factor/{user}/reset/",
    state=TARGET, effect=_logged("two_factor_reset"), redirect="/administration/security/two-factor/",
    rule="only the security administrator resets a user's two-factor sign-in (a lost phone)",
    none="403 403 403 403 403 403 403 403 302+ 403 login")

# ==== the auditor's review of the administrators (安全审计员) ======
row("audit/", "GET", "/audit/?kind=admin", state=TARGET,
    rule="the administrators' actions (系统管理操作) are found in the auditor's change-log search, by nobody else",
    none="404 404 404 404 404 404 404 404 404 200 login")

# ==== one's own second factor ======
row("accounts/two-factor/enrol/", "GET", "/accounts/two-factor/enrol/",
    rule="everyone signed in may set up an authenticator for themselves (required of the policy's roles)",
    none="200 200 200 200 200 200 200 200 200 200 login")
row("accounts/two-factor/enrol/", "POST", "/accounts/two-factor/enrol/", data={"code": "000000"},
    effect=_logged("two_factor_enrol", None),
    rule="an enrolment needs a code of the new authenticator (the form says a wrong one is wrong)",
    none="200 200 200 200 200 200 200 200 200 200 login")
row("accounts/two-factor/", "GET", "/accounts/two-factor/", redirect="/",
    rule="the code page is only for a session that still owes a code; any other goes on to the home page",
    none="302 302 302 302 302 302 302 302 302 302 login")

# ==== one's own password ======
row("password/", "GET", "/password/", rule="everyone signed in changes their own password",
    none="200 200 200 200 200 200 200 200 200 200 login")
row("password/", "POST", "/password/", data={"old_password": "not-it", "new_password1": "Xinmima#2027",
                                            "new_password2": "Xinmima#2027"},
    effect=_logged("password_change", None),
    rule="a change needs the old password (the form says so); nobody changes another's password here",
    none="200 200 200 200 200 200 200 200 200 200 login")


def _contacts():
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "姓名,登录名,单位,单位所在地区代码,角色\n新用户,matrix_new,东河区第一中学,150202,责任单位\n"
    return SimpleUploadedFile("名单.csv", text.encode(), content_type="text/csv")
