"""An external list (approved projects, a department's own list, the progress feed) against the ledger the user sees:
by 项目代码, else by region and a fuzzy name (清仓见底: what is on the list but missing from the ledger).

Both parts are set-based. The key part asks the unique index of 项目代码 for the codes in chunks (one array
parameter each on PostgreSQL). The fuzzy part on PostgreSQL is one statement per chunk of rows: a LATERAL subquery
per row over the GIN trigram index on (region, name) (pg_trgm with btree_gin, the app's migration), the best match
above THRESHOLD. On SQLite the same
similarity (pg_trgm's: shared word trigrams over all trigrams) is computed in Python through an inverted index of
the region's candidates' trigrams, so only names sharing a trigram are ever compared, never every pair.
Only projects the user may see are matched: a classified project stays "missing" for whoever cannot see it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection, transaction

from halfbuilt.ledger.models import Project

THRESHOLD = 0.4  # pg_trgm similarity (0..1) from which a same-region name counts as the same work
CODE_CHUNK = 20000
NAME_CHUNK = 5000
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class ListRow:
    index: int  # the caller's key (a row number)
    code: str
    name: str
    region_code: str


@dataclass(frozen=True)
class Match:
    project_id: int
    how: str  # "code" or "name"
    similarity: float = 1.0
    name: str = ""


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word lower-cased, padded with two spaces before and one after."""
    grams: set[str] = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str, b: str) -> float:
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    shared = len(ta & tb)
    return shared / (len(ta) + len(tb) - shared)


def reconcile(user, rows: Iterable[ListRow], threshold: float = THRESHOLD) -> dict[int, Match]:
    """{row index: its match} for the rows found in the user's ledger; the others are missing from it."""
    rows = list(rows)
    visible = Project.objects.restrict(user, "view")
    found = by_code(visible, rows)
    rest = [r for r in rows if r.index not in found and r.name and r.region_code]
    found.update(by_name(visible, rest, threshold))
    return found


def by_code(visible, rows: list[ListRow]) -> dict[int, Match]:
    wanted: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.code:
            wanted[row.code].append(row.index)
    found: dict[int, Match] = {}
    codes = list(wanted)
    for start in range(0, len(codes), CODE_CHUNK):
        chunk = codes[start:start + CODE_CHUNK]
        for code, pk, name in _codes_in(visible, chunk):
            for index in wanted[code]:
                found[index] = Match(pk, "code", 1.0, name)
    return found


def _codes_in(visible, codes: list[str]):
    """(code, id, name) of the visible projects holding `codes`. On PostgreSQL one array parameter (= ANY), not one
    placeholder per code: a chunk of 5,000 placeholders cost about a second to bind and plan at 1M projects."""
    if connection.vendor != "postgresql":
        return visible.filter(project_code__in=codes).values_list("project_code", "pk", "name")
    try:
        scope_sql, scope_params = scope_where(visible)
    except EmptyResultSet:
        return []
    table = connection.ops.quote_name(Project._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(f"SELECT {table}.project_code, {table}.id, {table}.name FROM {table} "
                    f"WHERE {table}.project_code = ANY(%s::text[]) AND ({scope_sql})", [codes, *scope_params])
        return cur.fetchall()


def by_name(visible, rows: list[ListRow], threshold: float = THRESHOLD) -> dict[int, Match]:
    if not rows:
        return {}
    if connection.vendor == "postgresql":
        return _by_name_pg(visible, rows, threshold)
    return _by_name_python(visible, rows, threshold)


def scope_where(visible) -> tuple[str, list]:
    """The WHERE clause of the user's scope over `ledger_project` itself (its columns, no join), to put inside a
    lookup rather than as `id IN (subquery)`, which the planner would run as a semi-join over the whole ledger for
    every row. EmptyResultSet when the user sees nothing."""
    compiler = visible.query.get_compiler(connection=connection)
    try:
        sql, params = visible.query.where.as_sql(compiler, connection)
    except FullResultSet:
        return "TRUE", []
    return sql or "TRUE", list(params)


def _by_name_pg(visible, rows: list[ListRow], threshold: float) -> dict[int, Match]:
    try:
        scope_sql, scope_params = scope_where(visible)
    except EmptyResultSet:  # a user who sees no project: nothing matches
        return {}
    table = connection.ops.quote_name(Project._meta.db_table)
    # The lookup's table is unaliased, so the scope's "ledger_project"."column" references name it.
    sql = f"""
        SELECT r.idx, m.id, m.sim, m.name
        FROM unnest(%s::int[], %s::text[], %s::text[]) AS r(idx, region, name)
        CROSS JOIN LATERAL (
            SELECT {table}.id, {table}.name, similarity(lower({table}.name), lower(r.name)) AS sim FROM {table}
            WHERE {table}.region_id = r.region AND lower({table}.name) %% lower(r.name) AND ({scope_sql})
            ORDER BY sim DESC, {table}.id LIMIT 1
        ) m"""
    found: dict[int, Match] = {}
    with transaction.atomic(), connection.cursor() as cur:
        # `%` uses the session's threshold: set for this transaction only.
        cur.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(threshold)])
        for start in range(0, len(rows), NAME_CHUNK):
            chunk = rows[start:start + NAME_CHUNK]
            cur.execute(sql, [[r.index for r in chunk], [r.region_code for r in chunk], [r.name for r in chunk],
                              *scope_params])
            for idx, pk, sim, name in cur.fetchall():
                found[idx] = Match(pk, "name", round(float(sim), 3), name)
    return found


