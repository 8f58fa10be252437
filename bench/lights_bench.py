"""The daily light recompute at N projects with 24 months of reports, against ONE hand-written SQL statement
computing the same lights in the same run, and the ledger list filtered by light and reason.

Data: `rollup_bench.generate` (projects via dbgen; every in-ledger one in disposal with a plan, quarterly
milestones and M months of reports), then facts varied so that every rule speaks: deadlines passed, milestones
not met, progress behind, plans back in draft or waiting for review, months not reported, closure requests
waiting.

Measured in-process on PostgreSQL:
  - `recompute()` the first time (every light new: history and change log written for all), then the daily
    case (nothing changed: nothing written), then after 1 % of the projects' facts changed; wall time, the
    Python heap's peak (tracemalloc) and the process's peak RSS;
  - the baseline: one SELECT computing every project's colour and reasons (bits) with no writes, summed per
    colour; ours must give the same counts and bit sums, or the benchmark stops. Target: the daily
    recompute within 2× of it;
  - `/ledger/?light=…` and `?reason=…` (and the API) as the office, through the test Client (list_bench's
    measure). Target: median ≤ 100 ms.

    python bench/lights_bench.py --projects 100000 --runs 3
    python bench/lights_bench.py --drop           # 1,000,000 projects
    python bench/lights_bench.py --list-only      # the list again, on the lights of the last run
"""

import argparse
import time
import tracemalloc

