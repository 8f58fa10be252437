"""Every write of the three administrators (三员分立), each with its change-log entry in the same transaction:
the system administrator's organisations and users, the security administrator's policy, and every user's own
password change. Keyword-only, the actor explicit; a refusal is a ServiceError naming the field."""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts.models import Organization, OrgKind, Role, RoleAssignment, User
from halfbuilt.audit.services import record_change
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor

from . import policy, state
from .models import Credential, SecurityPolicy

ADMIN_ROLES = (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR)
# The kind of organisation each role is held for (a unit's role for a unit, a department's for a department …).
ROLE_ORG_KIND = {
    Role.OFFICE: OrgKind.OFFICE, Role.DEPARTMENT: OrgKind.DEPARTMENT, Role.REGION: OrgKind.GOVERNMENT,
    Role.UNIT: OrgKind.UNIT, Role.SYSADMIN: OrgKind.ADMIN, Role.SECADMIN: OrgKind.ADMIN, Role.AUDITOR: OrgKind.ADMIN,
}
Assignment = tuple[str, Organization]


# ---- organisations --------------------------------------------------------------------------------------------

def org_snapshot(org: Organization) -> dict:
    return {"name": org.name, "kind": org.kind, "region": org.region_id, "department": org.department_id or "",
            "uscc": org.uscc, "active": org.active}


def _check_org(org: Organization) -> None:
    if org.kind == OrgKind.DEPARTMENT and not org.department_id:
        raise ServiceError(_("行业主管部门须选择所属行业"), field="department")
    if org.kind != OrgKind.DEPARTMENT and org.department_id:
        raise ServiceError(_("只有行业主管部门才选择所属行业"), field="department")
    clash = Organization.objects.filter(name=org.name, region_id=org.region_id).exclude(pk=org.pk)
    if clash.exists():
        raise ServiceError(_("该地区已有同名单位“{name}”").format(name=org.name), field="name")


@transaction.atomic
def create_organization(*, actor: Actor, name: str, kind: str, region, department=None,
                        uscc: str = "") -> Organization:
    org = Organization(name=name.strip(), kind=kind, region=region, department=department, uscc=uscc.strip())
    _check_org(org)
    org.save()
    record_change(actor=actor, action="org_create", obj=org, before=None, after=org_snapshot(org))
    return org


@transaction.atomic
def update_organization(*, actor: Actor, org: Organization, name: str, kind: str, region, department=None,
                        uscc: str = "") -> Organization:
    org = Organization.objects.select_for_update().get(pk=org.pk)
    before = org_snapshot(org)
    if kind != org.kind and org.role_assignments.exists():
        raise ServiceError(_("该单位已有用户，不能改变单位类型"), field="kind")
    org.name, org.kind, org.region, org.department, org.uscc = name.strip(), kind, region, department, uscc.strip()
    _check_org(org)
    org.save()
    record_change(actor=actor, action="org_update", obj=org, before=before, after=org_snapshot(org))
    return org


@transaction.atomic
def set_organization_active(*, actor: Actor, org: Organization, active: bool, reason: str = "") -> Organization:
    """Disable (never delete: its users and projects keep it) or enable again. A disabled organisation gets no
    new users; its users keep their accounts until the administrator disables them too."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    if org.active == active:
        return org
    if not active and org.kind in (OrgKind.OFFICE, OrgKind.ADMIN):
        raise ServiceError(_("领导小组办公室和系统管理单位不能停用"))
    before = org_snapshot(org)
    org.active = active
    org.save(update_fields=["active"])
    record_change(actor=actor, action="org_enable" if active else "org_disable", obj=org, before=before,
                  after=org_snapshot(org), reason=reason)
    return org


# ---- users ----------------------------------------------------------------------------------------------------

def user_snapshot(user: User) -> dict:
    roles = sorted(f"{a.role}@{a.organization_id}" for a in user.role_assignments.all())
    credential = Credential.objects.filter(user=user).first()
    return {"username": user.username, "full_name": user.first_name, "phone": user.phone, "email": user.email,
            "is_active": user.is_active, "roles": roles, "must_change": bool(credential and credential.must_change)}


def _not_self(actor: Actor, user: User) -> None:
    # Nobody administers their own account (三员分立): another administrator does, and the auditor sees it.
    if actor.user is not None and actor.user.pk == user.pk:
        raise NotAllowed(_("不能管理本人的账户；本人密码请在“修改密码”中修改"))
    # Nor the other administrators': a system administrator who set the auditor's password could review
    # themselves. The three accounts are opened on the server at installation (docs/deploy.md).
    if user.role_assignments.filter(role__in=ADMIN_ROLES).exists():
        raise NotAllowed(ADMIN_ACCOUNTS_ELSEWHERE)


ADMIN_ACCOUNTS_ELSEWHERE = gettext_lazy("三员分立：系统管理员、安全管理员、安全审计员的账户不在页面上开设或管理，"
                                    "由部署时在服务器上用命令开设（见部署文档）")


def check_assignments(assignments: Iterable[Assignment]) -> list[Assignment]:
    """The roles a user is to hold: at least one; each for an enabled organisation of the role's kind; none of
    the three administrators' (三员分立: those accounts are opened on the server)."""
    chosen = list(dict.fromkeys((str(role), org) for role, org in assignments))
    if not chosen:
        raise ServiceError(_("请至少分配一个角色"), field="roles")
    for role, org in chosen:
        if ROLE_ORG_KIND[role] != org.kind:
            raise ServiceError(_("角色“{role}”须属于{kind}类单位，“{org}”是{actual}").format(
                role=Role(role).label, kind=OrgKind(ROLE_ORG_KIND[role]).label, org=org.name,
                actual=OrgKind(org.kind).label), field="roles")
        if not org.active:
            raise ServiceError(_("单位“{org}”已停用，不能分配角色").format(org=org.name), field="roles")
    if any(role in ADMIN_ROLES for role, _org in chosen):
        raise ServiceError(ADMIN_ACCOUNTS_ELSEWHERE, field="roles")
    return chosen