def _by_name_python(visible, rows: list[ListRow], threshold: float) -> dict[int, Match]:
    by_region: dict[str, list[ListRow]] = defaultdict(list)
    for row in rows:
        by_region[row.region_code].append(row)
    found: dict[int, Match] = {}
    for region, wanted in by_region.items():
        names: dict[int, str] = {}
        grams_of: dict[int, set[str]] = {}
        index: dict[str, list[int]] = defaultdict(list)
        for pk, name in visible.filter(region_id=region).values_list("pk", "name").iterator(chunk_size=5000):
            names[pk], grams_of[pk] = name, trigrams(name)
            for gram in grams_of[pk]:
                index[gram].append(pk)
        for row in wanted:
            mine = trigrams(row.name)
            shared = Counter(pk for gram in mine for pk in index.get(gram, ()))
            best: tuple[float, int] | None = None
            for pk, n in shared.items():
                sim = n / (len(mine) + len(grams_of[pk]) - n)
                if sim >= threshold and (best is None or sim > best[0] or (sim == best[0] and pk < best[1])):
                    best = (sim, pk)
            if best:
                found[row.index] = Match(best[1], "name", round(best[0], 3), names[best[1]])
    return found


def similar_pairs(visible, threshold: float) -> list[tuple[int, int, float]]:
    """(lower id, higher id, similarity) of the visible projects of one region whose names are alike: the
    duplicates' candidates, found through the same index as the fuzzy part (a self-join on PostgreSQL)."""
    try:
        scope_sql, scope_params = scope_where(visible)
    except EmptyResultSet:
        return []
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Project._meta.db_table)
        # The scope's rows once (a CTE over the unaliased table), each joined to its alike names through the index.
        sql = f"""
            WITH seen AS MATERIALIZED (SELECT {table}.id, {table}.region_id, {table}.name FROM {table}
                                       WHERE {scope_sql})
            SELECT a.id, b.id, similarity(lower(a.name), lower(b.name)) FROM seen a JOIN {table} b
              ON b.region_id = a.region_id AND b.id > a.id AND lower(b.name) %% lower(a.name)
            WHERE b.id IN (SELECT id FROM seen)"""
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(threshold)])
            cur.execute(sql, scope_params)
            return [(a, b, round(float(s), 3)) for a, b, s in cur.fetchall()]
    pairs = []
    by_region: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, region, name in visible.values_list("pk", "region_id", "name").iterator(chunk_size=5000):
        by_region[region].append((pk, name))
    for members in by_region.values():
        grams_of = {pk: trigrams(name) for pk, name in members}
        index: dict[str, list[int]] = defaultdict(list)
        for pk in sorted(grams_of):
            mine = grams_of[pk]
            shared = Counter(other for gram in mine for other in index.get(gram, ()))
            for other, n in shared.items():
                sim = n / (len(mine) + len(grams_of[other]) - n)
                if sim >= threshold:
                    pairs.append((other, pk, round(sim, 3)))
            for gram in mine:
                index[gram].append(pk)
    return pairs
