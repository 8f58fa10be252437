"""Fill the real `ledger_project` table fast with `INSERT … SELECT generate_series` (1M rows in about a minute).

Rows have valid foreign keys (every county and league of the reference data, every category with its default
department), both kinds, all statuses, money, partial dates, unique ledger numbers and 项目代码, and a few
classified projects. Columns this script does not know get '' / 0 / false / now() / NULL, so a field added to
the model later does not break it. Deterministic (setseed).

    python bench/dbgen.py --projects 1000000
"""

import argparse
import time

import common

# Two facility words per category, in categories.csv order (A01..A10, B01..B07).
FACILITIES = [
    ["综合办公楼", "便民服务中心"], ["业务技术用房", "应急指挥中心"], ["第二中学教学楼", "幼儿园"],
    ["公共实训基地", "创业孵化中心"], ["人民医院住院楼", "苏木卫生院"], ["敬老院", "养老服务中心"],
    ["公租房小区", "棚户区改造安置房"], ["体育场", "综合文化服务中心"], ["残疾人康复中心", "殡仪馆"],
    ["政务云平台", "智慧城市指挥中心"], ["公路改建工程", "客运站"], ["供热站", "光伏电站配套工程"],
    ["水库除险加固工程", "供水工程"], ["现代农牧业示范园", "防护林工程"], ["污水处理厂", "垃圾处理场"],
    ["市政道路", "地下综合管廊"], ["标准化厂房", "产业园区基础设施"],
]
PLACES = ["新城", "河西", "阳光", "团结", "北苑", "东兴", "和平", "幸福", "民族", "兴安", "青城", "草原", "金川",
          "红山", "锡林", "乌兰", "巴彦", "哈达", "宝山", "长青"]


def _sql_array(values: list) -> str:
    if values and isinstance(values[0], list):
        return "ARRAY[" + ", ".join(_sql_array(v)[6:-1].join(["[", "]"]) for v in values) + "]"
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


# Known columns → SQL over the per-row randoms of `x` and the reference arrays of `ref`.
EXPRESSIONS = {
    "ledger_no": "ref.rc[x.ri] || '-' || lpad(x.g::text, 7, '0')",
    "project_code": ("CASE WHEN x.t < 0.6 THEN (2008 + x.g % 13)::text || '-' || ref.rc[x.ri] || '-48-0' "
                     "|| (1 + x.g % 3)::text || '-' || lpad((x.g % 1000000)::text, 6, '0') ELSE '' END"),
    "name": f"ref.rn[x.ri] || ({_sql_array(PLACES)})[1 + x.g % {len(PLACES)}] || "
            f"({_sql_array(FACILITIES)})[x.ci][1 + (x.g / 7) % 2]",
    "region_id": "ref.rc[x.ri]",
    "prefecture_id": "ref.rp[x.ri]",
    "category_id": "ref.cc[x.ci]",
    "department_id": "CASE WHEN ref.cc[x.ci] = 'A02' AND x.w < 0.2 THEN 'GAT' ELSE ref.cd[x.ci] END",
    "classified": "ref.cc[x.ci] = 'A02' AND x.w < 0.2",
    "kind": "CASE WHEN x.k < 0.7 THEN 'stalled' ELSE 'idle' END",
    "status": ("CASE WHEN x.s < 0.6 THEN 'in_ledger' WHEN x.s < 0.85 THEN 'candidate' "
               "WHEN x.s < 0.95 THEN 'rejected' ELSE 'voided' END"),
    "approval_level": "(ARRAY['region', 'prefecture', 'county', 'county'])[1 + x.g % 4]",
    "approval_date": "(2008 + x.g % 13)::text || '-' || lpad((1 + (x.g * 7) % 12)::text, 2, '0')",
    "start_date": "CASE WHEN x.t < 0.83 THEN (2009 + x.g % 13)::text || '-' || lpad((1 + x.g % 12)::text, 2, '0') "
                  "ELSE '' END",
    "stop_date": "CASE WHEN x.k < 0.7 THEN (2012 + x.g % 10)::text ELSE '' END",
    "completion_date": "CASE WHEN x.k >= 0.7 THEN (2013 + x.g % 9)::text || '-06' ELSE '' END",
    "total_investment": "round((50 + x.w * 60000)::numeric, 2)",
    "completed_investment": "round(((50 + x.w * 60000) * x.u)::numeric, 2)",
    "funds_in_place": "round(((50 + x.w * 60000) * x.t)::numeric, 2)",
    "unpaid_amount": "round((x.u * 500)::numeric, 2)",
    "owner_unit": "ref.rn[x.ri] || '项目建设管理中心'",
    "responsible_unit": "ref.rn[x.ri] || '项目建设管理中心'",
    "responsible_person": "(ARRAY['王伟', '李娜', '张敏', '刘强', '巴特尔', '其其格'])[1 + x.g % 6]",
    "phone": "'139' || lpad((x.g * 7919 % 100000000)::text, 8, '0')",
    "address": "ref.rn[x.ri] || (1 + x.g % 300)::text || '号'",
    "content": "'总建筑面积' || (800 + x.g % 50000)::text || '平方米，建设内容包括主体工程及室外配套工程'",
    "causes": "'建设资金未足额到位，施工单位撤场，项目自停工以来一直处于闲置状态'",
    "version": "1",
    "created_at": "now() - x.g * interval '1 minute'",
    "updated_at": "now() - x.g * interval '1 minute'",
}