def temporary_password() -> str:
    """A one-time password that passes the policy: every character class, longer than the minimum."""
    length = max(12, policy.current().min_length + 2)
    pools = ("abcdefghjkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "#@%+=")
    chars = [secrets.choice(pool) for pool in pools]
    chars += [secrets.choice("".join(pools)) for _i in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _validated(password: str, user: User, field: str = "password") -> str:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages), field=field) from exc
    return password


def _set_password(user: User, password: str, *, must_change: bool) -> None:
    user.set_password(password)
    user.save()  # the signal records the time and the hash (signals.py)
    Credential.objects.filter(user=user).update(must_change=must_change)


@transaction.atomic
def create_user(*, actor: Actor, username: str, full_name: str, assignments: Iterable[Assignment],
                phone: str = "", email: str = "", password: str = "") -> tuple[User, str]:
    """A new account with its roles; its password (given, or a temporary one, returned) must be changed at the
    first sign-in."""
    username = username.strip()
    if not username:
        raise ServiceError(_("请填写登录名"), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(_("登录名“{username}”已被使用").format(username=username), field="username")
    if not full_name.strip():
        raise ServiceError(_("请填写姓名"), field="full_name")
    chosen = check_assignments(assignments)
    user = User(username=username, first_name=full_name.strip(), phone=phone.strip(), email=email.strip())
    password = _validated(password, user) if password else temporary_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ServiceError(_("登录名“{username}”已被使用").format(username=username), field="username") from exc
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=r, organization=o) for r, o in chosen)
    _set_password(user, password, must_change=True)
    record_change(actor=actor, action="user_create", obj=user, before=None, after=user_snapshot(user))
    return user, password


