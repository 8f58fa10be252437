"""The next 文号 number of a series, per issuing organisation and year, without gaps or twins.

The number is taken from the counter row, locked (SELECT … FOR UPDATE) inside the numbering transaction: two
documents numbered at once queue on the row, and one whose transaction fails gives its number back with it."""

from django.db import transaction

from halfbuilt.accounts.models import Organization

from .models import Counter


def next_number(series: str, issuer: Organization, year: int) -> int:
    """The next number of `series` for `issuer` in `year`; call inside the transaction that numbers."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the numbering transaction")
    Counter.objects.get_or_create(series=series, issuer_org=issuer, year=year)  # a racing create is retried
    counter = Counter.objects.select_for_update().get(series=series, issuer_org=issuer, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
