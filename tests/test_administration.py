"""Account administration (三员分立): the system administrator's users and organisations, the security
administrator's policy, every user's own password; each write in the change log."""

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from halfbuilt.accounts import services as account_services
from halfbuilt.accounts.models import OrgKind, Role, User
from halfbuilt.administration import policy, services
from halfbuilt.administration.models import Credential
from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.request_context import Actor

from .conftest import PASSWORD

LOGIN = "/accounts/login/"
NEW_PASSWORD = "Xinmima#2027"


def signed_in(username: str, password: str = PASSWORD) -> tuple[Client, object]:
    client = Client()
    return client, client.post(LOGIN, {"username": username, "password": password})


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def sysadmin(users):
    return Actor(users["sysadmin"], "10.0.0.1")


def new_unit_user(sysadmin, orgs, username="zhangwei"):
    return services.create_user(actor=sysadmin, username=username, full_name="张伟", phone="13800000000",
                                assignments=[(Role.UNIT, orgs["unit"])])


# ---- users ----------------------------------------------------------------------------------------------------

def test_a_new_user_holds_its_roles_and_its_creation_is_logged(sysadmin, orgs):
    user, password = new_unit_user(sysadmin, orgs)
    assert [(a.role, a.organization) for a in user.role_assignments.all()] == [(Role.UNIT, orgs["unit"])]
    assert user.check_password(password) and Credential.objects.get(user=user).must_change
    entry = ChangeLog.objects.get(action="user_create", object_id=str(user.pk))
    assert entry.username == "sysadmin" and entry.ip == "10.0.0.1"
    assert entry.after["roles"] == [f"unit@{orgs['unit'].pk}"] and "password" not in entry.after


