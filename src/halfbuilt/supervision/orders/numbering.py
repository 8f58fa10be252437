"""文号 of 督办单: numbered per issuing organisation and year, without gaps or twins, by the shared counter
(`halfbuilt.numbering`, series "order")."""

from django.conf import settings
from django.utils.translation import gettext as _

from halfbuilt.accounts.models import Organization, OrgKind
from halfbuilt.numbering import services as numbers

SERIES = "order"


def prefix(issuer: Organization) -> str:
    """内半办督 for the office (or the setting ORDER_OFFICE_PREFIX); an issuing department's own name + 督."""
    if issuer.kind == OrgKind.OFFICE:
        return settings.ORDER_OFFICE_PREFIX or _("内半办督")
    return _("{name}督").format(name=issuer.name)


def doc_no(issuer: Organization, year: int, number: int) -> str:
    return _("{prefix}〔{year}〕{number}号").format(prefix=prefix(issuer), year=year, number=number)


def next_number(issuer: Organization, year: int) -> int:
    """The next number of `issuer` in `year`; call inside the issuing transaction."""
    return numbers.next_number(SERIES, issuer, year)
