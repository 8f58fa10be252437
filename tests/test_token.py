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
