"""The monthly roll-up of the whole province (and of one league) against a raw-SQL aggregate of the same numbers.

Data: N projects (default 5,000, via dbgen) of which the in-ledger ones are put in disposal (80 % 处置中,
10 % 销号审核中, 10 % 已销号), each with a plan drafted two years ago, a milestone every quarter, and M months
(default 24) of reports up to last month: 93 % submitted (one in ten of them after the due day), 2 % drafts,
5 % missing. Reports are written with `INSERT … SELECT generate_series` in a few seconds.

Measured in-process on PostgreSQL: `progress.services.rollup_figures(org, month)` (the ORM's one aggregate
query, including building it) for the office (province) and for the Baotou government (one league), each
against a hand-written SQL aggregate of the same figures run through the same connection. The numbers of
both must be equal, or the benchmark stops. Median of --runs after 2 warm-ups.

    python bench/rollup_bench.py --drop
    python bench/rollup_bench.py --projects 20000 --months 36 --runs 31
"""

import argparse
import time
from decimal import Decimal

import common
import dbgen

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/halfbuilt_rollup_bench"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    return parser.parse_args()


def _insert_select(conn, table: str, expressions: dict[str, str], source: str) -> int:
    """INSERT every column of `table`: known ones from `expressions`, NOT NULL others a neutral value (so a
    column another app adds later does not break the generator)."""
    columns = conn.execute(
        "SELECT column_name, is_nullable, data_type FROM information_schema.columns "
        "WHERE table_name = %s AND column_name <> 'id' ORDER BY ordinal_position", [table]).fetchall()
    names, values = [], []
    for name, nullable, data_type in columns:
        if name in expressions:
            names.append(name)
            values.append(expressions[name])
        elif nullable == "NO":
            names.append(name)
            values.append(dbgen._fallback(data_type))
    return conn.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)} {source}").rowcount


def generate(database_url: str, projects: int, months: int, last_period: str) -> dict:
    """Projects, stages, plans, milestones, reports and their milestones met; returns counts and seconds."""
    import psycopg

    started = time.perf_counter()
    dbgen.fill_projects(database_url, projects)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("TRUNCATE progress_rollup, progress_progressreport_milestones_met, progress_progressreport, "
                     "disposal_milestone, disposal_plan RESTART IDENTITY CASCADE")
        conn.execute("SELECT setseed(0.24)")
        conn.execute("""UPDATE ledger_project SET stage = CASE WHEN status <> 'in_ledger' THEN ''
                        WHEN id % 10 < 8 THEN 'disposing' WHEN id % 10 = 8 THEN 'closing' ELSE 'closed' END""")
        plans = _insert_select(conn, "disposal_plan", {
            "project_id": "p.id", "method": "'revitalise'", "lead_unit": "p.responsible_unit",
            "responsible_person": "p.responsible_person", "deadline": "DATE '2027-12-31'", "facts": "'{}'",
            "status": "'confirmed'", "created_at": "now() - interval '3 years'",
            "updated_at": "now() - interval '3 years'",
        }, "FROM ledger_project p WHERE p.stage <> ''")
        # Month k (0 = the oldest) is to_char(first + k months); its due day the 5th of the month after.
        first = f"(DATE '{last_period}-01' - interval '{months - 1} months')"
        months_cte = f"FROM disposal_plan pl, generate_series(0, {months - 1}, 3) AS k"
        milestones = _insert_select(conn, "disposal_milestone", {
            "plan_id": "pl.id", "title": "'第' || (k / 3 + 1)::text || '季度节点'",
            "due_date": f"({first} + k * interval '1 month')::date + 9",
            "met_date": f"({first} + k * interval '1 month')::date + 20",
        }, months_cte)
        reports = _insert_select(conn, "progress_progressreport", {
            "project_id": "p.id", "period": f"to_char({first} + k * interval '1 month', 'YYYY-MM')",
            "progress": "'按计划推进，本月完成主体结构施工'", "physical_progress": "least(100, 2 + k * 4)",
            "investment_month": "round((random() * 200)::numeric, 4)",
            "investment_cumulative": "round((coalesce(p.completed_investment, 0) + k * 100)::numeric, 4)",
            "new_funds": "round((random() * 50)::numeric, 4)", "problems": "'资金缺口较大'",
            "suggestions": "'申请专项债券'", "status": "CASE WHEN r < 0.98 THEN 'submitted' ELSE 'draft' END",
            # Local (Beijing) times: the 3rd of the following month, or the 7th for one in ten (late).
            "submitted_at": (f"CASE WHEN r < 0.98 THEN (({first} + (k + 1) * interval '1 month') "
                             "+ CASE WHEN r < 0.1 THEN interval '6 days 2 hours' ELSE interval '2 days' END) "
                             "AT TIME ZONE 'Asia/Shanghai' END"),
            "submitted_by": "'bench'", "version": "1",
        }, f"""FROM (SELECT p.*, k, random() AS r, random() AS s
                   FROM ledger_project p, generate_series(0, {months - 1}) AS k WHERE p.stage <> '') p
              WHERE p.s < 0.95""")
        links = conn.execute("""
            INSERT INTO progress_progressreport_milestones_met (progressreport_id, milestone_id)
            SELECT r.id, m.id FROM disposal_milestone m JOIN disposal_plan pl ON pl.id = m.plan_id
            JOIN progress_progressreport r ON r.project_id = pl.project_id
             AND r.period = to_char(m.met_date, 'YYYY-MM') AND r.status = 'submitted'""").rowcount
        conn.execute("VACUUM ANALYZE")
    return {"plans": plans, "milestones": milestones, "reports": reports, "milestones_met_links": links,
            "seconds": round(time.perf_counter() - started, 1)}