REFERENCE_CTE = """
ref AS (
    SELECT array_agg(r.code ORDER BY r.code) AS rc,
           array_agg(CASE WHEN r.level = 'prefecture' THEN r.code ELSE r.parent_id END ORDER BY r.code) AS rp,
           array_agg(CASE WHEN r.level = 'prefecture' THEN r.name || '本级' ELSE r.name END ORDER BY r.code) AS rn,
           count(*)::int AS nr,
           (SELECT array_agg(code ORDER BY code) FROM regions_category) AS cc,
           (SELECT array_agg(default_department_id ORDER BY code) FROM regions_category) AS cd,
           (SELECT count(*)::int FROM regions_category) AS nc
    FROM regions_region r WHERE r.level IN ('prefecture', 'county')
)"""


def _fallback(data_type: str) -> str:
    if data_type in {"character varying", "text"}:
        return "''"
    if data_type in {"integer", "bigint", "smallint", "numeric"}:
        return "0"
    if data_type == "boolean":
        return "false"
    if data_type.startswith("timestamp"):
        return "now()"
    if data_type in {"jsonb", "json"}:
        return "'{}'"
    raise ValueError(f"no fallback for a NOT NULL {data_type} column")


def fill_projects(database_url: str, count: int, seed: float = 0.42) -> float:
    """Replace every project (and the change log) with `count` generated ones; returns seconds taken."""
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(database_url, autocommit=True) as conn:
        columns = conn.execute(
            "SELECT column_name, is_nullable, data_type FROM information_schema.columns "
            "WHERE table_name = 'ledger_project' AND column_name <> 'id' ORDER BY ordinal_position"
        ).fetchall()
        names, values = [], []
        for name, nullable, data_type in columns:
            if name in EXPRESSIONS:
                names.append(name)
                values.append(EXPRESSIONS[name])
            elif nullable == "NO":
                names.append(name)
                values.append(_fallback(data_type))
        conn.execute("TRUNCATE ledger_project, audit_changelog RESTART IDENTITY CASCADE")
        conn.execute("SELECT setseed(%s)", [seed])
        sql = f"""
            WITH {REFERENCE_CTE},
            x AS (
                SELECT g::bigint AS g, 1 + floor(random() * (SELECT nr FROM ref))::int AS ri,
                       1 + floor(random() * (SELECT nc FROM ref))::int AS ci,
                       random() AS k, random() AS s, random() AS t, random() AS u, random() AS w
                FROM generate_series(1, {int(count)}) AS g
            )
            INSERT INTO ledger_project ({", ".join(names)})
            SELECT {", ".join(values)} FROM x, ref ORDER BY x.g"""
        conn.execute(sql)
        conn.execute("VACUUM ANALYZE ledger_project")
    return time.perf_counter() - started


def project_count(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute("SELECT count(*) FROM ledger_project").fetchone()[0]


def ensure_projects(database_url: str, count: int, force: bool = False) -> float | None:
    """Fill when the table does not hold exactly `count` projects; returns the seconds taken, or None."""
    if not force and project_count(database_url) == count:
        return None
    return fill_projects(database_url, count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=common.DEFAULT_DATABASE_URL)
    args = parser.parse_args()
    common.configure_env(args.database_url)
    common.init_database(args.database_url)
    seconds = fill_projects(args.database_url, args.projects)
    print(f"{args.projects:,} projects in {seconds:.1f} s")


if __name__ == "__main__":
    main()
