"""Big imports run on a real worker process (`halfbuilt run_huey`), on the SQLite queue by default and on
Redis when HALFBUILT_REDIS_URL is set. Everything runs in subprocesses against a throwaway data directory."""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

PRODUCE = """
from halfbuilt.accounts.models import Organization, RoleAssignment, User
from halfbuilt.ledger import tasks
from halfbuilt.ledger.intake import jobs
from django.core.files.uploadedfile import SimpleUploadedFile
user, _ = User.objects.get_or_create(username="worker_test")
org = Organization.objects.get(name="包头市东河区人民政府")
RoleAssignment.objects.get_or_create(user=user, role="region", organization=org)
content = "项目名称,所在地区,项目类别,类型,总投资（万元）\\n东河区体育馆,东河区,A08,停建,1200\\n".encode("gb18030")
job = jobs.save_upload(user=user, region=org.region, upload=SimpleUploadedFile("台账.csv", content), ip="")
tasks.analyse_import(str(job.pk))
print(job.pk)
"""
STATUS = "from halfbuilt.ledger.models import ImportJob; print(ImportJob.objects.get(pk='{job}').status)"


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def _halfbuilt(env, *args) -> str:
    """The last line the command printed (`shell` first reports its automatic imports)."""
    result = subprocess.run([sys.executable, "-m", "halfbuilt", *args], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


@pytest.mark.parametrize("queue", ["sqlite", "redis"])
def test_a_background_import_is_analysed_by_the_worker(tmp_path: Path, queue):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HALFBUILT_", "DATABASE_URL"))}
    env.update(HALFBUILT_DATA_DIR=str(tmp_path), HALFBUILT_IMPORT_BACKGROUND_ROWS="0")
    if queue == "redis":
        if not _redis_up():
            if os.environ.get("HALFBUILT_REQUIRE_ALL") == "1":
                pytest.fail("Redis not reachable at 127.0.0.1:6379 and HALFBUILT_REQUIRE_ALL=1")
            pytest.skip("Redis not reachable at 127.0.0.1:6379: Redis queue test skipped")
        env["HALFBUILT_REDIS_URL"] = "redis://127.0.0.1:6379/15"
        # Its own queue: another run's worker on the same Redis must not take this run's task.
        env["HALFBUILT_QUEUE_NAME"] = f"halfbuilt-test-{uuid.uuid4().hex}"
    _halfbuilt(env, "init")
    job = _halfbuilt(env, "shell", "-c", PRODUCE)
    assert _halfbuilt(env, "shell", "-c", STATUS.format(job=job)) == "queued"  # nothing runs it yet

    worker = subprocess.Popen([sys.executable, "-m", "halfbuilt", "run_huey", "--workers", "1"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        status = "queued"
        while time.monotonic() < deadline and status in ("queued", "analysing"):
            time.sleep(0.5)
            status = _halfbuilt(env, "shell", "-c", STATUS.format(job=job))
        assert status == "ready"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
