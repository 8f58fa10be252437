"""The 督办 counters move into the shared counter without changing a number: the next 督办 after the migration
continues each issuer's sequence."""

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from halfbuilt.accounts.models import Organization
from halfbuilt.supervision.orders import numbering

BEFORE = [("orders", "0001_supervision_orders"), ("numbering", "0001_initial")]
AFTER = [("orders", "0002_counter_moved"), ("numbering", "0002_order_counters")]


@pytest.mark.django_db(transaction=True)
def test_the_order_counters_move_with_their_last_numbers(reference):
    office = Organization.objects.get(name="半拉子工程大起底工作领导小组办公室").pk
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("orders", "OrderCounter").objects.create(issuer_org_id=office, year=2026, last=7)
    old.get_model("orders", "OrderCounter").objects.create(issuer_org_id=office, year=2025, last=31)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    moved = new.get_model("numbering", "Counter").objects.order_by("year")
    assert [(c.series, c.issuer_org_id, c.year, c.last) for c in moved] == [
        ("order", office, 2025, 31), ("order", office, 2026, 7)]
    with transaction.atomic():
        assert numbering.next_number(Organization.objects.get(pk=office), 2026) == 8