import common
import list_bench
import rollup_bench

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/halfbuilt_lights_bench"
LIST_SCENARIOS = [
    ("no filter, page 1 (reference)", ""),
    ("red, page 1", "light=red"),
    ("yellow + league, page 1", "light=yellow&region=150200"),
    ("red, page 20", "light=red&page=20"),
    ("reason 节点逾期, page 1", "reason=milestone_overdue"),
    ("reason 缺报 (red) + league, page 1", "reason=reports_missing&region=150400"),
    ("green + category, page 1", "light=green&category=A03"),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--runs", type=int, default=3, help="timed recomputes / baseline statements")
    parser.add_argument("--list-runs", type=int, default=15, help="timed requests per list URL")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the projects and reports of the last run (only the lights are cleared)")
    parser.add_argument("--list-only", action="store_true",
                        help="measure only the list, on the lights of the last run (nothing regenerated or recomputed)")
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    return parser.parse_args()


def clear_lights(database_url: str) -> None:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("TRUNCATE lights_light, lights_lightreason, lights_lightchange")
        conn.execute("DELETE FROM audit_changelog WHERE action = 'light_change'")


def reports_count() -> int:
    from halfbuilt.progress.models import ProgressReport

    return ProgressReport.objects.count()


def vary(database_url: str, last_period: str) -> None:
    """Make every rule hit some projects (by id modulo primes, so the sets overlap a little)."""
    import psycopg

    from halfbuilt.progress import periods

    recent = periods.shift(last_period, -3)
    clear_lights(database_url)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("UPDATE disposal_plan SET deadline = DATE '2025-06-30' WHERE project_id % 13 = 0")
        conn.execute("UPDATE disposal_plan SET deadline = (now() + interval '200 days')::date "
                     "WHERE project_id % 5 = 1")
        conn.execute("UPDATE disposal_milestone SET met_date = NULL WHERE plan_id % 11 = 0 AND due_date < now()")
        conn.execute("UPDATE progress_progressreport SET physical_progress = round(physical_progress * 0.55, 2) "
                     "WHERE project_id % 7 = 0")
        conn.execute("UPDATE disposal_plan SET status = 'submitted', updated_at = now() - interval '40 days' "
                     "WHERE project_id % 17 = 0")
        conn.execute("UPDATE disposal_plan SET status = 'draft' WHERE project_id % 23 = 0")
        conn.execute("UPDATE ledger_project SET stage = 'planning' WHERE id % 23 = 0 AND stage IN "
                     "('disposing', 'closing')")
        conn.execute(f"DELETE FROM progress_progressreport_milestones_met WHERE progressreport_id IN "
                     f"(SELECT id FROM progress_progressreport WHERE period > '{recent}' AND "
                     f"(project_id % 19 = 0 OR project_id % 29 = 0))")
        conn.execute(f"DELETE FROM progress_progressreport WHERE period > '{recent}' AND project_id % 19 = 0")
        conn.execute(f"DELETE FROM progress_progressreport WHERE period = '{last_period}' AND project_id % 29 = 0")
        conn.execute("TRUNCATE closure_closurerequest_evidence, closure_closurerequest CASCADE")
        rollup_bench._insert_select(conn, "closure_closurerequest", {
            "project_id": "p.id", "outcome": "'in_use'", "outcome_date": "now()::date",
            "description": "'已投入使用'", "status": "'requested'", "requested_by": "'bench'",
            "requested_at": "now() - (p.id % 30) * interval '1 day'",
        }, "FROM ledger_project p WHERE p.stage = 'closing'")
        conn.execute("VACUUM ANALYZE")


# The same rules as lights/rules.py, written out as one statement: flags per project, then bits and colours.
ONE_STATEMENT = """
WITH base AS (
  SELECT p.id, p.stage, pl.id AS plan_id, pl.status AS plan_status, pl.deadline, pl.created_at, pl.updated_at,
         (pl.created_at AT TIME ZONE 'Asia/Shanghai')::date AS drafted
  FROM ledger_project p LEFT JOIN disposal_plan pl ON pl.project_id = p.id
  WHERE p.status = 'in_ledger' AND p.stage <> 'closed'),
latest AS (
  SELECT DISTINCT ON (project_id) project_id, physical_progress FROM progress_progressreport
  WHERE status = 'submitted' ORDER BY project_id, period DESC),
gaps AS (
  SELECT b.id, count(*) AS n
  FROM base b JOIN unnest(%(periods)s::text[], %(ends)s::timestamptz[]) AS m(period, ends)
    ON b.plan_id IS NULL OR b.created_at < m.ends
  WHERE b.stage IN ('disposing', 'closing') AND NOT EXISTS (
    SELECT 1 FROM progress_progressreport r WHERE r.project_id = b.id AND r.period = m.period
      AND r.status = 'submitted')
  GROUP BY b.id),
measured AS (
  SELECT b.*, g.n AS missing,
    CASE WHEN b.stage = 'disposing' AND b.plan_id IS NOT NULL THEN
      (CASE WHEN %(today)s::date >= b.deadline THEN 100 WHEN b.drafted >= %(today)s::date THEN 0
            ELSE (%(today)s::date - b.drafted) * 100.0 / (b.deadline - b.drafted) END)
      - coalesce(l.physical_progress, 0) END AS behind
  FROM base b LEFT JOIN latest l ON l.project_id = b.id LEFT JOIN gaps g ON g.id = b.id),
bits AS MATERIALIZED (
  SELECT id,
      CASE WHEN behind >= %(y_points)s AND behind <= %(r_points)s THEN 1 ELSE 0 END
    + CASE WHEN behind > %(r_points)s THEN 2 ELSE 0 END
    + CASE WHEN stage IN ('disposing', 'closing') AND coalesce(missing, 0) >= %(y_months)s
            AND coalesce(missing, 0) < %(r_months)s THEN 4 ELSE 0 END
    + CASE WHEN stage IN ('disposing', 'closing') AND coalesce(missing, 0) >= %(r_months)s THEN 8 ELSE 0 END
    + CASE WHEN %(today)s::date > %(draft_by)s::date AND (plan_id IS NULL OR plan_status = 'draft')
           THEN 16 ELSE 0 END
    + CASE WHEN %(today)s::date > %(confirm_by)s::date AND plan_status IN ('submitted', 'returned', 'approved')
           THEN 32 ELSE 0 END
    + CASE WHEN stage <> 'closing' AND EXISTS (SELECT 1 FROM disposal_milestone m WHERE m.plan_id = measured.plan_id
           AND m.due_date < %(today)s::date AND m.met_date IS NULL) THEN 64 ELSE 0 END
    + CASE WHEN stage <> 'closing' AND deadline < %(today)s::date THEN 128 ELSE 0 END
    + CASE WHEN plan_status IN ('submitted', 'approved') AND updated_at < %(since)s THEN 256 ELSE 0 END
    + CASE WHEN EXISTS (SELECT 1 FROM closure_closurerequest c WHERE c.project_id = measured.id AND (
           (c.status = 'requested' AND c.requested_at < %(since)s)
           OR (c.status = 'approved' AND c.reviewed_at < %(since)s))) THEN 512 ELSE 0 END AS reasons
  FROM measured)
SELECT colour, count(*), sum(reasons) FROM (
  SELECT reasons, CASE WHEN reasons & (2 | 8 | 16 | 128) <> 0 THEN 3 WHEN reasons <> 0 THEN 2 ELSE 1 END AS colour
  FROM bits) lit
GROUP BY colour ORDER BY colour
"""


def one_statement(now) -> dict:
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from halfbuilt.progress import periods
    from halfbuilt.supervision.lights.models import LightSettings
    from halfbuilt.supervision.lights.rules import past_due_periods

    s = LightSettings.current()
    months = past_due_periods(now, s.missing_red_months)
    params = {
        "periods": months, "ends": [periods.period_end(p) for p in months],
        "today": timezone.localtime(now).date(), "since": now - dt.timedelta(days=s.review_wait_days),
        "y_points": s.behind_yellow_points, "r_points": s.behind_red_points, "y_months": s.missing_yellow_months,
        "r_months": s.missing_red_months, "draft_by": s.plan_draft_by, "confirm_by": s.plan_confirm_by,
    }
    with connection.cursor() as cursor:
        cursor.execute(ONE_STATEMENT, params)
        return {int(colour): (n, int(bits)) for colour, n, bits in cursor.fetchall()}


def our_lights() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT colour, count(*), sum(reasons) FROM lights_light GROUP BY colour ORDER BY colour")
        return {int(colour): (n, int(bits)) for colour, n, bits in cursor.fetchall()}


def measured(fn) -> dict:
    tracemalloc.start()
    started = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"s": seconds, "heap_peak_mb": peak / 2**20, "rss_mb": common.peak_rss_mb(), "value": value}


