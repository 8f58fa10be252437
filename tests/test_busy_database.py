"""A database another writer holds past the busy timeout (SQLite's "database is locked", PostgreSQL's
lock_timeout) is the one busy message in pages, the API and the import worker: nothing saved, never a 500.

SQLite's error is raised here where the create takes its 台账编号, the first read inside its write transaction;
a real lock held by another process is in tests/test_import_serialised.py (the command line)."""

import json

import pytest
from django.db import OperationalError
from django.test import Client
from psycopg.errors import LockNotAvailable

from halfbuilt.accounts.models import ApiToken
from halfbuilt.core.errors import BUSY, Busy, is_busy
from halfbuilt.ledger import services
from halfbuilt.ledger.intake import jobs
from halfbuilt.ledger.models import ImportJob, Project
from halfbuilt.regions.models import Region
from tests import messy_files

FORM = {"name": "东河区幼儿园", "region": "150202", "category": "A03", "kind": "stalled"}
BODY = {"name": "东河区幼儿园", "region_code": "150202", "category_code": "A03", "kind": "stalled"}


def _locked(*args, **kwargs):
    raise OperationalError("database is locked")


@pytest.fixture
def locked(monkeypatch):
    monkeypatch.setattr(services, "next_ledger_numbers", _locked)


def test_the_web_form_answers_the_busy_page_not_a_500(users, locked):
    client = Client()
    client.force_login(users["county"])
    response = client.post("/ledger/new/", FORM)
    assert response.status_code == 503 and response["Retry-After"]
    assert str(BUSY) in response.content.decode()
    assert not Project.objects.exists()


def test_the_form_shows_the_message_when_the_ledger_lock_times_out(users, monkeypatch):
    """PostgreSQL's wait for the 台账编号 lock ends in Busy, which the form shows like any refusal."""
    def busy():
        raise Busy()

    monkeypatch.setattr(services, "lock_ledger_numbers", busy)
    client = Client()
    client.force_login(users["county"])
    response = client.post("/ledger/new/", FORM)
    assert response.status_code == 200  # the form again, with the user's input and the message
    assert str(BUSY) in response.content.decode()
    assert not Project.objects.exists()


def test_the_api_answers_503_in_json(users, locked):
    client = Client(headers={"authorization": f"Bearer {ApiToken.issue(users['county'])}"})
    response = client.post("/api/v1/projects", json.dumps(BODY), content_type="application/json")
    assert response.status_code == 503 and response["Retry-After"]
    assert response.json() == {"detail": str(BUSY)}
    assert not Project.objects.exists()


def test_an_import_on_the_worker_fails_with_the_message(users, tmp_path, settings, monkeypatch):
    path = messy_files.big_ledger(tmp_path / "donghe.xlsx", 3)
    relative = "imports/busy.xlsx"
    (settings.MEDIA_ROOT / "imports").mkdir(parents=True)
    (settings.MEDIA_ROOT / relative).write_bytes(path.read_bytes())
    job = ImportJob.objects.create(user=users["county"], region=Region.objects.get(code="150202"), file=relative,
                                   original_name="东河区.xlsx", status=ImportJob.State.APPLYING)
    monkeypatch.setattr(jobs, "import_sheets", _locked)
    jobs.run_apply(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.State.FAILED and job.result["message"] == str(BUSY)
    assert not Project.objects.exists()


def test_an_analysis_on_the_worker_fails_with_the_message(users, tmp_path, settings, monkeypatch):
    path = messy_files.big_ledger(tmp_path / "donghe.xlsx", 3)
    relative = "imports/busy.xlsx"
    (settings.MEDIA_ROOT / "imports").mkdir(parents=True)
    (settings.MEDIA_ROOT / relative).write_bytes(path.read_bytes())
    job = ImportJob.objects.create(user=users["county"], region=Region.objects.get(code="150202"), file=relative,
                                   original_name="东河区.xlsx")
    monkeypatch.setattr(jobs, "build_plan", _locked)
    jobs.run_analysis(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.State.FAILED and job.result["message"] == str(BUSY)


def _postgres_lock_timeout() -> OperationalError:
    error = OperationalError("canceling statement due to lock timeout")
    error.__cause__ = LockNotAvailable("canceling statement due to lock timeout")  # as Django wraps psycopg's
    return error


@pytest.mark.parametrize(("error", "busy"), [
    (OperationalError("database is locked"), True),
    (OperationalError("database table is locked: ledger_project"), True),
    (OperationalError("no such table: ledger_project"), False),
    (_postgres_lock_timeout(), True),
    (Busy(), True),
    (ValueError("database is locked"), False),
])
def test_which_errors_mean_busy(error, busy):
    assert is_busy(error) is busy
