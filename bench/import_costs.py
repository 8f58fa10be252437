"""PostgreSQL's share of an import, item by item: the rows an import stored are COPYed again into the real tables
with their foreign keys or secondary indexes taken away (inside a transaction that is rolled back), and the
change log is made as ours makes it (INSERT … SELECT building the snapshot) and from JSON text (COPY).

    python bench/import_costs.py --columns 13          # imports the 100k-row narrow file once, then measures
"""

import argparse
import time
from collections.abc import Callable

import common
import gen_ledger
import import_bench


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--columns", type=int, choices=sorted(gen_ledger.LAYOUTS), default=len(gen_ledger.COLUMNS))
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each measurement (the minimum is shown)")
    parser.add_argument("--each", action="store_true", help="also take away each key and index on its own")
    parser.add_argument("--database-url", default=common.DEFAULT_DATABASE_URL)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    common.configure_env(args.database_url)
    common.init_database(args.database_url)
    path = gen_ledger.ensure_ledger(args.rows, columns=args.columns)
    import_bench.reset(args.database_url)
    common.run_child(import_bench.SCRIPT, ["ours", str(path), str(args.rows)])
    common.setup_django()
    import psycopg

    from halfbuilt.audit.services import ENTRY_COLUMNS, WHO_COLUMNS
    from halfbuilt.ledger import bulk

    with psycopg.connect(args.database_url) as conn:
        projects, log = (_dump(conn, table) for table in ("ledger_project", "audit_changelog"))
        names = {kind: [r[0] for r in conn.execute(sql)] for kind, sql in {
            "fk": "SELECT conname FROM pg_constraint WHERE conrelid = 'ledger_project'::regclass AND contype = 'f'",
            "index": "SELECT indexname FROM pg_indexes WHERE tablename = 'ledger_project' AND indexname NOT IN "
                     "('ledger_project_pkey', 'project_ledger_no_unique', 'project_code_unique')",
            "log_index": "SELECT indexname FROM pg_indexes WHERE tablename = 'audit_changelog' "
                         "AND indexname <> 'audit_changelog_pkey'",
        }.items()}

    def measure(label: str, setup: list, body: Callable) -> None:
        """The minimum of `runs` timings of `body`, after `setup` (SQL, or a function of the connection)."""
        times = []
        for _ in range(args.runs):
            with psycopg.connect(args.database_url) as conn:
                conn.execute("TRUNCATE ledger_project, audit_changelog RESTART IDENTITY CASCADE")
                conn.commit()
                with conn.transaction(force_rollback=True):
                    conn.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as the importer: checks inside the COPY
                    for step in setup:
                        step(conn) if callable(step) else conn.execute(step)
                    started = time.perf_counter()
                    body(conn)
                    times.append(time.perf_counter() - started)
        print(f"{label:<62} {min(times):6.2f} s", flush=True)

    def copy(table: str, data: bytes) -> Callable:
        def body(conn) -> None:
            with conn.cursor().copy(f"COPY {table} FROM STDIN") as c:
                c.write(data)
        return body

    def run(sql: str) -> Callable:
        return lambda conn: conn.execute(sql)

    drop_fks = [f"ALTER TABLE ledger_project DROP CONSTRAINT {n}" for n in names["fk"]]
    drop_indexes = [f"DROP INDEX {n}" for n in names["index"]]
    print(f"PostgreSQL's part of storing {args.rows:,} rows of the {args.columns}-column file (min of {args.runs})\n")
    measure("projects: a plain table (no index, key or check)",
            ["CREATE TEMP TABLE plain (LIKE ledger_project INCLUDING DEFAULTS)"], copy("plain", projects))
    measure("projects: ledger_project as it is", [], copy("ledger_project", projects))
    measure(f"projects: without its {len(names['fk'])} foreign keys", drop_fks, copy("ledger_project", projects))
    measure(f"projects: without its {len(names['index'])} secondary indexes", drop_indexes,
            copy("ledger_project", projects))
    measure("projects: without either", drop_fks + drop_indexes, copy("ledger_project", projects))
    if args.each:
        for sql in drop_fks + drop_indexes:
            measure(f"  without {sql.split()[-1][:48]}", [sql], copy("ledger_project", projects))

    # The change log, over the projects put back first (not timed).
    stored = copy("ledger_project", projects)
    entries = ", ".join(bulk.CREATED_ENTRY[c] for c in ENTRY_COLUMNS)
    insert = (f"INSERT INTO audit_changelog ({', '.join([*WHO_COLUMNS, *ENTRY_COLUMNS])}) SELECT now(), NULL, "
              f"'bench', NULL, 'cli', 'import_create', 'bench', {entries} FROM ledger_project AS p ORDER BY p.id")
    drop_log_indexes = [f"DROP INDEX {n}" for n in names["log_index"]]
    measure("log: INSERT … SELECT building the snapshot (as ours)", [stored], run(insert))
    measure("log: COPY of the JSON text (as the diagnostic)", [stored], copy("audit_changelog", log))
    measure(f"log: INSERT … SELECT, without its {len(drop_log_indexes)} secondary indexes",
            [stored, *drop_log_indexes], run(insert))
    measure("log: building the snapshot alone", [stored], run(
        f"SELECT count(*) FROM ledger_project AS p WHERE ({bulk.CREATED_ENTRY['after']}) IS NOT NULL"))


def _dump(conn, table: str) -> bytes:
    chunks = []
    with conn.cursor().copy(f"COPY {table} TO STDOUT") as c:
        for data in c:
            chunks.append(bytes(data))
    return b"".join(chunks)


if __name__ == "__main__":
    main()
