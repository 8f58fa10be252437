"""`halfbuilt token USERNAME`: prints a working API token, one line, nothing else."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from halfbuilt.accounts.models import ApiToken
from halfbuilt.audit.models import ChangeLog


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_prints_a_token_that_opens_the_api(users, projects):
    out, err = run("gov_baotou")
    assert err == ""
    assert out.count("\n") == 1 and out.startswith("hb_")
    key = out.strip()
    stored = ApiToken.objects.get(user=users["region"])
    assert stored.key_hash == ApiToken.hash(key) and key not in stored.key_hash  # only the hash is kept
    response = Client(headers={"authorization": f"Bearer {key}"}).get("/api/v1/projects")
    assert response.status_code == 200
    assert [p["name"] for p in response.json()["results"]] == ["东河区第一中学教学楼"]
    log = ChangeLog.objects.get(action="issue_token")
    assert log.after == {"user": "gov_baotou", "prefix": key[:8]} and log.via == "cli"


def test_each_call_issues_a_new_token(users):
    first, _ = run("office")
    second, _ = run("office")
    assert first != second and ApiToken.objects.filter(user=users["office"]).count() == 2


@pytest.mark.parametrize("username,message", [("nobody", "用户“nobody”不存在"), ("office", "用户“office”已停用")])
def test_unknown_or_inactive_user_fails(users, username, message):
    users["office"].is_active = False
    users["office"].save()
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("token", username, stdout=out, stderr=err)
    assert exit_info.value.code == 1
    assert out.getvalue() == "" and message in err.getvalue()
    assert not ApiToken.objects.exists()


def test_tokens_are_listed_by_prefix_and_revoked_one_or_all(users):
    first, _ = run("office")
    second, _ = run("office")
    listed, _ = run("office", "--list")
    assert [line.split()[0] for line in listed.splitlines()] == [first[:8], second[:8]]
    assert "从未使用" in listed and first.strip() not in listed  # never the token itself

    out, err = run("office", "--revoke", first[:8])
    assert out == "" and "已吊销 1 个令牌" in err
    client = Client(headers={"authorization": f"Bearer {first.strip()}"})
    assert client.get("/api/v1/projects").status_code == 401
    assert Client(headers={"authorization": f"Bearer {second.strip()}"}).get("/api/v1/projects").status_code == 200
    log = ChangeLog.objects.get(action="revoke_token")
    assert log.before == {"user": "office", "prefix": first[:8]} and log.after is None and log.via == "cli"

    run("office", "--revoke", "all")
    assert not ApiToken.objects.filter(user=users["office"]).exists()


def test_revoking_what_is_not_there_fails(users):
    run("office")
    for args in (("office", "--revoke", "hb_nope1"), ("nobody", "--list")):
        with pytest.raises(SystemExit) as exit_info:
            run(*args)
        assert exit_info.value.code == 1
    assert ApiToken.objects.count() == 1
