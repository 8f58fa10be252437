"""The ledger list page and the API list at 1,000,000 projects, against the Django admin changelist.

Same data, same filters, on PostgreSQL. Each request is served in-process through Django's test Client
(all middleware, session, templates), signed in as an office user (the admin as a superuser); the time is
the server's, without network. SQL time is summed per request with `connection.execute_wrapper`.
The page and the admin use OFFSET pagination (?page= / ?p=); the API pages by keyset cursor (`next`), so its
deep page is reached by following `next`. Target: median ≤ 100 ms for every list request of ours.

    python bench/list_bench.py                     # 1M projects (generated once, ~1–2 min), 15 runs each
    python bench/list_bench.py --projects 100000 --runs 5
"""

import argparse
import statistics
import time
from urllib.parse import urlsplit

import common
import dbgen

TARGET_MS = 100.0

# (name, ledger/API query, admin changelist query or None when the admin has no equivalent)
SCENARIOS: list[tuple[str, str, str | None]] = [
    ("no filter, page 1", "", ""),
    ("league + status, page 1", "region=150200&status=in_ledger",
     "prefecture__code__exact=150200&status__exact=in_ledger"),
    ("league + status, page 100", "region=150200&status=in_ledger&page=100",
     "prefecture__code__exact=150200&status__exact=in_ledger&p=100"),
    ("county + status, page 1", "region=150202&status=candidate", "region__code__exact=150202&status__exact=candidate"),
    ("category + kind, page 1", "category=A03&kind=idle", "category__code__exact=A03&kind__exact=idle"),
    ("category + kind, page 50", "category=A03&kind=idle&page=50", "category__code__exact=A03&kind__exact=idle&p=50"),
    ("keyword 幼儿园, page 1", "q=幼儿园", "q=幼儿园"),
    ("keyword 阳光 + league, page 1", "q=阳光&region=150400", "q=阳光&prefecture__code__exact=150400"),
    ("keyword 敬老院 + league + status, p. 1", "q=敬老院&region=150100&status=in_ledger",
     "q=敬老院&prefecture__code__exact=150100&status__exact=in_ledger"),
    ("status, sort by total desc, page 1", "status=in_ledger&sort=-total", None),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15, help="timed requests per URL (after 2 warm-up requests)")
    parser.add_argument("--regenerate", action="store_true", help="refill the projects even if the count matches")
    parser.add_argument("--no-explain", action="store_true", help="skip EXPLAIN ANALYZE of the slowest queries")
    parser.add_argument("--database-url", default=common.DEFAULT_DATABASE_URL)
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    return parser.parse_args()


class SqlTimer:
    """Sums the time of every query executed while installed; keeps the slowest statement."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.total = 0.0
        self.count = 0
        self.slowest = (0.0, "", None)

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.total += elapsed
            self.count += 1
            if elapsed > self.slowest[0]:
                self.slowest = (elapsed, sql, params)


def make_users():
    from halfbuilt.accounts.models import Organization, OrgKind, RoleAssignment, User

    office_org = Organization.objects.get(kind=OrgKind.OFFICE)
    office, _ = User.objects.get_or_create(username="bench_office")
    RoleAssignment.objects.get_or_create(user=office, role="office", organization=office_org)
    common.unread_notifications(office)
    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={"is_staff": True, "is_superuser": True})
    return office, admin


def measure(client, url: str, runs: int, timer: SqlTimer) -> dict:
    from django.db import connection

    samples, sql, counts, slowest = [], [], [], []
    with connection.execute_wrapper(timer):
        for i in range(runs + 2):
            timer.reset()
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            if i < 2:  # warm-up: caches, connection, first template compile
                continue
            samples.append(elapsed * 1000)
            sql.append(timer.total * 1000)
            counts.append(timer.count)
            slowest.append(timer.slowest)
    worst = max(slowest, key=lambda s: s[0])
    median = statistics.median(samples)
    sql_median = statistics.median(sql)
    return {
        "url": url, **{k: v for k, v in common.summary(samples).items() if k != "values"}, "values_ms": samples,
        "sql_ms": sql_median, "sql_share": sql_median / median if median else 0.0, "queries": max(counts),
        "slowest_sql_ms": statistics.median([s[0] * 1000 for s in slowest]),
        "slowest_sql": worst[1], "slowest_params": [str(p) for p in (worst[2] or [])], "_params": worst[2],
    }


def api_deep_url(client, query: str, page: int) -> str:
    """The API's own link to page `page`: follow `next` from page 1."""
    url = f"/api/v1/projects?{query}"
    for _ in range(page - 1):
        data = client.get(url).json()
        if not data.get("next"):
            break  # a small data set has fewer pages: time the last one
        parts = urlsplit(data["next"])
        url = f"{parts.path}?{parts.query}"
    return url