def test_a_new_user_must_change_the_password_before_anything_else(sysadmin, orgs, projects):
    user, password = new_unit_user(sysadmin, orgs)
    client, response = signed_in("zhangwei", password)
    assert response.status_code == 302
    for page in ("/", "/ledger/", "/progress/"):
        refused = client.get(page)
        assert refused.status_code == 302 and refused["Location"] == "/password/?reason=reset", page
    assert client.get("/api/v1/projects").status_code == 403
    forced = client.get("/password/?reason=reset")
    assert "须先修改密码" in forced.content.decode() and forced.context["menu"] == []  # no menu to lead elsewhere
    done = client.post("/password/", {"old_password": password, "new_password1": NEW_PASSWORD,
                                      "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/"
    listing = client.get("/ledger/").content.decode()
    assert projects["in_scope"].name in listing and projects["elsewhere"].name not in listing
    assert ChangeLog.objects.filter(action="password_change", object_id=str(user.pk), username="zhangwei").exists()


def test_an_own_change_needs_the_old_password_and_a_new_one_not_used_lately(users):
    client = as_user(users["unit"])

    def change(old, new, again=None):
        return client.post("/password/", {"old_password": old, "new_password1": new,
                                          "new_password2": again or new})

    assert "原密码不正确" in change("Wrong#2026", NEW_PASSWORD).content.decode()
    assert "两次输入的新密码不一致" in change(PASSWORD, NEW_PASSWORD, "Other#20270").content.decode()
    assert "新密码不能与原密码相同" in change(PASSWORD, PASSWORD).content.decode()
    assert change(PASSWORD, NEW_PASSWORD).status_code == 302
    third = "Disanci#2028"
    assert change(NEW_PASSWORD, third).status_code == 302
    # Back to the first one: it is among the last 5.
    reused = change(third, PASSWORD)
    assert reused.status_code == 200 and "新密码不能与最近 5 次使用过的密码相同" in reused.content.decode()
    users["unit"].refresh_from_db()
    assert users["unit"].check_password(third)
    assert ChangeLog.objects.filter(action="password_change").count() == 2


def test_an_expired_password_forces_the_change_page(users):
    Credential.objects.filter(user=users["unit"]).update(changed_at=timezone.now() - dt.timedelta(days=91))
    client = as_user(users["unit"])
    response = client.get("/ledger/")
    assert response.status_code == 302 and response["Location"] == "/password/?reason=expired"
    assert "您的密码已过期" in client.get(response["Location"]).content.decode()
    services.update_policy(actor=Actor(users["secadmin"]), expiry_days=0)  # no expiry: nothing forced
    assert as_user(users["unit"]).get("/ledger/").status_code == 200  # at the next sign-in


def test_a_reset_password_is_shown_once_and_must_be_changed(users):
    client = as_user(users["sysadmin"])
    response = client.post(f"/administration/users/{users['unit'].pk}/reset/", {"password": ""})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    temporary = response.context["password"]
    assert temporary in response.content.decode()
    assert ChangeLog.objects.filter(action="password_reset", object_id=str(users["unit"].pk)).exists()
    unit, signed = signed_in("unit_school", temporary)
    assert signed.status_code == 302
    assert unit.get("/").status_code == 302 and unit.get("/").url.startswith("/password/")


def _lock(username: str) -> None:
    client = Client()
    for _ in range(policy.failure_limit()):
        client.post(LOGIN, {"username": username, "password": "wrong"})


def test_unlocking_lets_a_locked_user_in(users):
    _lock("unit_school")
    assert signed_in("unit_school")[1].status_code == 429
    admin = as_user(users["sysadmin"])
    page = admin.get(f"/administration/users/{users['unit'].pk}/").content.decode()
    assert "已锁定" in page and "解锁账户" in page
    assert "admin_locked" in admin.get("/").content.decode()
    assert admin.post(f"/administration/users/{users['unit'].pk}/unlock/").status_code == 302
    assert signed_in("unit_school")[1].status_code == 302
    entry = ChangeLog.objects.get(action="user_unlock")
    assert entry.before == {"locked": True} and entry.after == {"locked": False}


def test_a_disabled_user_cannot_sign_in_and_their_api_tokens_stop(users, projects):
    key = account_services.issue_token(actor=Actor(users["sysadmin"]), user=users["unit"])
    api = Client(headers={"authorization": f"Bearer {key}"})
    assert api.get("/api/v1/projects").status_code == 200
    session = as_user(users["unit"])
    admin = as_user(users["sysadmin"])
    response = admin.post(f"/administration/users/{users['unit'].pk}/active/", {"active": "0", "reason": "调离"})
    assert response.status_code == 302
    assert signed_in("unit_school")[1].status_code == 200  # the sign-in form again, with its error
    assert api.get("/api/v1/projects").status_code == 401
    assert session.get("/ledger/").status_code == 302  # the open session ends too
    entry = ChangeLog.objects.get(action="user_disable")
    assert entry.reason == "调离" and entry.after == {"is_active": False}


def test_nobody_administers_their_own_account(users):
    with pytest.raises(ServiceError, match="不能管理本人的账户"):
        services.set_user_active(actor=Actor(users["sysadmin"]), user=users["sysadmin"], active=False)
    with pytest.raises(ServiceError, match="不能管理本人的账户"):
        services.reset_password(actor=Actor(users["sysadmin"]), user=users["sysadmin"])


@pytest.mark.parametrize("other", ["secadmin", "auditor"])
def test_the_system_administrator_cannot_take_over_another_administrators_account(users, other):
    """Setting the auditor's password would let the system administrator review themselves."""
    actor = Actor(users["sysadmin"])
    for act in (lambda: services.reset_password(actor=actor, user=users[other]),
                lambda: services.set_user_active(actor=actor, user=users[other], active=False),
                lambda: services.update_user(actor=actor, user=users[other], full_name="改名")):
        with pytest.raises(ServiceError, match="三员分立"):
            act()
    refused = as_user(users["sysadmin"]).post(f"/administration/users/{users[other].pk}/reset/", {"password": ""})
    assert refused.status_code == 302 and not ChangeLog.objects.filter(action="password_reset").exists()
    services.unlock(actor=actor, user=users[other])  # unlocking grants nothing: allowed
    page = as_user(users["sysadmin"]).get(f"/administration/users/{users[other].pk}/").content.decode()
    assert "不在页面上开设或管理" in page and 'action="/administration/users/' not in page  # no form to use


def test_roles_go_with_their_kind_of_organisation_and_the_three_are_not_opened_here(sysadmin, orgs):
    with pytest.raises(ServiceError, match="须属于责任单位类单位") as caught:
        services.create_user(actor=sysadmin, username="x1", full_name="某人",
                             assignments=[(Role.UNIT, orgs["county"])])
    assert caught.value.field == "roles"
    with pytest.raises(ServiceError, match="三员分立：系统管理员、安全管理员、安全审计员的账户不在页面上开设"):
        services.create_user(actor=sysadmin, username="x2", full_name="某人",
                             assignments=[(Role.AUDITOR, orgs["admin"])])
    assert not User.objects.filter(username__in=["x1", "x2"]).exists()
    assert not ChangeLog.objects.filter(action="user_create").exists()


def test_the_user_form_names_each_bad_field(users, orgs):
    client = as_user(users["sysadmin"])
    response = client.post("/administration/users/new/", {
        "full_name": "", "username": "bad name", "phone": "123", "email": "nope", "role_1": "unit", "org_1": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"full_name", "username", "phone", "email", "org_1"}
    assert "手机号应为 11 位数字" in errors["phone"][0] and "请选择角色 1 的所属单位" in errors["org_1"][0]
    taken = client.post("/administration/users/new/", {
        "full_name": "重名", "username": "UNIT_SCHOOL", "role_1": "unit", "org_1": str(orgs["unit"].pk)})
    assert "登录名“UNIT_SCHOOL”已被使用" in taken.context["form"].errors["username"][0]


def test_the_user_list_filters_by_state(users, sysadmin):
    services.set_user_active(actor=sysadmin, user=users["county"], active=False)
    _lock("gov_baotou")
    client = as_user(users["sysadmin"])

    def listed(query):
        return {u.username for u in client.get(f"/administration/users/?{query}").context["page"].object_list}

    assert listed("state=disabled") == {"gov_donghe"}
    assert listed("state=locked") == {"gov_baotou"}
    assert listed("q=gov_&state=active") == {"gov_baotou"}
    assert listed("role=auditor") == {"auditor"}


# ---- organisations --------------------------------------------------------------------------------------------

def test_organisations_are_created_edited_and_disabled_never_deleted(sysadmin, orgs):
    from halfbuilt.regions.models import Region

    donghe = Region.objects.get(code="150202")
    org = services.create_organization(actor=sysadmin, name="东河区第二中学", kind=OrgKind.UNIT, region=donghe)
    with pytest.raises(ServiceError, match="已有同名单位"):
        services.create_organization(actor=sysadmin, name="东河区第二中学", kind=OrgKind.UNIT, region=donghe)
    with pytest.raises(ServiceError, match="须选择所属行业"):
        services.create_organization(actor=sysadmin, name="某局", kind=OrgKind.DEPARTMENT, region=donghe)
    services.update_organization(actor=sysadmin, org=org, name="东河区第二实验中学", kind=OrgKind.UNIT, region=donghe)
    services.set_organization_active(actor=sysadmin, org=org, active=False, reason="撤并")
    org.refresh_from_db()
    assert org.name == "东河区第二实验中学" and not org.active
    with pytest.raises(ServiceError, match="已停用"):
        services.create_user(actor=sysadmin, username="x3", full_name="某人", assignments=[(Role.UNIT, org)])
    with pytest.raises(ServiceError, match="不能改变单位类型"):
        services.update_organization(actor=sysadmin, org=orgs["unit"], name=orgs["unit"].name,
                                     kind=OrgKind.GOVERNMENT, region=orgs["unit"].region)
    actions = list(ChangeLog.objects.filter(object_type="organization").order_by("id").values_list("action", "after"))
    assert actions == [("org_create", {"name": "东河区第二中学", "kind": "unit", "region": "150202", "department": "",
                                       "uscc": "", "active": True}),
                       ("org_update", {"name": "东河区第二实验中学"}), ("org_disable", {"active": False})]


def test_the_organisation_list_searches_and_filters(users):
    client = as_user(users["sysadmin"])
    page = client.get("/administration/orgs/?q=东河&kind=government").context["page"]
    assert [o.name for o in page.object_list] == ["包头市东河区人民政府"]
    baotou = client.get("/administration/orgs/?region=150200&kind=department").context["page"]
    assert [o.name for o in baotou.object_list] == ["包头市教育局"]


# ---- the security policy --------------------------------------------------------------------------------------

def test_the_policy_page_changes_the_rules_at_once(users):
    client = as_user(users["secadmin"])
    form = {"min_length": "12", "min_classes": "4", "history": "3", "expiry_days": "60", "failure_limit": "3",
            "lockout_minutes": "10", "idle_minutes": "15", "two_factor_roles": ["sysadmin", "secadmin"]}
    assert client.post("/administration/security/", form).status_code == 302
    with pytest.raises(ValidationError, match="至少需要 12 个字符"):
        validate_password("Abcdef#1234")
    with pytest.raises(ValidationError, match="至少 4 类"):
        validate_password("abcdefgh123456")
    validate_password("Abcdefg#123456")
    locker = Client()
    for _ in range(2):
        assert locker.post(LOGIN, {"username": "unit_school", "password": "wrong"}).status_code == 200
    locked = locker.post(LOGIN, {"username": "unit_school", "password": "wrong"})
    assert locked.status_code == 429 and "连续 3 次登录失败" in locked.content.decode()
    assert "连续 3 次登录失败后，账户将被锁定 10 分钟" in Client().post(
        LOGIN, {"username": "gov_donghe", "password": "wrong"}).content.decode()
    entry = ChangeLog.objects.get(action="policy_update")
    assert entry.before["min_length"] == 8 and entry.after["min_length"] == 12
    assert entry.after["two_factor_roles"] == ["sysadmin", "secadmin"]


def test_the_policy_form_names_a_bad_value(users):
    client = as_user(users["secadmin"])
    response = client.post("/administration/security/", {
        "min_length": "3", "min_classes": "9", "history": "1", "expiry_days": "x", "failure_limit": "5",
        "lockout_minutes": "30", "idle_minutes": "30"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "expiry_days" in errors
    assert not ChangeLog.objects.filter(action="policy_update").exists()
    response = client.post("/administration/security/", {
        "min_length": "3", "min_classes": "3", "history": "1", "expiry_days": "0", "failure_limit": "5",
        "lockout_minutes": "30", "idle_minutes": "30"})
    assert "密码最短长度应在 6 至 64 之间" in response.context["form"].errors["min_length"][0]


# ---- the auditor reviews --------------------------------------------------------------------------------------

def test_the_auditor_finds_the_admin_actions_and_not_their_own(users, sysadmin, orgs, projects):
    from halfbuilt.ledger import services as ledger_services

    new_unit_user(sysadmin, orgs)
    ledger_services.project_transition(actor=Actor(users["office"]), project=projects["in_scope"], action="confirm")
    auditor = as_user(users["auditor"])
    auditor.post("/password/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                "new_password2": NEW_PASSWORD})
    admin_only = auditor.get("/audit/?kind=admin").context["page"].object_list
    assert [e.action for e in admin_only] == ["user_create"]
    everything = {e.action for e in auditor.get("/audit/").context["page"].object_list}
    assert everything == {"user_create", "confirm"}  # not the auditor's own password change
    assert "系统管理操作" in auditor.get("/audit/").content.decode()


@pytest.mark.parametrize("role", ["auditor", "secadmin", "office"])
def test_only_the_system_administrator_administers_accounts(users, role):
    client = as_user(users[role])
    assert client.get("/administration/users/").status_code == 403
    response = client.post(f"/administration/users/{users['unit'].pk}/active/", {"active": "0"})
    assert response.status_code == 403 and "三员分立" in response.content.decode()
    users["unit"].refresh_from_db()
    assert users["unit"].is_active


# ---- the administrators' networks ------------------------------------------------------------------------------

def test_an_administrator_signs_in_only_from_the_policys_networks(users, projects):
    from halfbuilt.accounts.models import SignInEvent

    services.update_policy(actor=Actor(users["secadmin"]), admin_networks=["10.1.0.0/16"])
    inside, outside = Client(REMOTE_ADDR="10.1.2.3"), Client(REMOTE_ADDR="192.168.9.9")
    assert inside.post(LOGIN, {"username": "sysadmin", "password": PASSWORD}).status_code == 302
    refused = outside.post(LOGIN, {"username": "sysadmin", "password": PASSWORD})
    assert refused.status_code == 200 and "用户名或密码不正确" in refused.content.decode()  # as a wrong password
    event = SignInEvent.objects.filter(username="sysadmin", succeeded=False).get()
    assert event.detail == "管理员账户不能从该网络登录" and event.ip == "192.168.9.9"
    # Project roles are not bound to the administrators' networks.
    assert outside.post(LOGIN, {"username": users["county"].username, "password": PASSWORD}).status_code == 302


def test_a_network_that_is_not_one_is_refused_at_the_field(users):
    with pytest.raises(ServiceError) as refused:
        services.update_policy(actor=Actor(users["secadmin"]), admin_networks=["10.1.0.0/99"])
    assert refused.value.field == "admin_networks" and "10.1.0.0/99" in refused.value.message


def test_the_policy_page_takes_networks_one_per_line(users):
    client = as_user(users["secadmin"])
    data = {"min_length": "8", "min_classes": "3", "history": "5", "expiry_days": "90", "failure_limit": "5",
            "lockout_minutes": "30", "idle_minutes": "30", "admin_networks": "10.1.0.0/16\n 172.16.5.7 \n"}
    assert client.post("/administration/security/", data).status_code == 302
    assert policy.current().admin_networks == ["10.1.0.0/16", "172.16.5.7"]
    assert "10.1.0.0/16\n172.16.5.7" in client.get("/administration/security/").content.decode()