RAW_SQL = """
SELECT count(*),
       count(*) FILTER (WHERE r.status = 'submitted'),
       count(*) FILTER (WHERE r.status = 'submitted' AND r.submitted_at >= %(late)s),
       count(*) FILTER (WHERE r.status = 'draft'),
       sum(r.investment_month) FILTER (WHERE r.status = 'submitted'),
       sum(r.investment_cumulative) FILTER (WHERE r.status = 'submitted'),
       sum(r.new_funds) FILTER (WHERE r.status = 'submitted'),
       coalesce(sum(mm.n), 0),
       count(*) FILTER (WHERE p.stage = 'disposing'),
       count(*) FILTER (WHERE p.stage = 'closing'),
       count(*) FILTER (WHERE p.stage = 'closed')
FROM ledger_project p
LEFT JOIN progress_progressreport r ON r.project_id = p.id AND r.period = %(period)s
LEFT JOIN disposal_plan pl ON pl.project_id = p.id
LEFT JOIN (SELECT t.progressreport_id, count(*) AS n
           FROM progress_progressreport_milestones_met t
           JOIN progress_progressreport r2 ON r2.id = t.progressreport_id
           WHERE r2.period = %(period)s AND r2.status = 'submitted' GROUP BY t.progressreport_id) mm
       ON mm.progressreport_id = r.id
WHERE NOT p.classified AND p.status = 'in_ledger' {region}
  AND ((p.stage IN ('disposing', 'closing') AND (pl.id IS NULL OR pl.created_at < %(end)s))
       OR r.status = 'submitted')
"""


def raw_figures(connection, period: str, prefecture: str | None) -> dict:
    from halfbuilt.progress import periods
    from halfbuilt.progress.services import _plain

    sql = RAW_SQL.format(region="AND p.prefecture_id = %(prefecture)s" if prefecture else "")
    params = {"period": period, "late": periods.late_after(period), "end": periods.period_end(period),
              "prefecture": prefecture}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    due, submitted, late, drafts, month, cumulative, funds, met, disposing, closing, closed = row
    return {
        "due": due, "submitted": submitted, "late": late, "drafts": drafts, "missing": due - submitted,
        "investment_month": _plain(month or Decimal(0)), "investment_cumulative": _plain(cumulative or Decimal(0)),
        "new_funds": _plain(funds or Decimal(0)), "milestones_met": int(met),
        "by_stage": {k: v for k, v in (("disposing", disposing), ("closing", closing), ("closed", closed)) if v},
    }


def measure(fn, runs: int) -> tuple[dict, object]:
    value = None
    for _ in range(2):
        value = fn()
    samples = []
    for _ in range(runs):
        seconds, value = common.timed(fn)
        samples.append(seconds * 1000)
    return common.summary(samples), value


def main() -> None:
    args = parse_args()
    common.configure_env(args.database_url)
    common.init_database(args.database_url)
    common.setup_django()
    from django.db import connection

    from halfbuilt.accounts.models import Organization, OrgKind
    from halfbuilt.progress import periods, services

    period = periods.open_period()  # last month: its due day has passed by the 6th
    generated = generate(args.database_url, args.projects, args.months, period)
    print(f"generated in {generated['seconds']} s: {generated}")
    office = Organization.objects.select_related("region").get(kind=OrgKind.OFFICE)
    league = Organization.objects.select_related("region").get(name="包头市人民政府")
    scenarios = [("province (office)", office, None), ("one league (包头市)", league, "150200")]
    rows, results = [], []
    compared = ("due", "submitted", "late", "drafts", "investment_month", "investment_cumulative", "new_funds",
                "milestones_met", "by_stage")
    for name, org, prefecture in scenarios:
        ours, figures = measure(lambda org=org: services.rollup_figures(org, period), args.runs)
        raw, numbers = measure(lambda p=prefecture: raw_figures(connection, period, p), args.runs)
        mine = {k: figures[k] for k in compared}
        theirs = {k: numbers[k] for k in compared}
        if figures["missing"] + figures["pending"] != numbers["missing"] or mine != theirs:
            raise SystemExit(f"{name}: figures differ\n ours: {figures}\n  raw: {numbers}")
        ratio = ours["median"] / raw["median"]
        rows.append([name, figures["due"], figures["submitted"], figures["late"], figures["missing"],
                     round(ours["median"], 2), round(raw["median"], 2), round(ratio, 2)])
        results.append({"scenario": name, "figures": figures, "ours_ms": ours, "raw_sql_ms": raw, "ratio": ratio})
    print(f"\nperiod {period}, {args.projects:,} projects × {args.months} months "
          f"({generated['reports']:,} reports), median of {args.runs} runs\n")
    common.print_table(["roll-up", "due", "submitted", "late", "missing", "rollup_figures ms", "raw SQL ms",
                        "ratio"], rows)
    out = common.write_results("rollup", {"projects": args.projects, "months": args.months, "runs": args.runs,
                                          "period": period, "generated": generated, "results": results},
                               args.database_url)
    print(f"\nresults: {out}")
    if args.drop:
        connection.close()
        common.drop_database(args.database_url)


if __name__ == "__main__":
    main()