def explain(sql: str, params) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    args = parse_args()
    common.configure_env(args.database_url)
    common.init_database(args.database_url)
    fill_s = dbgen.ensure_projects(args.database_url, args.projects, force=args.regenerate)
    if fill_s is not None:
        print(f"generated {args.projects:,} projects in {fill_s:.1f} s")
    common.setup_django()
    from django.test import Client

    office, admin = make_users()
    ours, admin_client = Client(), Client()
    ours.force_login(office)
    admin_client.force_login(admin)
    timer = SqlTimer()
    results = []
    for name, query, admin_query in SCENARIOS:
        page = 1
        base = query
        if "page=" in query:
            base = "&".join(p for p in query.split("&") if not p.startswith("page="))
            page = int(query.rsplit("page=", 1)[1])
        entry = {"scenario": name}
        entry["page"] = measure(ours, f"/ledger/?{query}", args.runs, timer)
        api_url = api_deep_url(ours, base, page) if page > 1 else f"/api/v1/projects?{base}"
        entry["api"] = measure(ours, api_url, args.runs, timer)
        if admin_query is not None:
            entry["admin"] = measure(admin_client, f"/admin/ledger/project/?{admin_query}", args.runs, timer)
        results.append(entry)
        line = f"  {name:<40} page {entry['page']['median']:7.1f} ms  api {entry['api']['median']:7.1f} ms"
        if "admin" in entry:
            line += f"  admin {entry['admin']['median']:7.1f} ms"
        print(line, flush=True)
    if not args.no_explain:
        for entry in results:
            for kind in ("page", "api"):
                m = entry[kind]
                if m["median"] > TARGET_MS or m["slowest_sql_ms"] > TARGET_MS / 2:
                    m["explain"] = explain(m["slowest_sql"], m["_params"])
    report(args, results)
    if args.drop:
        from django.db import connections

        connections.close_all()
        common.drop_database(args.database_url)


def report(args: argparse.Namespace, results: list[dict]) -> None:
    print(f"\nLedger list at {args.projects:,} projects, PostgreSQL, median server time over {args.runs} requests "
          f"(in-process test Client)\n")
    rows = []
    for e in results:
        admin = e.get("admin")
        for kind, label in (("page", "/ledger/"), ("api", "/api/v1/projects")):
            m = e[kind]
            ratio = f"{m['median'] / admin['median']:.2f}" if admin else "-"
            ok = "✓" if m["median"] <= TARGET_MS else "✗ MISSED"
            rows.append([e["scenario"], label, m["median"], f"{m['min']:.1f}–{m['max']:.1f}",
                         f"{m['sql_share'] * 100:.0f}%", m["queries"], m["slowest_sql_ms"],
                         admin["median"] if admin else "-", ratio, ok])
    common.print_table(["scenario", "endpoint", "median ms", "min–max ms", "SQL share", "queries",
                        "slowest query ms", "admin median ms", "ours / admin", "≤ 100 ms"], rows)
    worst = max((e[k]["median"], e["scenario"], k) for e in results for k in ("page", "api"))
    print(f"\nslowest of ours: {worst[0]:.1f} ms ({worst[1]}, {worst[2]})"
          f" — target ≤ {TARGET_MS:.0f} ms {'met' if worst[0] <= TARGET_MS else 'MISSED'}")
    for e in results:
        for kind in ("page", "api"):
            if "explain" in e[kind]:
                print(f"\n--- {e['scenario']} ({kind}): slowest query {e[kind]['slowest_sql_ms']:.1f} ms\n"
                      f"{e[kind]['slowest_sql'][:400]}\n{e[kind]['explain']}")
    for e in results:
        for kind in ("page", "api", "admin"):
            e.get(kind, {}).pop("_params", None)
    out = common.write_results("list", {"projects": args.projects, "runs": args.runs, "target_ms": TARGET_MS,
                                        "results": results}, args.database_url)
    print(f"\nresults: {out}")


if __name__ == "__main__":
    main()
