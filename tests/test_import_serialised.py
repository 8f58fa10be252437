"""Imports into one region are serialised on every database (issue 8 §4b).

On SQLite the checks run before the write transaction (so a page polling the job sees their progress) and
the write transaction holds the database's one write lock from its start: two imports of one file at once
used to both create every row. These tests run the real command, `halfbuilt ledger import`, in processes of
their own against a SQLite file (the in-memory test database cannot be shared between processes), whatever
database the suite runs on. On PostgreSQL the same race is run in threads against the test database.

A database held by another writer longer than the busy timeout is the busy message (exit 1), never a traceback.
"""

import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from halfbuilt.core.errors import BUSY, Busy
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger import services
from halfbuilt.ledger.intake import stream
from halfbuilt.ledger.intake.plan import ImportContext
from halfbuilt.ledger.intake.reader import read_workbook
from halfbuilt.ledger.models import Project
from halfbuilt.regions.models import Region
from tests import messy_files
from tests.sqlite_site import SqliteSite

ROWS = 400  # enough that each import's checks and writes take a while, so two started together overlap


def _start(site: SqliteSite, path: Path, region: str, **env: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "halfbuilt", "ledger", "import", str(path), "--region", region, "--json"]
    return subprocess.Popen(cmd, env=site.env(**env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen) -> tuple[int, dict, str]:
    out, err = process.communicate(timeout=120)
    assert "Traceback" not in err, err
    return process.returncode, json.loads(out), err


PROJECTS = "SELECT count(*) FROM ledger_project"


def test_two_imports_of_one_file_at_once_create_each_project_once(sqlite_site, tmp_path):
    """The file has no 项目代码: projects are matched by region + name, which the second import must see."""
    path = messy_files.big_ledger(tmp_path / "donghe.xlsx", ROWS)
    site = sqlite_site
    first, second = _start(site, path, "150202"), _start(site, path, "150202")
    results = [_finish(first), _finish(second)]
    assert sorted(code for code, _, _ in results) == [0, 0]
    summaries = sorted((s["created"], s["unchanged"]) for _, s, _ in results)
    assert summaries == [(0, ROWS), (ROWS, 0)]
    assert site.count(PROJECTS) == ROWS
    assert site.count("SELECT count(DISTINCT name) FROM ledger_project") == ROWS
    numbers = site.count("SELECT count(DISTINCT ledger_no) FROM ledger_project WHERE ledger_no LIKE ?", "150202-%")
    assert numbers == ROWS


def test_an_import_waits_for_the_writer_before_it_within_the_busy_timeout(sqlite_site, tmp_path):
    """A small import while a big one writes (here: while another connection holds the write lock) waits."""
    path = messy_files.big_ledger(tmp_path / "small.xlsx", 3, region="包头市昆都仑区")
    site = sqlite_site
    holder = sqlite3.connect(site.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        small = _start(site, path, "150203", HALFBUILT_DB_BUSY_SECONDS="60")
        time.sleep(2)  # it has checked its three rows and waits for the lock
        assert small.poll() is None
    finally:
        holder.execute("COMMIT")
        holder.close()
    code, summary, _ = _finish(small)
    assert (code, summary["created"]) == (0, 3)
    assert site.count(PROJECTS) == 3


def test_a_database_held_past_the_busy_timeout_is_the_busy_message_and_nothing_is_written(sqlite_site, tmp_path):
    path = messy_files.big_ledger(tmp_path / "small.xlsx", 3, region="包头市昆都仑区")
    site = sqlite_site
    holder = sqlite3.connect(site.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code, summary, _ = _finish(_start(site, path, "150203", HALFBUILT_DB_BUSY_SECONDS="1"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 1
    assert summary["created"] == 0 and [e["message"] for e in summary["errors"]] == [str(BUSY)]
    assert site.count(PROJECTS) == 0


# -- PostgreSQL: the same race in threads, on the test database ------------------------------------------------

postgres = pytest.mark.skipif(connection.vendor != "postgresql",
                              reason="threads share SQLite's in-memory test database; the processes above cover it")


def _import(path: Path, user) -> object:
    ctx = ImportContext.for_user(Actor(user, via="import"), Region.objects.get(code="150200"))
    return stream.import_sheets(read_workbook(path), ctx, batch="serialised")


@postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_two_imports_of_one_file_at_once_create_each_project_once(tmp_path, users):
    path = messy_files.big_ledger(tmp_path / "donghe.xlsx", ROWS)
    barrier, outcomes = threading.Barrier(2), {}

    def run(n):
        try:
            barrier.wait()
            plan = _import(path, users["region"])
            outcomes[n] = (len(plan.creates), plan.unchanged, len(plan.errors))
        except Exception as exc:  # noqa: BLE001 - the test shows whatever was raised
            outcomes[n] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == [(0, ROWS, 0), (ROWS, 0, 0)]
    assert Project.objects.count() == ROWS == Project.objects.values("name").distinct().count()


@postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_an_import_behind_a_long_held_lock_is_told_the_system_is_busy(tmp_path, users, monkeypatch):
    monkeypatch.setattr(services, "LEDGER_NO_LOCK_WAIT", "200ms")
    path = messy_files.big_ledger(tmp_path / "donghe.xlsx", 3)
    holding, release = threading.Event(), threading.Event()

    def import_in_progress():
        with transaction.atomic():
            services.lock_ledger_numbers()
            holding.set()
            release.wait(10)
        connections.close_all()

    holder = threading.Thread(target=import_in_progress)
    holder.start()
    holding.wait(10)
    try:
        with pytest.raises(Busy, match="系统正忙"):
            _import(path, users["region"])
    finally:
        release.set()
        holder.join()
    assert not Project.objects.exists()
