"""Opaque primary keys: ids drawn at random, so an id says nothing about how many rows exist.

Sequential ids leak counts through their gaps: the office, who sees every project but the classified ones, could
count those by the ids missing from its list (and the plans, reports and units that go with them). Every model
whose rows may belong to a classified project, and that is addressed by id in a page or the API, takes its id from
`opaque_id()` instead. Ids stay integers below 2**53, so JavaScript clients of the API read them exactly; they
start at 2**32, above any id a sequence handed out before (rows older than the switch keep theirs).

Random 53-bit ids meet by chance once in about 10**9 inserts at a million rows; the database's primary key
refuses such a meeting rather than mixing two rows up. The database draws one too (`db_default`) for rows written
by SQL alone (the benchmarks' generators); Django draws it in Python for everything else, so `save()`,
`bulk_create` and the importer's COPY know the id before the row exists.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

LOWEST = 2**32
SPACE = 2**53 - LOWEST  # ids are LOWEST … 2**53 - 1
DIGITS = len(str(2**53))  # the most an id written out can have (a bound for ids read from text)


def new_id() -> int:
    return LOWEST + secrets.randbelow(SPACE)


def new_ids(count: int) -> list[int]:
    """`count` distinct new ids (for a COPY, which must know them before the rows exist)."""
    ids: dict[int, None] = {}
    while len(ids) < count:
        ids[new_id()] = None
    return list(ids)


class RandomId(models.Func):
    """The database's own draw in the same range (its pseudo-random generator: the id only has to be unknowable
    from the other ids, not secret)."""

    output_field = models.BigIntegerField()

    def as_sql(self, compiler, connection, **extra_context):  # PostgreSQL: random() is a double in [0, 1)
        return f"({LOWEST} + floor(random() * {SPACE})::bigint)", []

    def as_sqlite(self, compiler, connection, **extra_context):  # random() is a signed 64-bit integer
        return f"({LOWEST} + abs(random() %% {SPACE}))", []  # %% : the SQL is a format string


def opaque_id() -> models.BigIntegerField:
    return models.BigIntegerField(_("ID"), primary_key=True, default=new_id, db_default=RandomId(), editable=False)
