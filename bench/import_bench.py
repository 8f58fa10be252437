"""Import of a generated ledger .xlsx into PostgreSQL: our importer against django-import-export and the floor.

Contenders, each repetition in a fresh interpreter on freshly truncated tables (projects + change log):
  ours        `halfbuilt ledger import FILE --region 150000 --json` (the CLI command, called in-process
              with call_command so only the import is timed; the child's whole wall time is recorded too)
  floor       python-calamine parse + typing in Python + psycopg `cursor.copy` into a plain table
  floor_real  diagnostic: the same rows COPYed into ledger_project (its indexes, foreign keys, checks) plus one
              change-log row each with a JSON snapshot — what the schema costs, with no validation at all
  ie_default  django-import-export 4.4 `ModelResource` for Project, default options
  ie_bulk     the same, tuned: use_bulk=True, batch_size=1000, skip_diff=True, force_init_instance=True
  ours_rev    with --rev REV: ours at git revision REV (its src/ exported under bench/out/), alternating with
              ours, so a change is measured against what it replaced under the same load
django-import-export reads the file the way its admin does (`base_formats.XLSX().create_dataset`); its time
is load + import_data. It is slow (≈ 6 min per 100k rows with defaults), so `--ie-rows` runs it on the first
N rows of the same generated ledger and extrapolates linearly; the table says so.

    python bench/import_bench.py                       # 100k rows, ours/floor ×3, import-export on 10k ×1
    python bench/import_bench.py --ie-rows 100000      # import-export on the full file too (slow)
    python bench/import_bench.py --columns 13 --only floor floor_real ours   # the narrow 13-column sheet
"""

import argparse
import io
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import common
import gen_ledger

SCRIPT = Path(__file__).resolve()
FLOOR_TABLE = "bench_floor_ledger"
TRUNCATE_SQL = "TRUNCATE ledger_project, audit_changelog RESTART IDENTITY CASCADE"


# ---------------------------------------------------------------- parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the ledger (default 100000)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of ours and the floor (default 3)")
    parser.add_argument("--ie-rows", type=int, default=10_000,
                        help="rows given to django-import-export; fewer than --rows → extrapolated (default 10000)")
    parser.add_argument("--ie-runs", type=int, default=1, help="repetitions of each import-export variant")
    parser.add_argument("--only", nargs="+", choices=["ours", "ours_rev", "floor", "floor_real", "ie_default",
                                                      "ie_bulk"], help="run only these contenders")
    parser.add_argument("--columns", type=int, choices=sorted(gen_ledger.LAYOUTS), default=len(gen_ledger.COLUMNS),
                        help="24: the template's columns (default); 13: the narrow sheet many counties send")
    parser.add_argument("--rev", help="also run ours at this git revision (contender ours_rev)")
    parser.add_argument("--database-url", default=common.DEFAULT_DATABASE_URL,
                        help=f"bench database, created if missing (default {common.DEFAULT_DATABASE_URL})")
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    return parser.parse_args()


def reset(database_url: str) -> None:
    """Fresh tables for each repetition, and no dirty pages left over from the previous one."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(TRUNCATE_SQL)
        conn.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        conn.execute(FLOOR_DDL)
        conn.execute("CHECKPOINT")


def main() -> None:
    args = parse_args()
    common.configure_env(args.database_url)
    common.init_database(args.database_url)
    chosen = args.only or ["floor", "floor_real", "ours", "ie_bulk", "ie_default"]
    if args.rev and "ours_rev" not in chosen:
        chosen.append("ours_rev")
    rev_src = export_revision(args.rev) if "ours_rev" in chosen else None
    path = gen_ledger.ensure_ledger(args.rows, columns=args.columns)
    ie_rows = min(args.ie_rows, args.rows)
    ie_path = gen_ledger.ensure_ledger(ie_rows, columns=args.columns)
    raw: dict[str, list[dict]] = {name: [] for name in chosen}

    def run(task: str, file: Path, rows: int) -> None:
        reset(args.database_url)
        env_path = os.environ["PYTHONPATH"]
        if task == "ours_rev":  # that revision's halfbuilt first on the path, ahead of the installed one
            os.environ["PYTHONPATH"] = os.pathsep.join([str(rev_src), env_path])
        try:
            result = common.run_child(SCRIPT, [task, str(file), str(rows)])
        except RuntimeError as exc:  # one failing contender must not lose the others' figures
            print(f"  {task:<10} FAILED: {exc}", flush=True)
            return
        finally:
            os.environ["PYTHONPATH"] = env_path
        raw[task].append(result)
        print(f"  {task:<10} {rows:>7,} rows  {result['seconds']:8.2f} s  peak {result['peak_rss_mb']:.0f} MB",
              flush=True)
        if result.get("rows_missing"):
            print(f"  WARNING: {task} wrote {result['rows']:,} of the file's {rows:,} rows", flush=True)

    # Ours and the floor alternate, so drift in background load hits both alike.
    for _ in range(args.runs):
        for task in ("floor", "floor_real", "ours", "ours_rev"):
            if task in chosen:
                run(task, path, args.rows)
    for _ in range(args.ie_runs):
        for task in ("ie_bulk", "ie_default"):
            if task in chosen:
                run(task, ie_path, ie_rows)
    reset(args.database_url)
    report(args, raw, ie_rows)
    if args.drop:
        common.drop_database(args.database_url)


def export_revision(rev: str) -> Path:
    """The src/ of git revision `rev`, exported once under bench/out/ (the schema must be the same as now's)."""
    sha = subprocess.run(["git", "rev-parse", "--short", rev], capture_output=True, text=True, check=True,
                         cwd=common.ROOT).stdout.strip()
    target = common.OUT_DIR / f"rev-{sha}"
    if not (target / "src").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", sha, "src"], capture_output=True, check=True, cwd=common.ROOT)
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target / "src"


def report(args: argparse.Namespace, raw: dict[str, list[dict]], ie_rows: int) -> None:
    scale = args.rows / ie_rows
    figures: dict[str, dict] = {}
    for task, results in raw.items():
        if not results:
            continue
        rows = results[0]["rows"]
        stats = common.summary([r["seconds"] for r in results])
        extrapolated = task.startswith("ie_") and rows < args.rows
        figures[task] = {
            **stats,
            "rows": rows,
            "seconds_at_full_rows": stats["median"] * (scale if extrapolated else 1),
            "extrapolated": extrapolated,
            "peak_rss_mb": max(r["peak_rss_mb"] for r in results),
            "phases": {k: common.summary([r["phases"][k] for r in results])["median"] for k in results[0]["phases"]},
        }
    ratios = {}
    if "ours" in figures:
        ours = figures["ours"]["seconds_at_full_rows"]
        if "floor" in figures:
            ratios["ours_over_floor"] = ours / figures["floor"]["median"]
        if "floor_real" in figures:
            ratios["ours_over_diagnostic"] = ours / figures["floor_real"]["median"]
        if "ours_rev" in figures:
            ratios["ours_over_ours_rev"] = ours / figures["ours_rev"]["median"]
        for task in ("ie_default", "ie_bulk"):
            if task in figures:
                ratios[f"{task}_over_ours"] = figures[task]["seconds_at_full_rows"] / ours
    labels = {
        "floor": "floor: calamine + typing + COPY",
        "floor_real": "diagnostic: floor into the real tables + change log",
        "ours": "ours: halfbuilt ledger import",
        "ours_rev": f"ours at {args.rev}",
        "ie_bulk": "import-export tuned (bulk, skip_diff)",
        "ie_default": "import-export defaults",
    }
    print(f"\nImport of a {args.rows:,}-row, {args.columns}-column ledger into PostgreSQL (medians; each run a "
          "fresh process and table)\n")
    rows = []
    for task, f in figures.items():
        at_full = f"{f['seconds_at_full_rows']:.1f}" + (f" (extrapolated ×{scale:g})" if f["extrapolated"] else "")
        phases = ", ".join(f"{k} {v:.2f}" for k, v in f["phases"].items())
        rows.append([labels[task], f["rows"], f["runs"], f["median"], f"{f['min']:.2f}–{f['max']:.2f}",
                     at_full, round(f["rows"] / f["median"]), round(f["peak_rss_mb"]), phases])
    common.print_table(["contender", "rows", "runs", "median s", "min–max s", f"s at {args.rows:,} rows",
                        "rows/s", "peak RSS MB", "phases (median s)"], rows)
    print()
    targets = {"ours_over_floor": ("≤ 3", lambda x: x <= 3), "ie_default_over_ours": ("≥ 10", lambda x: x >= 10)}
    for name, value in ratios.items():
        target, ok = targets.get(name, ("", None))
        verdict = "" if ok is None else ("  target " + target + (" ✓ met" if ok(value) else " ✗ MISSED"))
        print(f"{name:<22} {value:6.2f}×{verdict}")
    out = common.write_results("import", {"rows": args.rows, "columns": args.columns, "rev": args.rev,
                                          "ie_rows": ie_rows, "figures": figures, "ratios": ratios, "raw": raw},
                               args.database_url)
    print(f"\nresults: {out}")


# ---------------------------------------------------------------- children


FLOOR_DDL = f"""
CREATE TABLE {FLOOR_TABLE} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, seq integer, name text, project_code text,
    region_code text, address text, category_code text, kind text, approval_level text, approval_date text,
    approval_doc text, owner_unit text, owner_uscc text, content text, total_investment numeric(16,4),
    completed_investment numeric(16,4), funds_in_place numeric(16,4), unpaid_amount numeric(16,4),
    start_date text, stop_date text, completion_date text, causes text, responsible_unit text,
    responsible_person text, phone text
)"""
FLOOR_COLUMNS = ["seq", "name", "project_code", "region_code", "address", "category_code", "kind", "approval_level",
                 "approval_date", "approval_doc", "owner_unit", "owner_uscc", "content", "total_investment",
                 "completed_investment", "funds_in_place", "unpaid_amount", "start_date", "stop_date",
                 "completion_date", "causes", "responsible_unit", "responsible_person", "phone"]
# The narrow sheet's columns (gen_ledger.NARROW), in the floor's table.
NARROW_FLOOR_COLUMNS = ["seq", "name", "region_code", "category_code", "kind", "total_investment",
                        "completed_investment", "start_date", "stop_date", "causes", "responsible_unit",
                        "responsible_person", "phone"]
_MONTH_RE = re.compile(r"^(\d{4})年(\d{1,2})月$")


def _floor_lookups() -> tuple[dict[str, str], dict[str, str]]:
    counties, categories = gen_ledger._reference()
    return {full: code for code, full, _ in counties}, {name: code for code, name in categories}


def child_floor(path: str) -> dict:
    """The least any importer must do: read every cell, type it, and COPY it into a table without indexes."""
    import psycopg
    from python_calamine import CalamineWorkbook

    regions, categories = _floor_lookups()
    kinds = {"未完工停建": "stalled", "已竣工未投用": "idle"}
    quant = Decimal("0.0001")

    def money(v):
        return None if v is None or v == "" else Decimal(str(v)).quantize(quant)

    def month(v):
        if not v:
            return ""
        m = _MONTH_RE.match(v)
        return f"{m.group(1)}-{int(m.group(2)):02d}" if m else v

    parse_s, cells = common.timed(lambda: CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python())

    narrow = len(cells[0]) == len(NARROW_FLOOR_COLUMNS)

    def typed():
        out = []
        if narrow:  # each cell of the 13 typed as in the full sheet
            for r in cells[1:]:
                out.append((int(r[0]), r[1].strip(), regions[r[2]], categories[r[3]], kinds[r[4]], money(r[5]),
                            money(r[6]), month(r[7]), month(r[8]), r[9], r[10], r[11], str(r[12])))
            return out
        for r in cells[1:]:
            out.append((int(r[0]), r[1].strip(), r[2].strip(), regions[r[3]], r[4], categories[r[5]], kinds[r[6]],
                        r[7], month(r[8]), r[9], r[10], r[11], r[12], money(r[13]), money(r[14]), money(r[15]),
                        money(r[16]), month(r[17]), month(r[18]), month(r[19]), r[20], r[21], r[22], str(r[23])))
        return out

    type_s, rows = common.timed(typed)
    columns = NARROW_FLOOR_COLUMNS if narrow else FLOOR_COLUMNS

    def copy():
        with psycopg.connect(os.environ["DATABASE_URL"]) as conn, conn.cursor() as cur:
            with cur.copy(f"COPY {FLOOR_TABLE} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            conn.commit()
            return cur.execute(f"SELECT count(*) FROM {FLOOR_TABLE}").fetchone()[0]

    copy_s, count = common.timed(copy)
    assert count == len(rows), (count, len(rows))
    return {"rows": count, "seconds": parse_s + type_s + copy_s,
            "phases": {"parse": parse_s, "type": type_s, "copy": copy_s}}


def child_floor_real(path: str) -> dict:
    """Diagnostic: the floor's rows COPYed into the real tables (ledger_project with its indexes, foreign keys and
    checks, then one change-log row per project with its JSON snapshot). Shows what the schema itself costs.
    The rows reference what ours references (the category's department, the responsible unit as an organization,
    created once), and the COMMIT is timed: PostgreSQL runs the deferred foreign-key checks there."""
    common.setup_django()
    import datetime as dt
    import time

    from django.db import connection, transaction
    from python_calamine import CalamineWorkbook

    from halfbuilt.accounts.models import Organization, OrgKind
    from halfbuilt.regions.models import Category, Region

    regions, categories = _floor_lookups()
    prefecture = {r.code: r.prefecture.code if r.prefecture else None
                  for r in Region.objects.select_related("parent")}
    kinds = {"未完工停建": "stalled", "已竣工未投用": "idle"}
    levels = {"自治区": "region", "盟市": "prefecture", "旗县": "county"}
    quant = Decimal("0.0001")
    now = dt.datetime.now(dt.UTC)

    def money(v):
        return None if v is None or v == "" else Decimal(str(v)).quantize(quant)

    def month(v):
        m = _MONTH_RE.match(v) if v else None
        return f"{m.group(1)}-{int(m.group(2)):02d}" if m else (v or "")

    parse_s, cells = common.timed(lambda: CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python())
    narrow = len(cells[0]) == len(NARROW_FLOOR_COLUMNS)
    columns = ["ledger_no", "name", "project_code", "region_id", "prefecture_id", "address", "category_id", "kind",
               "approval_level", "approval_date", "approval_doc", "owner_unit", "owner_uscc", "content",
               "total_investment", "completed_investment", "funds_in_place", "unpaid_amount", "start_date",
               "stop_date", "completion_date", "causes", "responsible_unit", "responsible_person", "phone", "status",
               "status_reason", "classified", "version", "created_at", "updated_at"]
    if narrow:
        columns = ["ledger_no", "name", "region_id", "prefecture_id", "category_id", "kind", "total_investment",
                   "completed_investment", "start_date", "stop_date", "causes", "responsible_unit",
                   "responsible_person", "phone", "status", "status_reason", "classified", "version", "created_at",
                   "updated_at"]

    def typed():
        out = []
        if narrow:
            for r in cells[1:]:
                region = regions[r[2]]
                out.append((f"{region}-{int(r[0]):05d}", r[1].strip(), region, prefecture[region], categories[r[3]],
                            kinds[r[4]], money(r[5]), money(r[6]), month(r[7]), month(r[8]), r[9], r[10], r[11],
                            str(r[12]), "candidate", "", False, 1, now, now))
            return out
        for r in cells[1:]:
            region = regions[r[3]]
            out.append((f"{region}-{int(r[0]):05d}", r[1].strip(), r[2].strip(), region, prefecture[region], r[4],
                        categories[r[5]], kinds[r[6]], levels.get(r[7], ""), month(r[8]), r[9], r[10], r[11], r[12],
                        money(r[13]), money(r[14]), money(r[15]), money(r[16]), month(r[17]), month(r[18]),
                        month(r[19]), r[20], r[21], r[22], str(r[23]), "candidate", "", False, 1, now, now))
        return out

    # NOT NULL columns the file does not give (e.g. stage; the narrow sheet's missing ones) get their model default.
    from halfbuilt.ledger.models import Project

    extra = [f for f in Project._meta.concrete_fields if f.column not in columns and not f.null and not f.primary_key]
    columns += [f.column for f in extra]
    defaults = tuple(f.get_default() for f in extra)

    def typed_full():
        return [row + defaults for row in typed()]

    type_s, rows = common.timed(typed_full)
    phases = {"parse": parse_s, "type": type_s}
    # Where a typed row holds its region, category and responsible unit.
    region_at, category_at, unit_at = (2, 4, 11) if narrow else (3, 6, 22)
    columns += ["department_id", "responsible_org_id"]

    def references():
        departments = dict(Category.objects.values_list("code", "default_department_id"))
        wanted = {(row[unit_at], row[region_at]) for row in rows if row[unit_at]}

        def known():
            names = {name for name, _ in wanted}
            return {(n, r): pk for n, r, pk in
                    Organization.objects.filter(name__in=names).values_list("name", "region_id", "pk")}

        orgs = known()
        Organization.objects.bulk_create([Organization(name=n, region_id=r, kind=OrgKind.UNIT)
                                          for n, r in wanted - orgs.keys()], ignore_conflicts=True)
        orgs = known()
        return [row + (departments[row[category_at]], orgs.get((row[unit_at], row[region_at]))) for row in rows]

    started = time.perf_counter()
    with transaction.atomic():
        phases["references"], rows = common.timed(references)
        raw = connection.connection
        with raw.cursor() as cur:
            def copy_projects():
                with cur.copy(f"COPY ledger_project ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return [i for (i,) in cur.execute("SELECT id FROM ledger_project ORDER BY id").fetchall()]

            phases["copy_projects"], ids = common.timed(copy_projects)

            def copy_log():
                log_columns = ["at", "username", "via", "action", "object_type", "object_id", "object_repr",
                               "project_id", "classified", "after", "reason", "batch"]
                with cur.copy(f"COPY audit_changelog ({', '.join(log_columns)}) FROM STDIN") as copy:
                    for pk, row in zip(ids, rows, strict=True):
                        snapshot = json.dumps(dict(zip(columns, map(str, row), strict=True)), ensure_ascii=False)
                        copy.write_row((now, "bench", "cli", "import_create", "project", pk, row[1][:200], pk, False,
                                        snapshot, "", "bench"))

            phases["copy_log"], _ = common.timed(copy_log)
    phases["commit"] = time.perf_counter() - started - phases["references"] - phases["copy_projects"] \
        - phases["copy_log"]
    return {"rows": len(ids), "seconds": sum(phases.values()), "phases": phases}


def child_ours(path: str, file_rows: int) -> dict:
    common.setup_django()
    from django.core.management import call_command

    from halfbuilt.ledger.models import Project

    out = io.StringIO()
    phases = _time_intake_phases()

    def run():
        try:
            call_command("ledger", "import", path, "--region", "150000", "--json", stdout=out)
        except SystemExit as exc:  # the command's exit code contract: 1 = file has errors
            if exc.code not in (0, None):
                raise RuntimeError(f"import exited {exc.code}: {out.getvalue()[:2000]}") from exc

    seconds, _ = common.timed(run)
    report = json.loads(out.getvalue().strip().splitlines()[-1])
    if report.get("errors"):
        raise RuntimeError(f"import reported errors: {report['errors'][:5]}")
    count = Project.objects.count()
    assert count == report["created"], (count, report)
    # Rows of the file the importer did not write are a correctness problem, not a speed one: recorded.
    phases["other"] = seconds - sum(phases.values())
    return {"rows": count, "seconds": seconds, "phases": phases, "rows_missing": file_rows - count,
            "report_counts": {k: report[k] for k in ("rows", "created", "updated", "unchanged")}}


def _time_intake_phases() -> dict[str, float]:
    """Wrap the intake steps the command calls (read, plan, apply) so their share of the time is known."""
    import functools

    from halfbuilt.ledger.management.commands import ledger as command

    phases: dict[str, float] = {}
    # import_sheets validates and writes at once (stream.py), so those two have no separate times.
    for name, label in (("read_workbook", "read"), ("import_sheets", "validate+write")):
        fn = getattr(command, name, None)
        if fn is None:
            continue

        @functools.wraps(fn)
        def timed_step(*args, _fn=fn, _label=label, **kwargs):
            seconds, value = common.timed(lambda: _fn(*args, **kwargs))
            phases[_label] = phases.get(_label, 0.0) + seconds
            return value

        setattr(command, name, timed_step)
    return phases


def child_ie(path: str, tuned: bool) -> dict:
    common.setup_django()
    from import_export.formats.base_formats import XLSX

    from halfbuilt.ledger.models import Project

    resource = make_resource(tuned)
    data = Path(path).read_bytes()
    load_s, dataset = common.timed(lambda: XLSX().create_dataset(data))
    import_s, result = common.timed(lambda: resource.import_data(dataset, dry_run=False, raise_errors=True))
    if result.has_errors() or result.has_validation_errors():
        raise RuntimeError("django-import-export reported errors")
    count = Project.objects.count()
    assert count == len(dataset), (count, len(dataset))
    return {"rows": count, "seconds": load_s + import_s, "phases": {"load": load_s, "import_data": import_s}}


def make_resource(tuned: bool):
    """A ModelResource for Project fitted to the template's Chinese headers.

    Reference columns use in-memory dict widgets (cheaper than import-export's ForeignKeyWidget, which
    queries once per row), so this errs in import-export's favour. It writes no change log; ours does.
    """
    from import_export import fields, resources, widgets

    from halfbuilt.ledger.models import ApprovalLevel, Kind, Project
    from halfbuilt.ledger.rules import parse_partial_date
    from halfbuilt.regions.models import Category, Region

    class MapWidget(widgets.Widget):
        def __init__(self, mapping: dict, blank=None):
            super().__init__()
            self.mapping, self.blank = mapping, blank

        def clean(self, value, row=None, **kwargs):
            return self.blank if value in (None, "") else self.mapping[value]

    class PartialDateWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return parse_partial_date(value)

    regions = {r.full_name: r for r in Region.objects.select_related("parent")}
    categories = list(Category.objects.all())
    text = widgets.CharWidget()
    money = widgets.DecimalWidget()
    date = PartialDateWidget()

    def char(attribute, column):
        return fields.Field(attribute=attribute, column_name=column, widget=text)

    class ProjectResource(resources.ModelResource):
        name = char("name", "项目名称")
        project_code = char("project_code", "项目代码")
        region_id = fields.Field("region_id", "所在地区", widget=MapWidget({k: r.code for k, r in regions.items()}))
        prefecture_id = fields.Field("prefecture_id", "所在地区", widget=MapWidget(
            {k: r.prefecture.code if r.prefecture else None for k, r in regions.items()}))
        address = char("address", "建设地点")
        category_id = fields.Field("category_id", "项目类别", widget=MapWidget({c.name: c.code for c in categories}))
        department_id = fields.Field("department_id", "项目类别", widget=MapWidget(
            {c.name: c.default_department_id for c in categories}))
        kind = fields.Field("kind", "类型", widget=MapWidget({label: v for v, label in Kind.choices}))
        approval_level = fields.Field("approval_level", "审批层级", widget=MapWidget(
            {label: v for v, label in ApprovalLevel.choices}, blank=""))
        approval_date = fields.Field("approval_date", "审批时间", widget=date)
        approval_doc = char("approval_doc", "审批文号")
        owner_unit = char("owner_unit", "项目（建设）单位")
        owner_uscc = char("owner_uscc", "建设单位统一社会信用代码")
        content = char("content", "建设内容及规模")
        total_investment = fields.Field("total_investment", "总投资（万元）", widget=money)
        completed_investment = fields.Field("completed_investment", "已完成投资（万元）", widget=money)
        funds_in_place = fields.Field("funds_in_place", "到位资金（万元）", widget=money)
        unpaid_amount = fields.Field("unpaid_amount", "欠付资金（万元）", widget=money)
        start_date = fields.Field("start_date", "开工时间", widget=date)
        stop_date = fields.Field("stop_date", "停工时间", widget=date)
        completion_date = fields.Field("completion_date", "竣工时间", widget=date)
        causes = char("causes", "停建或未投用原因")
        responsible_unit = char("responsible_unit", "责任单位")
        responsible_person = char("responsible_person", "责任人")
        phone = char("phone", "联系电话")

        class Meta:
            model = Project
            fields = ("id", "name", "project_code", "region_id", "prefecture_id", "address", "category_id",
                      "department_id", "kind", "approval_level", "approval_date", "approval_doc", "owner_unit",
                      "owner_uscc", "content", "total_investment", "completed_investment", "funds_in_place",
                      "unpaid_amount", "start_date", "stop_date", "completion_date", "causes", "responsible_unit",
                      "responsible_person", "phone")
            if tuned:
                use_bulk = True
                batch_size = 1000
                skip_diff = True
                force_init_instance = True

        numbers = iter(range(1, 10**9))

        def before_save_instance(self, instance, row, **kwargs):
            # 台账编号 is not in the file; ours assigns it too (region code + running number).
            instance.ledger_no = f"IE-{next(self.numbers):07d}"

    return ProjectResource()


def child_main(argv: list[str]) -> None:
    task, path, rows = argv
    common.configure_env(os.environ["DATABASE_URL"])
    if task == "floor":
        result = child_floor(path)
    elif task == "floor_real":
        result = child_floor_real(path)
    elif task in ("ours", "ours_rev"):
        result = child_ours(path, int(rows))
    else:
        result = child_ie(path, tuned=task == "ie_bulk")
    common.child_output(result)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
    else:
        main()
