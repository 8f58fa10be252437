"""台账编号 on PostgreSQL: creates by form and API at the same moment, in one county, each get their own number,
and a create waiting behind an import that holds the lock too long is told the system is busy."""

import json
import threading

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from halfbuilt.accounts.models import ApiToken
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger import services
from halfbuilt.ledger.models import Project
from halfbuilt.regions.models import Category, Region

pytestmark = [
    pytest.mark.django_db(transaction=True),
]
THREADS = 6


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row and advisory locks are PostgreSQL's; SQLite serialises every write transaction")


def _data(n: int) -> dict:
    return {"name": f"东河区幼儿园{n}", "region": Region.objects.get(code="150202"),
            "category": Category.objects.get(code="A03"), "kind": "stalled"}


def test_creates_at_the_same_moment_get_distinct_ledger_numbers(reference, users):
    """Half through the API, half through the web form, all at once, in Donghe."""
    token = ApiToken.issue(users["county"])
    barrier, outcomes = threading.Barrier(THREADS), {}

    def create(n):
        try:
            if n % 2:
                client = Client(headers={"authorization": f"Bearer {token}"})
                body = {"name": f"东河区幼儿园{n}", "region_code": "150202", "category_code": "A03", "kind": "stalled"}
                barrier.wait()
                response = client.post("/api/v1/projects", json.dumps(body), content_type="application/json")
            else:
                client = Client()
                client.force_login(users["county"])
                barrier.wait()
                response = client.post("/ledger/new/", {"name": f"东河区幼儿园{n}", "region": "150202",
                                                        "category": "A03", "kind": "stalled"})
            outcomes[n] = response.status_code
        except Exception as exc:  # noqa: BLE001 - the test shows whatever was raised
            outcomes[n] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == {n: 201 if n % 2 else 302 for n in range(THREADS)}
    numbers = sorted(Project.objects.values_list("ledger_no", flat=True))
    assert numbers == [f"150202-{n:05d}" for n in range(1, THREADS + 1)]


def test_a_create_behind_a_long_held_lock_is_told_the_system_is_busy(reference, users, monkeypatch):
    monkeypatch.setattr(services, "LEDGER_NO_LOCK_WAIT", "200ms")
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
        with pytest.raises(ServiceError, match="系统正忙"):
            services.project_create(actor=Actor(user=users["county"], via="web"), data=_data(1))
    finally:
        release.set()
        holder.join()
    assert not Project.objects.exists()
