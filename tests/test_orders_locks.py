"""督办 on PostgreSQL: numbers stay gap-free and unique when issued at the same moment, and a transition locks
the project row first, then the order's (the kernel's one lock order, also for own-scope aggregates)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.db.utils import OperationalError

from halfbuilt.ledger.models import Project
from halfbuilt.supervision.orders.models import SupervisionOrder
from tests.orders_helpers import issue, reply, review

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks (SELECT … FOR UPDATE) are PostgreSQL's; SQLite serialises whole transactions"),
    pytest.mark.django_db(transaction=True),
]
THREADS = 6


def _run(target, barrier, outcomes, key):
    def run():
        try:
            barrier.wait()
            outcomes[key] = target()
        except Exception as exc:  # noqa: BLE001 - the test inspects whatever was raised
            outcomes[key] = exc
        finally:
            connections.close_all()

    return threading.Thread(target=run)


def test_orders_issued_at_once_get_consecutive_unique_numbers(users, projects):
    school = projects["in_scope"]
    outcomes: dict = {}
    barrier = threading.Barrier(THREADS)
    threads = [_run(lambda: issue(users, project=school), barrier, outcomes, i) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    failures = [o for o in outcomes.values() if isinstance(o, Exception)]
    assert not failures
    assert sorted(SupervisionOrder.objects.values_list("number", flat=True)) == list(range(1, THREADS + 1))


def test_a_transition_waits_for_the_project_before_it_locks_the_order(users, projects):
    school = projects["in_scope"]
    order = issue(users, project=school)
    reply(users, order)
    holding, release = threading.Event(), threading.Event()

    def hold_project():
        with transaction.atomic():
            Project.objects.select_for_update().get(pk=school.pk)
            holding.set()
            release.wait(30)
        connections.close_all()

    outcomes: dict = {}
    holder = threading.Thread(target=hold_project)
    holder.start()
    assert holding.wait(10)
    barrier = threading.Barrier(1)
    accepting = _run(lambda: review(users, order, "accept"), barrier, outcomes, "accept")
    accepting.start()
    time.sleep(0.5)  # the accept is now waiting, on the project row
    try:
        with transaction.atomic():  # the order's row is free: the accept did not lock it before the project
            assert SupervisionOrder.objects.select_for_update(nowait=True).get(pk=order.pk).status == "replied"
    except OperationalError:
        pytest.fail("the order was locked before its project")
    finally:
        release.set()
        holder.join(30)
        accepting.join(30)
    assert not isinstance(outcomes.get("accept"), Exception), outcomes
    order.refresh_from_db()
    assert order.status == "closed"