def _locked_user(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


@transaction.atomic
def update_user(*, actor: Actor, user: User, full_name: str, phone: str = "", email: str = "") -> User:
    _not_self(actor, user)
    user = _locked_user(user)
    before = user_snapshot(user)
    if not full_name.strip():
        raise ServiceError(_("请填写姓名"), field="full_name")
    user.first_name, user.phone, user.email = full_name.strip(), phone.strip(), email.strip()
    user.save(update_fields=["first_name", "phone", "email"])
    record_change(actor=actor, action="user_update", obj=user, before=before, after=user_snapshot(user))
    return user


@transaction.atomic
def set_roles(*, actor: Actor, user: User, assignments: Iterable[Assignment]) -> User:
    _not_self(actor, user)
    user = _locked_user(user)
    chosen = check_assignments(assignments)
    before = user_snapshot(user)
    keep = set()
    for role, org in chosen:
        made, _created = RoleAssignment.objects.get_or_create(user=user, role=role, organization=org)
        keep.add(made.pk)
    user.role_assignments.exclude(pk__in=keep).delete()
    record_change(actor=actor, action="user_roles", obj=user, before=before, after=user_snapshot(user))
    return user


@transaction.atomic
def set_user_active(*, actor: Actor, user: User, active: bool, reason: str = "") -> User:
    """A disabled account cannot sign in, its sessions end at their next request and its API tokens are refused
    (api/auth.py checks `is_active`)."""
    _not_self(actor, user)
    user = _locked_user(user)
    if user.is_active == active:
        return user
    before = user_snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    record_change(actor=actor, action="user_enable" if active else "user_disable", obj=user, before=before,
                  after=user_snapshot(user), reason=reason)
    return user


@transaction.atomic
def reset_password(*, actor: Actor, user: User, password: str = "") -> str:
    """Set a temporary password (the one given, or a random one returned to be shown once); the user must change
    it at the next sign-in. Unlocks the account too: the user was told to come back with this password."""
    _not_self(actor, user)
    user = _locked_user(user)
    password = _validated(password, user) if password else temporary_password()
    before = _password_state(user)
    _set_password(user, password, must_change=True)
    _clear_lockout(user.username)
    record_change(actor=actor, action="password_reset", obj=user, before=before, after=_password_state(user))
    return password


def _password_state(user: User) -> dict:
    """What the change log says of a password: when it was set and whether it must be changed (never a hash)."""
    credential = Credential.objects.filter(user=user).first()
    return {"password_changed_at": credential.changed_at if credential else None,
            "must_change": bool(credential and credential.must_change)}


def _clear_lockout(username: str) -> int:
    from axes.utils import reset

    return reset(username=username)


@transaction.atomic
def unlock(*, actor: Actor, user: User) -> int:
    """Clear the failed sign-ins that locked the account (any account but one's own: it grants nothing, and a
    locked-out administrator would otherwise wait out the cool-off); returns how many attempts were cleared."""
    if actor.user is not None and actor.user.pk == user.pk:
        raise NotAllowed(_("不能管理本人的账户；本人密码请在“修改密码”中修改"))
    was_locked = state.is_locked(user.username)
    cleared = _clear_lockout(user.username)
    record_change(actor=actor, action="user_unlock", obj=user, before={"locked": was_locked},
                  after={"locked": False})
    return cleared


@transaction.atomic
def change_own_password(*, actor: Actor, old_password: str, new_password: str) -> None:
    """The signed-in user's own change: the old password first, then the policy's rules (history included)."""
    user = _locked_user(actor.user)
    if not user.check_password(old_password):
        raise ServiceError(_("原密码不正确"), field="old_password")
    if old_password == new_password:
        raise ServiceError(_("新密码不能与原密码相同"), field="new_password1")
    _validated(new_password, user, field="new_password1")
    before = _password_state(user)
    _set_password(user, new_password, must_change=False)
    record_change(actor=actor, action="password_change", obj=user, before=before, after=_password_state(user))


# ---- the security policy --------------------------------------------------------------------------------------

POLICY_FIELDS = ("min_length", "min_classes", "expiry_days", "history", "failure_limit", "lockout_minutes",
                 "idle_minutes", "two_factor_roles", "admin_networks")


def policy_snapshot(row: SecurityPolicy) -> dict:
    return {name: getattr(row, name) for name in POLICY_FIELDS}


@transaction.atomic
def update_policy(*, actor: Actor, **values) -> SecurityPolicy:
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise ValueError(f"unknown policy fields {sorted(unknown)}")
    row = SecurityPolicy.objects.select_for_update().filter(pk=policy.POLICY_PK).first()
    before = policy_snapshot(row) if row else policy.defaults()
    row = row or SecurityPolicy(pk=policy.POLICY_PK, **policy.defaults())
    for name, value in values.items():
        setattr(row, name, value)
    if not 6 <= row.min_length <= 64:
        raise ServiceError(_("密码最短长度应在 6 至 64 之间"), field="min_length")
    if not 1 <= row.min_classes <= 4:
        raise ServiceError(_("字符类别数应在 1 至 4 之间"), field="min_classes")
    if row.history > 12:
        raise ServiceError(_("最多检查最近 12 次密码"), field="history")
    if not 1 <= row.failure_limit <= 100:
        raise ServiceError(_("锁定次数应在 1 至 100 之间"), field="failure_limit")
    if not 1 <= row.idle_minutes <= 24 * 60:
        raise ServiceError(_("自动退出时间应在 1 至 1440 分钟之间"), field="idle_minutes")
    unknown_roles = set(row.two_factor_roles) - set(Role.values)
    if unknown_roles:
        raise ServiceError(_("未知的角色"), field="two_factor_roles")
    for network in row.admin_networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError as exc:
            raise ServiceError(_("“{network}”不是有效的网络地址（如 10.1.0.0/16）").format(network=network[:50]),
                               field="admin_networks") from exc
    row.save()
    record_change(actor=actor, action="policy_update", obj=row, before=before, after=policy_snapshot(row))
    return row