def touch_one_percent(database_url: str) -> None:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("UPDATE disposal_plan SET deadline = deadline - 400 WHERE project_id % 100 = 3")


def main() -> None:
    args = parse_args()
    common.configure_env(args.database_url)
    common.init_database(args.database_url)
    common.setup_django()
    from django.utils import timezone

    from halfbuilt.progress import periods
    from halfbuilt.supervision.lights.recompute import recompute

    period = periods.open_period()
    if args.list_only:
        lists = measure_lists(args)
        out = common.write_results("lights_list", {"projects": args.projects, "lists": lists}, args.database_url)
        print(f"\nresults: {out}")
        return
    if args.reuse:
        generated = {"reused": True, "reports": reports_count()}
        clear_lights(args.database_url)
    else:
        generated = rollup_bench.generate(args.database_url, args.projects, args.months, period)
        vary(args.database_url, period)
    print(f"generated: {generated}", flush=True)
    now = timezone.now()
    one_statement(now)  # warm-up: both sides then read from the same warm caches

    first = measured(lambda: recompute(now=now))
    print(f"first recompute (all new): {first['s']:.2f} s, {first['value']}", flush=True)
    daily, raw = [], []
    for _ in range(args.runs):
        daily.append(measured(lambda: recompute(now=now)))
        raw.append(measured(lambda: one_statement(now)))
    ours, theirs = our_lights(), raw[-1]["value"]
    if ours != theirs:
        raise SystemExit(f"the lights differ\n ours: {ours}\n  one statement: {theirs}")
    touch_one_percent(args.database_url)
    changed = measured(lambda: recompute(now=now))
    ours, theirs = our_lights(), one_statement(now)
    if ours != theirs:
        raise SystemExit(f"after the change the lights differ\n ours: {ours}\n  one statement: {theirs}")

    def med(samples: list[dict], key: str = "s") -> float:
        return common.summary([m[key] for m in samples])["median"]

    rows = [
        ["first recompute (every light new)", round(first["s"], 2), round(first["heap_peak_mb"], 1),
         round(first["s"] / med(raw), 2)],
        [f"daily recompute (nothing changed), median of {args.runs}", round(med(daily), 2),
         round(max(m["heap_peak_mb"] for m in daily), 1), round(med(daily) / med(raw), 2)],
        ["recompute after 1 % of plans changed", round(changed["s"], 2), round(changed["heap_peak_mb"], 1),
         round(changed["s"] / med(raw), 2)],
        [f"ONE SQL statement (baseline), median of {args.runs}", round(med(raw), 2),
         round(max(m["heap_peak_mb"] for m in raw), 1), 1.0],
    ]
    print(f"\n{args.projects:,} projects × {args.months} months ({generated['reports']:,} reports); "
          f"lights by colour (count, bit sum): {ours}\n")
    common.print_table(["run", "seconds", "Python heap peak MB", "× one statement"], rows)
    print(f"process peak RSS: {common.peak_rss_mb():.0f} MB")

    lists = measure_lists(args)
    out = common.write_results("lights", {
        "projects": args.projects, "months": args.months, "runs": args.runs, "generated": generated,
        "lights": {str(k): v for k, v in ours.items()},
        "first": _plain(first), "daily": [_plain(m) for m in daily], "after_change": _plain(changed),
        "one_statement": [_plain(m) for m in raw], "lists": lists,
    }, args.database_url)
    print(f"\nresults: {out}")
    if args.drop:
        from django.db import connections

        connections.close_all()
        common.drop_database(args.database_url)


