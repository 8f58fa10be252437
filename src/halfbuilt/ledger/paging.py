"""Paging the ledger list at a million projects.

An exact COUNT(*) over the scoped, filtered rows is the slowest part of the page (200–400 ms at 1M rows on
PostgreSQL, docs/performance.md), so the page counts at most a few pages beyond the one shown; the exact
total is fetched separately (`project_count`) when the user asks for it. When the user's whole scope is small
(`settings.LEDGER_EXACT_COUNT_MAX`, 10,000 by default) counting is cheap, and the page counts exactly.

Deep pages read the page's ids first (an index-only scan when an index matches the filters and order) and
then only those rows with their joins, instead of joining every skipped row of the OFFSET.
"""

from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator

# Five pages ahead keeps a rare keyword's count to ~300 matching rows (heap visits): 140 ms → ~40 ms at 1M rows.
COUNT_AHEAD_PAGES = 5
# A page asked beyond this counts as this one (50M rows at 50 a page): the count's LIMIT must stay a bigint, and
# a page past the end shows the last page, as every list of the site does (Django's `get_page`).
PAGE_MAX = 1_000_000


def exact_count_is_cheap(scope) -> bool:
    """Whether `scope` (the user's restricted, unfiltered projects) is small enough to count every time: reading
    at most LEDGER_EXACT_COUNT_MAX + 1 rows tells, without counting a million."""
    limit = settings.LEDGER_EXACT_COUNT_MAX
    return scope.order_by()[: limit + 1].count() <= limit


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page: int, requested_page: str | int | None = None, exact: bool = False):
        super().__init__(object_list, per_page)
        self.exact = exact
        try:
            page = min(max(1, int(requested_page or 1)), PAGE_MAX)
        except (TypeError, ValueError):
            page = 1
        self.cap = (page + COUNT_AHEAD_PAGES) * per_page

    @cached_property
    def count(self) -> int:
        if self.exact:
            return self.object_list.order_by().count()
        # Any cap+1 rows will do: without ORDER BY the database stops as soon as it has them. Their ids only: the
        # list's annotations (the scope badge) would be computed for every row counted.
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom == 0:
            return super().page(number)
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        # Same ordering, so the rows come back in the order of the ids.
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)

    @property
    def capped(self) -> bool:
        """True when there are more rows than were counted; `count` is then a lower bound."""
        return not self.exact and self.count > self.cap
