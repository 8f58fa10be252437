"""One page contract for every list of the API: `?page_size=&cursor=` in, `{"results", "next"}` out (plus
`count` when asked with `?count=true`), pages taken by keyset (cursor).

OFFSET pagination reads and throws away every row before the page, so page 10,000 of a million-row ledger
costs as much as the whole scan. A cursor remembers the last row's sort value and key; the next page starts
there through the same index, at the same cost for every page. Every order breaks ties by the key, newest
first; the cursor names its order, so a cursor of another order is refused rather than misread.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from halfbuilt.core import inputs

from .schemas import DB_INT_MAX


class CursorError(ValueError):
    pass


INVALID = _("翻页游标 cursor 无效，请从第一页重新开始")


@dataclass(frozen=True)
class Order:
    """A list's order: `field` (the key itself when "pk"), then the key, descending."""

    name: str
    field: str = "pk"
    descending: bool = True
    nullable: bool = False

    @property
    def ordering(self) -> list[str]:
        if self.field == "pk":
            return ["-pk"]
        return [f"{'-' if self.descending else ''}{self.field}", "-pk"]


def newest(model) -> Order:
    """Newest first: by the model's `Meta.get_latest_by` (ids are random, core/ids.py), else by id."""
    return Order("new", model._meta.get_latest_by or "pk")


Item = TypeVar("Item")


class Page(Schema, Generic[Item]):
    """The answer of every list: `Page[ItemOut]`."""

    results: list[Item]
    next: str | None = Field(description="下一页的完整地址；最后一页为 null")
    count: int | None = Field(None, description="符合条件的总数；仅在请求带 count=true 时计算")


class PageParams(Schema):
    page_size: int = Field(50, ge=1, le=200, description="每页条数，默认 50，最多 200")
    cursor: str = Field("", description="翻页游标：取上一页返回的 next 地址即可")


def _pack(payload: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload, ensure_ascii=False).encode()).decode().rstrip("=")


def _unpack(cursor: str) -> list:
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error) as exc:
        raise CursorError(INVALID) from exc
    # A NUL would reach the query's text (PostgreSQL refuses it), an integer past bigint its key.
    if not isinstance(payload, list) or len(payload) < 2 or inputs.first_nul(payload) is not None:
        raise CursorError(INVALID)
    if any(isinstance(part, int) and not -DB_INT_MAX <= part <= DB_INT_MAX for part in payload):
        raise CursorError(INVALID)
    return payload


def _jsonable(value):
    return value if value is None or isinstance(value, int | str) else str(value)


def encode_cursor(order: Order, row) -> str:
    payload = [order.name, _jsonable(row.pk)]
    if order.field != "pk":
        payload.append(_jsonable(getattr(row, order.field)))
    return _pack(payload)


def after_cursor(queryset: QuerySet, order: Order, cursor: str) -> QuerySet:
    """Rows that come after the cursor's row in `order`."""
    payload = _unpack(cursor)
    meta = queryset.model._meta
    try:
        if payload[0] != order.name or isinstance(payload[1], bool):
            raise CursorError(INVALID)
        last = meta.pk.to_python(payload[1])
        if order.field == "pk":
            return queryset.filter(pk__lt=last)
        raw = payload[2]
        value = None if raw is None else meta.get_field(order.field).to_python(raw)
        if isinstance(value, float) and value != value:  # NaN compares with nothing
            raise CursorError(INVALID)
    except (IndexError, TypeError, ValidationError, ValueError) as exc:
        raise CursorError(INVALID) from exc
    field, descending = order.field, order.descending
    # NULL sorts as the largest value on PostgreSQL and as the smallest on SQLite.
    nulls_first = order.nullable and descending == connection.features.nulls_order_largest
    if value is None:
        if not order.nullable:
            raise CursorError(INVALID)
        condition = Q(**{f"{field}__isnull": True, "pk__lt": last})
        if nulls_first:
            condition |= Q(**{f"{field}__isnull": False})
        return queryset.filter(condition)
    beyond = f"{field}__lt" if descending else f"{field}__gt"
    bound = f"{field}__lte" if descending else f"{field}__gte"
    # The redundant bound lets the database start the index range at the cursor.
    condition = Q(**{bound: value}) & (Q(**{beyond: value}) | Q(**{field: value, "pk__lt": last}))
    if order.nullable and not nulls_first:
        condition |= Q(**{f"{field}__isnull": True})
    return queryset.filter(condition)


def cursor_page(
    request: HttpRequest, queryset: QuerySet, params: PageParams, order: Order | None = None, *, count: bool = False,
) -> tuple[list, dict]:
    """The page's rows, and the page's envelope without its results: {"next": url or None[, "count": n]}."""
    order = order or newest(queryset.model)
    ordered = queryset.order_by(*order.ordering)
    page = after_cursor(ordered, order, params.cursor) if params.cursor else ordered
    rows = list(page[: params.page_size + 1])
    envelope: dict = {"next": None}
    if len(rows) > params.page_size:
        rows = rows[: params.page_size]
        query = {k: v for k, v in request.GET.items() if k != "cursor"}
        query["cursor"] = encode_cursor(order, rows[-1])
        envelope["next"] = request.build_absolute_uri(f"{request.path}?{urlencode(query)}")
    if count:
        envelope["count"] = queryset.count()
    return rows, envelope
