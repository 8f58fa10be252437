"""Paging the ledger list at a million projects.

An exact COUNT(*) over the scoped, filtered rows is the slowest part of the page (200–400 ms at 1M rows on
PostgreSQL, docs/performance.md), so the page counts at most a few pages beyond the one shown; the exact
total is fetched separately (`project_count`) when the user asks for it.
"""

from functools import cached_property

from django.core.paginator import Paginator

COUNT_AHEAD_PAGES = 20


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page: int, requested_page: str | int | None = None):
        super().__init__(object_list, per_page)
        try:
            page = max(1, int(requested_page or 1))
        except (TypeError, ValueError):
            page = 1
        self.cap = (page + COUNT_AHEAD_PAGES) * per_page

    @cached_property
    def count(self) -> int:
        # Any cap+1 rows will do: without ORDER BY the database stops as soon as it has them.
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        """True when there are more rows than were counted; `count` is then a lower bound."""
        return self.count > self.cap
