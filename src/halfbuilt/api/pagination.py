"""Keyset (cursor) pagination over the ledger's sort orders.

OFFSET pagination reads and throws away every row before the page, so page 10,000 of a million-row
ledger costs as much as the whole scan. A cursor remembers the last row's sort value and id; the
next page starts there through the same index, at the same cost for every page.
The filters order by (sort field, -id), or by -id alone; see `ledger.filters.SORTS`.
"""

import base64
import binascii
import json
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import connection
from django.db.models import Q, QuerySet

from halfbuilt.ledger.filters import DEFAULT_SORT, SORTS

# Sort fields that may hold NULL; their place in the order differs between databases.
NULLABLE = {"total_investment"}


class CursorError(ValueError):
    pass


def _encode_value(value) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _decode_value(field: str, value):
    if value is None:
        return None
    if field == "total_investment":
        return Decimal(value)
    if field == "updated_at":
        return datetime.fromisoformat(value)
    if not isinstance(value, str):
        raise CursorError
    return value


def encode_cursor(sort: str, project) -> str:
    field = SORTS[sort].lstrip("-")
    payload = [sort, project.pk] if field == "id" else [sort, project.pk, _encode_value(getattr(project, field))]
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def after_cursor(queryset: QuerySet, sort: str, cursor: str) -> QuerySet:
    """Rows that come after the cursor's row in the (field, -id) order."""
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if payload[0] != sort or not isinstance(payload[1], int):
            raise CursorError
        last_id = payload[1]
        order = SORTS[sort]
        field = order.lstrip("-")
        if field == "id":
            return queryset.filter(id__lt=last_id)
        value = _decode_value(field, payload[2])
    except (ValueError, TypeError, IndexError, KeyError, InvalidOperation, binascii.Error) as exc:
        raise CursorError("翻页游标 cursor 无效，请从第一页重新开始") from exc
    descending = order.startswith("-")
    # NULL sorts as the largest value on PostgreSQL and as the smallest on SQLite.
    nulls_first = field in NULLABLE and descending == connection.features.nulls_order_largest
    if value is None:
        condition = Q(**{f"{field}__isnull": True, "id__lt": last_id})
        if nulls_first:
            condition |= Q(**{f"{field}__isnull": False})
        return queryset.filter(condition)
    beyond = f"{field}__lt" if descending else f"{field}__gt"
    bound = f"{field}__lte" if descending else f"{field}__gte"
    # The redundant bound lets the database start the index range at the cursor.
    condition = Q(**{bound: value}) & (Q(**{beyond: value}) | Q(**{field: value, "id__lt": last_id}))
    if field in NULLABLE and not nulls_first:
        condition |= Q(**{f"{field}__isnull": True})
    return queryset.filter(condition)


def sort_of(params) -> str:
    sort = (params.get("sort") or "").strip() or DEFAULT_SORT
    return sort if sort in SORTS else DEFAULT_SORT
