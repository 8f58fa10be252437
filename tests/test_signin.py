"""Signing in: Chinese page, clear errors, lockout after N failures, every attempt logged, idle timeout."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from halfbuilt.accounts.models import SignInEvent
from halfbuilt.administration import policy
from halfbuilt.administration.models import SecurityPolicy

from .conftest import PASSWORD

LOGIN = reverse("login")
LIST = reverse("ledger:project_list")


def test_login_page_is_chinese_and_labelled(client, db):
    html = client.get(LOGIN).content.decode()
    assert 'lang="zh-Hans"' in html
    assert '<label for="id_username">用户名</label>' in html and '<label for="id_password">密码</label>' in html


def test_pages_require_sign_in(client, db):
    response = client.get(LIST)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_wrong_password_gives_clear_chinese_error_and_is_logged(client, users):
    response = client.post(LOGIN, {"username": "gov_baotou", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "用户名或密码不正确" in html and "连续 5 次登录失败后，账户将被锁定 30 分钟" in html
    event = SignInEvent.objects.get()
    assert event.username == "gov_baotou" and not event.succeeded and event.ip == "127.0.0.1"


def test_successful_sign_in_is_logged(client, users):
    response = client.post(LOGIN, {"username": "gov_baotou", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"  # home: the queues of the user's own work
    assert SignInEvent.objects.filter(username="gov_baotou", succeeded=True).count() == 1
    assert client.get(LIST).status_code == 200


def _set_policy(**values) -> None:
    SecurityPolicy.objects.update_or_create(pk=policy.POLICY_PK, defaults={**policy.defaults(), **values})


def test_lockout_after_failure_limit_with_chinese_page(client, users, settings):
    limit = policy.failure_limit()
    assert limit == settings.LOGIN_FAILURE_LIMIT == 5
    for _ in range(limit - 1):
        assert client.post(LOGIN, {"username": "gov_baotou", "password": "wrong"}).status_code == 200
    locked = client.post(LOGIN, {"username": "gov_baotou", "password": "wrong"})
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "账户已锁定" in html and "连续 5 次登录失败" in html and "30 分钟" in html
    # Even the right password is refused while locked.
    again = client.post(LOGIN, {"username": "gov_baotou", "password": PASSWORD})
    assert again.status_code == 429 and "账户已锁定" in again.content.decode()
    assert client.get(LIST).status_code == 302
    events = list(SignInEvent.objects.filter(username="gov_baotou").order_by("id"))
    assert len(events) == limit + 1 and not any(e.succeeded for e in events)
    assert events[-1].detail == "账户已锁定"
    # Another account is not affected (lock the account, not the shared office address).
    assert client.post(LOGIN, {"username": "gov_donghe", "password": PASSWORD}).status_code == 302


def test_locked_minutes_follow_the_policy(client, users):
    _set_policy(lockout_minutes=15)
    for _ in range(policy.failure_limit()):
        response = client.post(LOGIN, {"username": "gov_baotou", "password": "wrong"})
    assert "15 分钟" in response.content.decode()


@pytest.fixture
def clock(monkeypatch):
    """Move Django's clock forward without sleeping."""
    real_now = timezone.now
    state = {"offset": dt.timedelta()}
    monkeypatch.setattr(timezone, "now", lambda: real_now() + state["offset"])

    def advance(minutes: int) -> None:
        state["offset"] += dt.timedelta(minutes=minutes)

    return advance


def test_idle_timeout_signs_out_after_configured_minutes(client, users, settings, clock):
    assert policy.current().idle_minutes == settings.IDLE_TIMEOUT_MINUTES == 30
    assert client.post(LOGIN, {"username": "gov_baotou", "password": PASSWORD}).status_code == 302
    clock(20)
    assert client.get(LIST).status_code == 200  # activity renews the session
    clock(20)
    assert client.get(LIST).status_code == 200  # 40 minutes after sign-in, but only 20 idle
    clock(31)
    response = client.get(LIST)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_activity_renews_the_session_at_most_once_a_minute(client, users, clock):
    """Pages do not write the session row each time; the idle timeout still runs from the last minute's activity."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def session_writes() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return sum('"django_session"' in q["sql"] and q["sql"].startswith(("UPDATE", "INSERT")) for q in queries)

    assert client.post(LOGIN, {"username": "gov_baotou", "password": PASSWORD}).status_code == 302
    client.get(LIST)  # the first page after signing in notes the activity
    assert session_writes() == 0
    clock(2)
    assert session_writes() == 1
    assert session_writes() == 0
    clock(29)
    assert client.get(LIST).status_code == 200  # 31 minutes after sign-in, 29 after the last renewal
    clock(31)
    assert client.get(LIST).status_code == 302


def test_idle_timeout_is_configurable(client, users, clock):
    _set_policy(idle_minutes=5)
    assert client.post(LOGIN, {"username": "gov_baotou", "password": PASSWORD}).status_code == 302
    clock(4)
    assert client.get(LIST).status_code == 200
    clock(6)
    assert client.get(LIST).status_code == 302


def test_a_new_idle_timeout_reaches_open_sessions_within_a_minute(client, users, clock):
    assert client.post(LOGIN, {"username": "gov_baotou", "password": PASSWORD}).status_code == 302
    _set_policy(idle_minutes=5)  # the security administrator saves the policy while the session is open
    clock(2)
    assert client.get(LIST).status_code == 200  # the session reads the policy again (older than a minute)
    clock(6)
    response = client.get(LIST)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_a_stranger_elsewhere_cannot_lock_the_clerk_out_but_is_throttled(users):
    """Lockout counts per user and address (issue 8): failures from 10.9.9.9 lock gov_baotou from there only."""
    from django.test import Client

    stranger, clerk = Client(REMOTE_ADDR="10.9.9.9"), Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(policy.failure_limit()):
        stranger.post(LOGIN, {"username": "gov_baotou", "password": "wrong"})
    assert stranger.post(LOGIN, {"username": "gov_baotou", "password": PASSWORD}).status_code == 429
    assert clerk.post(LOGIN, {"username": "gov_baotou", "password": PASSWORD}).status_code == 302


def test_a_token_stops_where_its_user_is_locked_out_and_when_it_expires(users, settings):
    """A locked user's token kept working (issue 8); tokens now also expire (HALFBUILT_API_TOKEN_DAYS)."""
    from django.test import Client

    from halfbuilt.accounts.models import ApiToken

    key = ApiToken.issue(users["region"])
    api = {"headers": {"authorization": f"Bearer {key}"}}
    here = Client(REMOTE_ADDR="10.2.2.2")
    assert here.get("/api/v1/projects", **api).status_code == 200
    for _ in range(policy.failure_limit()):
        here.post(LOGIN, {"username": users["region"].username, "password": "wrong"})
    refused = here.get("/api/v1/projects", **api)
    assert refused.status_code == 401 and "已被锁定" in refused.json()["detail"]
    assert Client(REMOTE_ADDR="10.3.3.3").get("/api/v1/projects", **api).status_code == 200
    ApiToken.objects.update(created_at=timezone.now() - dt.timedelta(days=settings.API_TOKEN_DAYS + 1))
    expired = Client(REMOTE_ADDR="10.3.3.3").get("/api/v1/projects", **api)
    assert expired.status_code == 401 and "已过期" in expired.json()["detail"]
    settings.API_TOKEN_DAYS = 0  # never
    assert Client(REMOTE_ADDR="10.3.3.3").get("/api/v1/projects", **api).status_code == 200