def measure_lists(args: argparse.Namespace) -> list[dict]:
    """The list pages and the API, filtered by light and reason, as the office (list_bench's measure). The lights'
    tables are vacuumed first, as autovacuum does after the recompute's writes in a deployment (a bench database may
    run without it): the visibility map lets the reason filter's count read its index alone."""
    from django.db import connection
    from django.test import Client

    with connection.cursor() as cursor:
        for table in ("lights_light", "lights_lightreason", "lights_lightchange"):
            cursor.execute(f"VACUUM ANALYZE {table}")

    office, _admin = list_bench.make_users()
    client = Client()
    client.force_login(office)
    timer = list_bench.SqlTimer()
    lists = []
    for name, query in LIST_SCENARIOS:
        page = list_bench.measure(client, f"/ledger/?{query}", args.list_runs, timer)
        api_query = "&".join(p for p in query.split("&") if not p.startswith("page="))
        api = list_bench.measure(client, f"/api/v1/projects?{api_query}", args.list_runs, timer)
        lists.append({"scenario": name, "page": _plain(page), "api": _plain(api)})
    print()
    common.print_table(["list (office)", "page median ms", "page SQL ms", "API median ms", "API SQL ms", "queries"],
                       [[e["scenario"], round(e["page"]["median"], 1), round(e["page"]["sql_ms"], 1),
                         round(e["api"]["median"], 1), round(e["api"]["sql_ms"], 1), e["page"]["queries"]]
                        for e in lists])
    return lists


def _plain(measure: dict) -> dict:
    return {k: (str(v) if k == "value" else v) for k, v in measure.items() if not k.startswith("_")}


if __name__ == "__main__":
    main()
