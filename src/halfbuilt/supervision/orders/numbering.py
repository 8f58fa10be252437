"""文号 of 督办单: numbered per issuing organisation and year, without gaps or twins.

The number is taken from the issuer's counter row, locked (SELECT … FOR UPDATE) inside the issuing transaction:
two issues at once queue on the row, and an issue that fails rolls its number back with it."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from halfbuilt.accounts.models import Organization, OrgKind

from .models import OrderCounter


def prefix(issuer: Organization) -> str:
    """内半办督 for the office (or the setting ORDER_OFFICE_PREFIX); an issuing department's own name + 督."""
    if issuer.kind == OrgKind.OFFICE:
        return settings.ORDER_OFFICE_PREFIX or _("内半办督")
    return _("{name}督").format(name=issuer.name)


def doc_no(issuer: Organization, year: int, number: int) -> str:
    return _("{prefix}〔{year}〕{number}号").format(prefix=prefix(issuer), year=year, number=number)


def next_number(issuer: Organization, year: int) -> int:
    """The next number of `issuer` in `year`; call inside the issuing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the issuing transaction")
    OrderCounter.objects.get_or_create(issuer_org=issuer, year=year)  # a race on the create is retried by Django
    counter = OrderCounter.objects.select_for_update().get(issuer_org=issuer, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
