"""The demo's deployment phase: the default campaign, 实施方案 accepted / waiting / returned / missing, criteria
for a few departments (one revised), and a couple of projects outside the scope — flagged, or marked 影响较大."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from halfbuilt.accounts.models import User
from halfbuilt.campaign import selectors
from halfbuilt.campaign.models import CriteriaVersion, FilingStatus
from halfbuilt.ledger import coverage
from halfbuilt.ledger.models import Project


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo") / "data"
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(DATA_DIR=data_dir, MEDIA_ROOT=data_dir / "media", PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        call_command("demo", no_serve=True, stdout=io.StringIO())
        yield data_dir
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_once, db, settings):
    settings.DATA_DIR = demo_once
    settings.MEDIA_ROOT = demo_once / "media"
    return demo_once


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_demo_campaign_and_its_filings(demo):
    assert selectors.current().key == "nm-2022"
    by_org = {row.filing.organization.name: row.filing for row in selectors.filing_status()}
    assert by_org["包头市人民政府"].status == FilingStatus.ACCEPTED
    assert by_org["内蒙古自治区教育厅"].status == FilingStatus.SUBMITTED
    assert by_org["赤峰市人民政府"].status == FilingStatus.RETURNED and by_org["赤峰市人民政府"].comment
    assert by_org["乌海市人民政府"].status == FilingStatus.PENDING
    counts = selectors.filing_counts()
    assert counts["accepted"] == 2 and counts["submitted"] == 2 and counts["returned"] == 1 and counts["pending"] == 34
    assert by_org["包头市人民政府"].documents.count() == 1


def test_the_demo_criteria(demo):
    assert selectors.criteria_in_force("JYT").number == 2
    assert set(CriteriaVersion.objects.values_list("department_id", flat=True)) == {"JYT", "WJW", "ZJT"}


def test_a_couple_of_demo_projects_are_outside_the_scope_and_some_are_marked(demo):
    outside = Project.objects.filter(coverage.outside_q())
    marked = Project.objects.filter(high_impact=True).exclude(high_impact_reason="")
    total = Project.objects.count()
    assert 1 <= outside.count() <= total // 20  # a few, not the ledger
    assert marked.exists() and not outside.filter(pk__in=marked).exists()
    assert not Project.objects.filter(approval_date__lt="2016", high_impact=False).exclude(approval_date="").exists()


def test_the_demo_accounts_have_deployment_work(demo):
    assert "实施方案待审核" in _client("demo_office").get("/").content.decode()
    jyt = _client("demo_jyt").get("/campaign/filings/").content.decode()
    assert "待审核" in jyt
    outside = _client("demo_office").get("/ledger/?scope=outside").content.decode()
    assert "badge-outside" in outside


def test_the_demo_twice_writes_no_more(demo):
    before = (CriteriaVersion.objects.count(), selectors.filing_counts())
    call_command("demo", no_serve=True, stdout=io.StringIO())
    assert (CriteriaVersion.objects.count(), selectors.filing_counts()) == before
