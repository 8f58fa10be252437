"""Export of 100,000 projects to .xlsx: `halfbuilt.ledger.exports.write_export` against a raw xlsxwriter write.

Each repetition runs in a fresh interpreter and reports its peak RSS (`ru_maxrss`, which includes the
interpreter, Django and the imports). Contenders:
  baseline  the interpreter + Django + the exporter's imports + one query: the memory every child starts from
  raw       the floor: one SQL query (server-side cursor, joins for the region/category/department names) whose
            rows go straight into xlsxwriter constant_memory, same columns and headers
  ours      write_export(Project.objects.all().order_by("-id"), "….xlsx")
Target: peak RSS < 300 MB. Time is reported as a ratio to the raw write.

    python bench/export_bench.py                       # 100k projects (generated if needed), 3 runs each
"""

import argparse
import os
import sys
from pathlib import Path

import common
import dbgen

SCRIPT = Path(__file__).resolve()
TARGET_MB = 300.0

RAW_SQL = """
SELECT p.ledger_no, p.project_code, p.name,
       r.code || ' ' || coalesce(pr.name, '') || CASE WHEN r.level = 'county' THEN r.name ELSE '' END,
       p.address, p.longitude, p.latitude, c.code || ' ' || c.name, coalesce(d.name, ''), p.approval_level,
       p.approval_date, p.approval_doc, p.owner_unit, p.owner_uscc, p.content, p.kind, p.total_investment,
       p.completed_investment, p.funds_in_place, p.unpaid_amount, p.start_date, p.stop_date, p.completion_date,
       p.causes, p.responsible_unit, p.responsible_person, p.phone, p.status,
       CASE WHEN p.classified THEN '是' ELSE '否' END
FROM ledger_project p
JOIN regions_region r ON r.code = p.region_id
LEFT JOIN regions_region pr ON pr.code = r.parent_id
JOIN regions_category c ON c.code = p.category_id
LEFT JOIN regions_department d ON d.code = p.department_id
ORDER BY p.id DESC"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--regenerate", action="store_true", help="refill the projects even if the count matches")
    parser.add_argument("--database-url", default=common.DEFAULT_DATABASE_URL)
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    common.configure_env(args.database_url)
    common.init_database(args.database_url)
    fill_s = dbgen.ensure_projects(args.database_url, args.projects, force=args.regenerate)
    if fill_s is not None:
        print(f"generated {args.projects:,} projects in {fill_s:.1f} s")
    raw: dict[str, list[dict]] = {"baseline": [], "raw": [], "ours": []}
    for _ in range(args.runs):
        for task in raw:
            result = common.run_child(SCRIPT, [task, str(common.OUT_DIR / f"export_{task}.xlsx")])
            raw[task].append(result)
            print(f"  {task:<9} {result.get('rows', 0):>8,} rows  {result.get('seconds', 0):7.2f} s  "
                  f"peak {result['peak_rss_mb']:.0f} MB", flush=True)
    report(args, raw)
    if args.drop:
        common.drop_database(args.database_url)


def report(args: argparse.Namespace, raw: dict[str, list[dict]]) -> None:
    figures = {}
    for task, results in raw.items():
        rss = [r["peak_rss_mb"] for r in results]
        figures[task] = {"peak_rss_mb": common.summary(rss), "rows": results[0].get("rows", 0)}
        if task != "baseline":
            figures[task]["seconds"] = common.summary([r["seconds"] for r in results])
            figures[task]["file_mb"] = results[-1]["file_mb"]
    base_mb = figures["baseline"]["peak_rss_mb"]["median"]
    ours, floor = figures["ours"], figures["raw"]
    ratios = {
        "ours_time_over_raw": ours["seconds"]["median"] / floor["seconds"]["median"],
        "ours_rss_over_baseline_mb": ours["peak_rss_mb"]["median"] - base_mb,
        "raw_rss_over_baseline_mb": floor["peak_rss_mb"]["median"] - base_mb,
    }
    print(f"\nExport of {args.projects:,} projects to .xlsx (medians over {args.runs} fresh processes)\n")
    rows = [["baseline: interpreter + Django + imports", "-", "-", "-", round(base_mb), "-", "-"]]
    for task, label in (("raw", "raw: SQL → xlsxwriter constant_memory"), ("ours", "ours: write_export")):
        f = figures[task]
        rows.append([label, f["rows"], f["seconds"]["median"], f"{f['seconds']['min']:.1f}–{f['seconds']['max']:.1f}",
                     round(f["peak_rss_mb"]["median"]), round(f["peak_rss_mb"]["median"] - base_mb), f["file_mb"]])
    common.print_table(["contender", "rows", "median s", "min–max s", "peak RSS MB", "RSS above baseline MB",
                        "file MB"], rows)
    peak = ours["peak_rss_mb"]["max"]
    print(f"\nours / raw time: {ratios['ours_time_over_raw']:.2f}×")
    print(f"ours peak RSS (worst run): {peak:.0f} MB — target < {TARGET_MB:.0f} MB "
          f"{'met' if peak < TARGET_MB else 'MISSED'}")
    out = common.write_results("export", {"projects": args.projects, "target_mb": TARGET_MB, "figures": figures,
                                          "ratios": ratios, "raw": raw}, args.database_url)
    print(f"\nresults: {out}")


# ---------------------------------------------------------------- children


def child_main(argv: list[str]) -> None:
    task, path = argv
    common.configure_env(os.environ["DATABASE_URL"])
    common.setup_django()
    import xlsxwriter
    from django.db import connection

    from halfbuilt.ledger.dictionary import FIELDS
    from halfbuilt.ledger.exports import write_export
    from halfbuilt.ledger.models import Project

    total = Project.objects.count()  # the baseline holds a connection, as the others do
    if task == "baseline":
        common.child_output({"rows": total})
        return
    if task == "ours":
        seconds, count = common.timed(lambda: write_export(Project.objects.all().order_by("-id"), path))
    else:
        def write() -> int:
            workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
            sheet = workbook.add_worksheet("台账")
            sheet.write_row(0, 0, [f.label for f in FIELDS])
            n = 0
            with connection.connection.cursor(name="bench_export") as cursor:
                cursor.itersize = 2000
                cursor.execute(RAW_SQL)
                for n, row in enumerate(cursor, start=1):
                    for col, value in enumerate(row):
                        if value is None or value == "":
                            continue
                        if isinstance(value, str):
                            sheet.write_string(n, col, value)
                        else:
                            sheet.write_number(n, col, float(value))
            workbook.close()
            return n

        from django.db import transaction

        with transaction.atomic():  # a named (server-side) cursor lives inside a transaction
            seconds, count = common.timed(write)
    assert count == total, (count, total)
    common.child_output({"rows": count, "seconds": seconds, "file_mb": round(Path(path).stat().st_size / 2**20, 1)})


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
    else:
        main()
