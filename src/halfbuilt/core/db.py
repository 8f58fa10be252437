"""Query planning the pages need beyond the ORM."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def serial_plans() -> Iterator[None]:
    """Run the block's queries without PostgreSQL's parallel workers. A page of 50 rows never gains from them, and
    starting two took 10–35 ms a query on a 2-core server, more than the query itself (docs/performance.md,
    "Warning lights"); batch work (rebuilds, recomputes) keeps them. Elsewhere a no-op."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield
