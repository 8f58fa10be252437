"""`halfbuilt demo`: a realistic campaign, one account per role that can sign in, safe to run twice."""

import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from halfbuilt.accounts.models import Role
from halfbuilt.audit.models import ChangeLog
from halfbuilt.ledger.models import Kind, Project, Status
from halfbuilt.ledger.rules import PROJECT_CODE_RE, check_uscc
from halfbuilt.regions.models import Category, Region, RegionLevel


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    call_command("demo", no_serve=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return settings.DATA_DIR


def accounts(data_dir) -> list[dict]:
    return json.loads((data_dir / "demo-accounts.json").read_text(encoding="utf-8"))


def test_demo_campaign_covers_every_league_category_and_kind(demo):
    projects = Project.objects.all()
    assert projects.count() >= 400
    leagues = set(Region.objects.filter(level=RegionLevel.PREFECTURE).values_list("code", flat=True))
    assert len(leagues) == 12
    assert set(projects.values_list("prefecture_id", flat=True)) == leagues
    assert set(projects.values_list("category_id", flat=True)) == set(Category.objects.values_list("code", flat=True))
    assert set(projects.values_list("kind", flat=True)) == {Kind.STALLED, Kind.IDLE}
    assert {Status.IN_LEDGER, Status.CANDIDATE, Status.REJECTED} <= set(projects.values_list("status", flat=True))
    assert projects.filter(status=Status.IN_LEDGER).count() > projects.count() / 2
    assert not projects.filter(status=Status.REJECTED, status_reason="").exists()
    assert Project.objects.filter(name="包头市东河区第二中学综合楼", region_id="150202").exists()


def test_demo_projects_follow_the_data_dictionary(demo):
    projects = list(Project.objects.all())
    for p in projects:
        assert p.total_investment is not None and p.completed_investment <= p.total_investment
        assert p.prefecture_id == (p.region_id if p.region.level == RegionLevel.PREFECTURE else p.region.parent_id)
        if p.project_code:
            assert PROJECT_CODE_RE.match(p.project_code) and p.project_code[5:11] == p.region_id
        assert check_uscc(p.owner_uscc)[1] is None  # correct check character
        assert p.responsible_org is not None and p.responsible_org.name == p.responsible_unit
    dates = [p.approval_date for p in projects]
    assert {len(d) for d in dates} == {4, 7, 10}  # year only, year-month and full dates
    assert any(p.total_investment != p.total_investment.to_integral() for p in projects)  # decimals
    assert any(p.project_code for p in projects)
    assert {p.approval_level for p in projects} == {"region", "prefecture", "county"}


def test_demo_has_classified_and_unassigned_projects(demo):
    classified = Project.objects.filter(classified=True)
    assert classified.exists()
    assert set(classified.values_list("department_id", flat=True)) <= {"GAT", "FY", "JCY"}
    assert set(classified.values_list("category_id", flat=True)) == {"A02"}
    unassigned = Project.objects.filter(department__isnull=True)
    assert unassigned.exists()
    assert set(unassigned.values_list("category_id", flat=True)) <= {"A02", "A08", "A09", "B04"}
    assert set(unassigned.values_list("status", flat=True)) == {Status.CANDIDATE}  # cannot confirm 待指定


def test_every_demo_project_has_its_creation_in_the_change_log(demo):
    ids = set(Project.objects.values_list("id", flat=True))
    created = ChangeLog.objects.filter(action="create", via="demo", object_type="project")
    assert set(created.values_list("project_id", flat=True)) == ids
    rejected = Project.objects.filter(status=Status.REJECTED).first()
    entry = ChangeLog.objects.get(project_id=rejected.pk, action="reject")
    assert entry.reason == rejected.status_reason


def test_demo_twice_is_safe(demo):
    count, logs = Project.objects.count(), ChangeLog.objects.count()
    first = accounts(demo)
    call_command("demo", no_serve=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Project.objects.count() == count
    assert ChangeLog.objects.count() == logs
    assert accounts(demo) == first


def test_accounts_file_has_every_role_and_the_passwords_sign_in(demo, client):
    listed = accounts(demo)
    assert {a["role"] for a in listed} == {r.value for r in Role}
    for account in listed:
        assert set(account) == {"username", "password", "role", "organization", "region_code"}
        assert re.fullmatch(r"\d{6}", account["region_code"])
        response = client.post(reverse("login"), {"username": account["username"], "password": account["password"]})
        assert response.status_code == 302, account["username"]
        assert client.session.get("_auth_user_id"), account["username"]
        client.logout()


def test_demo_accounts_see_what_their_role_grants(demo):
    from halfbuilt.accounts.models import User

    def visible(username):
        return Project.objects.restrict(User.objects.get(username=username))

    assert visible("demo_office").count() == Project.objects.filter(classified=False).count()
    assert visible("demo_gat").filter(classified=True).exists()
    assert visible("demo_baotou_jyt").exists()
    assert set(visible("demo_baotou").values_list("prefecture_id", flat=True)) == {"150200"}
    assert set(visible("demo_donghe").values_list("region_id", flat=True)) == {"150202"}
    assert visible("demo_unit").exists()
    for admin in ("demo_sysadmin", "demo_secadmin", "demo_auditor"):
        assert not visible(admin).exists()


def test_stricter_password_rules_get_random_demo_passwords(db, settings, tmp_path, client):
    settings.DATA_DIR = tmp_path / "data"
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 16}},
    ]
    call_command("demo", no_serve=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    listed = accounts(settings.DATA_DIR)
    assert all(len(a["password"]) >= 16 for a in listed)
    account = listed[0]
    response = client.post(reverse("login"), {"username": account["username"], "password": account["password"]})
    assert response.status_code == 302


def test_demo_refuses_a_busy_port_before_doing_anything(db, settings, tmp_path):
    import socket

    from django.core.management import CommandError

    settings.DATA_DIR = tmp_path / "data"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(CommandError, match="已被占用"):
            call_command("demo", port=busy.getsockname()[1])
    assert not Project.objects.exists()
