"""Reconcile an external list against the ledger (prevention/reconcile.py) at 1,000,000 projects on PostgreSQL.

100,000 external rows: 60 % carry a 项目代码 (nine in ten of them in the ledger), 40 % only a region and a name
(three in four a ledger name altered as lists write it: a league's name before it, 项目/工程 after it, a word
dropped; the rest works the ledger does not hold). Measured in the same run:

- the key part, `reconcile.by_code` (the user's scope, chunks of codes on the unique index), against the exact-key
  SQL join of the same rows: COPY into a temporary table and join it to ledger_project (target: within 3×);
- the fuzzy part, `reconcile.by_name`: one LATERAL lookup per row over the GIN (region_id, lower(name) gin_trgm_ops)
  index — its plan is printed, so one can see that no pair of rows is compared outside the index;
- the whole `reconcile.reconcile` of the 100,000 rows.

Then the same on SQLite (a child process, its own database with the first --sqlite-projects projects copied over),
where the fuzzy part is the inverted trigram index in Python.

    python bench/reconcile_bench.py                          # 1M projects (generated once), 100k rows
    python bench/reconcile_bench.py --projects 200000 --rows 20000 --runs 1
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time

import psycopg

import common
import dbgen

TARGET_RATIO = 3.0
WHOLE = os.environ.get("RECONCILE_BENCH_WHOLE") == "1"  # also time reconcile() of all rows (the sum of the parts)
TRGM_INDEX = "project_region_name_trgm"  # the prevention app's migration makes it
LEAGUES = ["包头市", "赤峰市", "呼和浩特市", "鄂尔多斯市"]
NEW_WORKS = ["图书馆新馆", "会展中心", "游客服务中心", "物流园区", "冷链仓储中心", "科技馆", "青少年活动中心"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=100_000, help="external rows")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each part (median)")
    parser.add_argument("--sqlite-projects", type=int, default=100_000, help="0 skips SQLite")
    parser.add_argument("--sqlite-rows", type=int, default=10_000)
    parser.add_argument("--skip-fuzzy", action="store_true", help="the key part only (the fuzzy part is minutes at 1M)")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--database-url", default=common.DEFAULT_DATABASE_URL)
    parser.add_argument("--drop", action="store_true")
    parser.add_argument("--child-sqlite", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def external_rows(ledger: list[tuple[int, str, str, str]], count: int, seed: int = 11):
    """(key rows, name rows) as reconcile.ListRow, drawn from ledger rows (id, code, name, region)."""
    from halfbuilt.prevention.reconcile import ListRow

    rng = random.Random(seed)
    with_code = [r for r in ledger if r[1]]
    keyed, named = int(count * 0.6), count - int(count * 0.6)
    keys = []
    for n in range(keyed):
        if n % 10 == 9:  # not in the ledger
            keys.append(ListRow(n, f"2030-150202-48-01-{n:06d}", "某项目", "150202"))
        else:
            _pk, code, name, region = rng.choice(with_code)
            keys.append(ListRow(n, code, name, region))
    names = []
    for n in range(keyed, keyed + named):
        _pk, _code, name, region = rng.choice(ledger)
        kind = n % 4
        if kind == 0:
            name = rng.choice(LEAGUES) + name
        elif kind == 1:
            name = name + rng.choice(["项目", "工程", "（一期）"])
        elif kind == 2:
            name = name[:2] + name[4:]
        else:
            name = name[:4] + rng.choice(NEW_WORKS)
        names.append(ListRow(n, "", name, region))
    return keys, names


def exact_join(rows) -> tuple[float, int]:
    """The baseline: the same rows COPYed into a temporary table and joined on the code, in the office's scope."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic():
        connection.ensure_connection()
        with connection.connection.cursor() as cur:
            cur.execute("CREATE TEMP TABLE ext (idx int, code text) ON COMMIT DROP")
            with cur.copy("COPY ext (idx, code) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row((r.index, r.code))
            cur.execute("SELECT e.idx, p.id, p.name FROM ext e JOIN ledger_project p ON p.project_code = e.code "
                        "WHERE NOT p.classified")
            found = len(cur.fetchall())
    return time.perf_counter() - started, found


def exact_join_sqlite(rows) -> tuple[float, int]:
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE ext (idx int, code text)")
        cur.executemany("INSERT INTO ext VALUES (%s, %s)", [(r.index, r.code) for r in rows])
        cur.execute("SELECT e.idx, p.id, p.name FROM ext e JOIN ledger_project p ON p.project_code = e.code "
                    "WHERE NOT p.classified")
        found = len(cur.fetchall())
        cur.execute("DROP TABLE ext")
    return time.perf_counter() - started, found


def fuzzy_plan(visible, row) -> str:
    """EXPLAIN ANALYZE of one row's lookup, as `reconcile._by_name_pg` writes it."""
    from django.db import connection, transaction

    from halfbuilt.prevention.reconcile import scope_where

    scope_sql, params = scope_where(visible)
    t = '"ledger_project"'
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT set_config('pg_trgm.similarity_threshold', '0.4', true)")
        cur.execute(f"""EXPLAIN (ANALYZE, BUFFERS) SELECT {t}.id, similarity({t}.name, %s) AS sim FROM {t}
                        WHERE {t}.region_id = %s AND {t}.name %% %s AND ({scope_sql})
                        ORDER BY sim DESC, {t}.id LIMIT 1""", [row.name, row.region_code, row.name, *params])
        return "\n".join(line for (line,) in cur.fetchall())


def median_of(runs: int, fn) -> tuple[float, object]:
    times, value = [], None
    for _ in range(runs):
        seconds, value = common.timed(fn)
        times.append(seconds)
    return statistics.median(times), value


def measure(user, keys, names, runs: int, sqlite: bool, fuzzy: bool = True) -> dict:
    from halfbuilt.ledger.models import Project
    from halfbuilt.prevention import reconcile

    visible = Project.objects.restrict(user, "view")
    ours_key, found_key = median_of(runs, lambda: reconcile.by_code(visible, keys))
    baseline, joined = median_of(runs, lambda: (exact_join_sqlite if sqlite else exact_join)(keys))
    # The fuzzy part once (at 1M it is minutes: one index lookup per row), then the whole call once when asked.
    if not fuzzy:
        names = names[:50]  # a sample, for the plan and the table's shape
    ours_name, found_name = common.timed(lambda: reconcile.by_name(visible, names))
    whole, matched = common.timed(lambda: reconcile.reconcile(user, [*keys, *names])) if WHOLE else (None, {})
    result = {
        "key_rows": len(keys), "name_rows": len(names), "key_found": len(found_key), "join_found": joined[1],
        "key_s": round(ours_key, 3), "join_s": round(baseline, 3),
        "name_found": len(found_name), "name_s": round(ours_name, 3),
        "name_ms_per_row": round(ours_name / len(names) * 1000, 2) if names else None,
        "whole_s": round(whole, 3) if whole is not None else None,
        "whole_matched": len(matched),
    }
    result["key_ratio"] = round(result["key_s"] / result["join_s"], 2) if result["join_s"] else None
    if not sqlite:
        result["fuzzy_plan"] = fuzzy_plan(visible, names[0])
    return result


def office_user():
    from halfbuilt.accounts.models import Organization, OrgKind, RoleAssignment, User

    office, _ = User.objects.get_or_create(username="bench_office")
    RoleAssignment.objects.get_or_create(user=office, role="office",
                                         organization=Organization.objects.get(kind=OrgKind.OFFICE))
    return office


def ledger_sample(limit: int | None = None) -> list[tuple[int, str, str, str]]:
    from halfbuilt.ledger.models import Project

    rows = Project.objects.filter(classified=False).order_by("id").values_list("id", "project_code", "name",
                                                                                "region_id")
    return list(rows[:limit] if limit else rows.iterator(chunk_size=20000))


def sqlite_child(args: argparse.Namespace) -> None:
    """In a fresh SQLite database: the first --sqlite-projects projects (given on stdin as JSON), then measure."""
    common.setup_django()
    from django.core.management import call_command

    from halfbuilt.ledger.models import Project

    call_command("init", verbosity=0, skip_checks=True)
    ledger = json.load(sys.stdin)
    if Project.objects.count() != len(ledger):
        Project.objects.all().delete()
        Project.objects.bulk_create([Project(**p) for p in ledger], batch_size=2000)
    sample = [(p["id"], p["project_code"], p["name"], p["region_id"]) for p in ledger]
    keys, names = external_rows(sample, args.sqlite_rows)
    common.child_output(measure(office_user(), keys, names, args.runs, sqlite=True))


def run_sqlite(args: argparse.Namespace) -> dict:
    from halfbuilt.ledger.models import Project

    fields = ["id", "ledger_no", "project_code", "name", "region_id", "prefecture_id", "category_id", "department_id",
              "kind", "status", "classified"]
    ledger = list(Project.objects.filter(classified=False).order_by("id").values(*fields)[:args.sqlite_projects])
    data_dir = common.OUT_DIR / "sqlite-reconcile"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["HALFBUILT_DATA_DIR"] = str(data_dir)
    proc = subprocess.run([sys.executable, __file__, "--child-sqlite", "--sqlite-rows", str(args.sqlite_rows),
                           "--runs", str(args.runs)], input=json.dumps(ledger, default=str), capture_output=True,
                          text=True, env=env, cwd=common.ROOT)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode or not lines:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise RuntimeError("the SQLite child failed")
    return {"projects": len(ledger), **json.loads(lines[-1])}


def main() -> None:
    args = parse_args()
    if args.child_sqlite:
        sqlite_child(args)
        return
    common.configure_env(args.database_url)
    common.init_database(args.database_url)
    generated = index_s = None
    if args.regenerate or dbgen.project_count(args.database_url) != args.projects:
        # The trigram index is built once after the fill (as `CREATE INDEX` on a loaded table), not row by row.
        with psycopg.connect(args.database_url, autocommit=True) as conn:
            conn.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")
        generated = dbgen.fill_projects(args.database_url, args.projects)
        with psycopg.connect(args.database_url, autocommit=True) as conn:
            index_s, _ = common.timed(lambda: conn.execute(
                f"CREATE INDEX {TRGM_INDEX} ON ledger_project USING gin (region_id, lower(name) gin_trgm_ops)"))
            conn.execute("ANALYZE ledger_project")
        print(f"{args.projects:,} projects generated in {generated:.0f} s; trigram index built in {index_s:.0f} s")
    common.setup_django()
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE ledger_project")
    keys, names = external_rows(ledger_sample(), args.rows)
    pg = measure(office_user(), keys, names, args.runs, sqlite=False, fuzzy=not args.skip_fuzzy)
    common.print_table(
        ["PostgreSQL, 1 run each (median of runs)", "rows", "found", "seconds", "vs exact join"],
        [["exact-key SQL join (COPY + JOIN)", pg["key_rows"], pg["join_found"], pg["join_s"], 1.0],
         ["ours, key part (by_code)", pg["key_rows"], pg["key_found"], pg["key_s"], pg["key_ratio"]],
         ["ours, fuzzy part (by_name)", pg["name_rows"], pg["name_found"], pg["name_s"],
          f"{pg['name_ms_per_row']} ms a row"],
         ["ours, whole reconcile", pg["key_rows"] + pg["name_rows"], pg["whole_matched"], pg["whole_s"], "-"]])
    print("\nfuzzy lookup plan (one row):\n" + pg["fuzzy_plan"])
    verdict = "within" if pg["key_ratio"] <= TARGET_RATIO else "OUTSIDE"
    print(f"\nkey part: {pg['key_ratio']}× the exact join — {verdict} the {TARGET_RATIO:g}× target")
    sqlite = run_sqlite(args) if args.sqlite_projects else None
    if sqlite:
        print()
        common.print_table(
            [f"SQLite, {sqlite['projects']:,} projects", "rows", "found", "seconds", "vs exact join"],
            [["exact-key SQL join (INSERT + JOIN)", sqlite["key_rows"], sqlite["join_found"], sqlite["join_s"], 1.0],
             ["ours, key part", sqlite["key_rows"], sqlite["key_found"], sqlite["key_s"], sqlite["key_ratio"]],
             ["ours, fuzzy part (Python trigram index)", sqlite["name_rows"], sqlite["name_found"], sqlite["name_s"],
              f"{sqlite['name_ms_per_row']} ms a row"],
             ["ours, whole reconcile", sqlite["key_rows"] + sqlite["name_rows"], sqlite["whole_matched"],
              sqlite["whole_s"], "-"]])
    path = common.write_results("reconcile", {"projects": args.projects, "generated_s": generated,
                                              "trigram_index_s": index_s, "postgresql": pg,
                                              "sqlite": sqlite}, args.database_url)
    print(f"\nresults: {path.relative_to(common.ROOT)}")
    if args.drop:
        common.drop_database(args.database_url)


if __name__ == "__main__":
    main()
