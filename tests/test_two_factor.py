"""Two-factor sign-in (TOTP): required of the policy's roles (the office and the three administrators by default),
enrolment by a QR code drawn here, recovery codes that work once, the security administrator's reset; each step
logged."""

import importlib
from datetime import UTC, datetime

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from halfbuilt.accounts.models import SignInEvent
from halfbuilt.administration import services, services_twofactor
from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.errors import NotAllowed
from halfbuilt.core.request_context import Actor

from .conftest import PASSWORD

LOGIN, VERIFY, ENROL = "/accounts/login/", "/accounts/two-factor/", "/accounts/two-factor/enrol/"


@pytest.fixture
def office_must(users):
    """The policy as deployed by default for the office (the suite itself runs with no role required)."""
    services.update_policy(actor=Actor(users["secadmin"]), two_factor_roles=["office"])
    return users["office"]


@pytest.fixture
def clock(time_machine):
    """Time moves on as usual, and a test can step to the authenticator's next 30-second window."""
    time_machine.move_to(datetime.now(UTC), tick=True)
    return time_machine


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def wrong_code(device: TOTPDevice) -> str:
    right = int(code_of(device))
    return f"{(right + 500_000) % 1_000_000:06d}"


def signed_in(username: str) -> tuple[Client, object]:
    """Sign in by password (asking for the ledger); returns the client and the answer to where it was sent."""
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": PASSWORD, "next": "/ledger/"})
    assert response.status_code == 302 and response["Location"] == "/ledger/"
    return client, client.get("/ledger/")


def enrolled(client: Client, user) -> tuple[TOTPDevice, list[str]]:
    """Open the enrolment page and confirm it with the app's code; returns the device and the recovery codes."""
    page = client.get(ENROL)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "<svg" in page.content.decode()
    answer = client.post(ENROL, {"code": code_of(device)})
    codes = list(answer.context["codes"])
    device.refresh_from_db()
    return device, codes


def test_by_default_the_office_and_the_three_administrators_must_use_two_factor(monkeypatch):
    """The deployment's default (the suite itself runs with no role required: tests/conftest.py)."""
    import halfbuilt.config.settings as module

    monkeypatch.delenv("HALFBUILT_TWO_FACTOR_ROLES", raising=False)
    assert importlib.reload(module).TWO_FACTOR_ROLES == ["office", "sysadmin", "secadmin", "auditor"]
    monkeypatch.setenv("HALFBUILT_TWO_FACTOR_ROLES", "office, region")
    assert importlib.reload(module).TWO_FACTOR_ROLES == ["office", "region"]


def test_a_required_user_without_an_authenticator_must_enrol_before_anything_else(office_must, projects):
    client, response = signed_in("office")
    assert response.status_code == 302 and response["Location"].startswith(ENROL)
    assert client.get("/ledger/")["Location"].startswith(ENROL)
    assert client.get("/api/v1/projects").status_code == 403
    page = client.get(ENROL)
    assert "须使用双因素认证登录" in page.content.decode() and page.context["menu"] == []


def test_enrolment_confirms_the_authenticator_shows_ten_recovery_codes_and_is_logged(office_must, projects):
    client, _ = signed_in("office")
    device, codes = enrolled(client, office_must)
    assert device.confirmed and len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/ledger/").status_code == 200  # this session is verified by the enrolment
    entry = ChangeLog.objects.get(action="two_factor_enrol", object_id=str(office_must.pk))
    assert entry.before == {"two_factor": False} and entry.after == {"two_factor": True}


def test_a_wrong_code_at_enrolment_confirms_nothing(office_must):
    client, _ = signed_in("office")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=office_must)
    answer = client.post(ENROL, {"code": wrong_code(device)})
    assert "动态口令不正确" in answer.content.decode()
    assert not TOTPDevice.objects.filter(user=office_must, confirmed=True).exists()


def test_after_enrolment_the_password_alone_reaches_only_the_code_page(office_must, projects, clock):
    client, _ = signed_in("office")
    device, _ = enrolled(client, office_must)
    again, response = signed_in("office")
    assert response["Location"].startswith(VERIFY)
    assert again.get("/ledger/")["Location"].startswith(VERIFY)
    assert again.get("/api/v1/projects").status_code == 403
    clock.shift(30)  # the code used for enrolment cannot be used twice: the next window's
    answer = again.post(VERIFY, {"code": code_of(device), "next": "/ledger/"})
    assert answer.status_code == 302 and answer["Location"] == "/ledger/"
    assert again.get("/ledger/").status_code == 200
    assert SignInEvent.objects.filter(username="office", succeeded=True, detail="双因素认证通过").count() == 1


def test_a_wrong_code_is_refused_logged_and_slows_the_next_try(office_must):
    client, _ = signed_in("office")
    device, _ = enrolled(client, office_must)
    again, _ = signed_in("office")
    answer = again.post(VERIFY, {"code": wrong_code(device)})
    assert answer.status_code == 200 and "动态口令不正确" in answer.content.decode()
    assert SignInEvent.objects.filter(username="office", succeeded=False, detail="动态口令错误").exists()
    slowed = again.post(VERIFY, {"code": code_of(device)})  # right, but within the delay after a failure
    assert "错误次数过多" in slowed.content.decode()
    assert again.get("/ledger/")["Location"].startswith(VERIFY)


def test_a_recovery_code_signs_in_once(office_must, projects):
    client, _ = signed_in("office")
    _, codes = enrolled(client, office_must)
    first, _ = signed_in("office")
    assert first.post(VERIFY, {"code": codes[0], "next": "/ledger/"})["Location"] == "/ledger/"
    assert SignInEvent.objects.filter(username="office", detail="使用恢复码通过双因素认证").count() == 1
    second, _ = signed_in("office")
    assert "动态口令不正确" in second.post(VERIFY, {"code": codes[0]}).content.decode()


def test_a_user_whose_role_is_not_required_signs_in_by_password_until_they_enrol(office_must, users, projects):
    client, response = signed_in(users["unit"].username)
    assert response.status_code == 200
    enrolled(client, users["unit"])  # by choice, from the user menu
    _, again = signed_in(users["unit"].username)
    assert again["Location"].startswith(VERIFY)


def test_the_security_administrator_resets_a_lost_authenticator_and_it_is_logged(office_must, users):
    client, _ = signed_in("office")
    enrolled(client, office_must)
    secadmin = Client()
    secadmin.force_login(users["secadmin"])
    listing = secadmin.get("/administration/security/two-factor/?q=office")
    assert "已绑定验证器" in listing.content.decode()
    assert secadmin.post(f"/administration/security/two-factor/{office_must.pk}/reset/").status_code == 302
    assert not TOTPDevice.objects.filter(user=office_must).exists()
    entry = ChangeLog.objects.get(action="two_factor_reset", object_id=str(office_must.pk))
    assert entry.username == "secadmin" and entry.after == {"two_factor": False}
    _, response = signed_in("office")
    assert response["Location"].startswith(ENROL)


def test_a_reset_ends_the_verification_of_open_sessions_within_a_minute(office_must, projects, clock):
    client, _ = signed_in("office")
    enrolled(client, office_must)
    assert client.get("/ledger/").status_code == 200
    services_twofactor.reset(actor=Actor(office_must.__class__.objects.get(username="secadmin")), user=office_must)
    clock.shift(61)
    assert client.get("/ledger/")["Location"].startswith(ENROL)


def test_nobody_resets_their_own_two_factor(users):
    with pytest.raises(NotAllowed):
        services_twofactor.reset(actor=Actor(users["secadmin"]), user=users["secadmin"])
