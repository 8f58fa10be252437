"""Generate a realistic county ledger .xlsx in the import template's Chinese headers.

Values cover every league/city and county, every category, both kinds: Chinese names, money in 万元
with 2 decimals, partial dates as counties write them ("2018年6月"), 项目代码 and USCC with valid forms.
Deterministic: the same seed gives the same rows, and the first N rows of a bigger file equal a file of N rows.

    python bench/gen_ledger.py --rows 100000 bench/out/ledger_100k.xlsx
    python bench/gen_ledger.py --rows 100000 --columns 13     # the narrow sheet: 序号, 项目名称, … 联系电话
"""

import argparse
import csv
import random
from pathlib import Path

import xlsxwriter

import common

REFERENCE = common.ROOT / "src/halfbuilt/regions/data"
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

# (header as in the template, cell type). Money columns are numbers formatted 0.00; the rest text.
COLUMNS: list[tuple[str, str]] = [
    ("序号", "int"),
    ("项目名称", "text"),
    ("项目代码", "text"),
    ("所在地区", "text"),
    ("建设地点", "text"),
    ("项目类别", "text"),
    ("类型", "text"),
    ("审批层级", "text"),
    ("审批时间", "text"),
    ("审批文号", "text"),
    ("项目（建设）单位", "text"),
    ("建设单位统一社会信用代码", "text"),
    ("建设内容及规模", "text"),
    ("总投资（万元）", "money"),
    ("已完成投资（万元）", "money"),
    ("到位资金（万元）", "money"),
    ("欠付资金（万元）", "money"),
    ("开工时间", "text"),
    ("停工时间", "text"),
    ("竣工时间", "text"),
    ("停建或未投用原因", "text"),
    ("责任单位", "text"),
    ("责任人", "text"),
    ("联系电话", "text"),
]
HEADERS = [h for h, _ in COLUMNS]
# The narrow sheet many counties send: 13 columns, some under names of their own (header → template column).
NARROW: list[tuple[str, str]] = [
    ("序号", "序号"), ("项目名称", "项目名称"), ("所在地区", "所在地区"), ("项目类别", "项目类别"), ("类型", "类型"),
    ("总投资", "总投资（万元）"), ("已完成投资", "已完成投资（万元）"), ("开工时间", "开工时间"),
    ("停工时间", "停工时间"), ("停建原因", "停建或未投用原因"), ("责任单位", "责任单位"), ("责任人", "责任人"),
    ("联系电话", "联系电话"),
]
LAYOUTS = {len(COLUMNS): COLUMNS, len(NARROW): [(h, dict(COLUMNS)[source]) for h, source in NARROW]}

PLACES = ["新城", "河西", "阳光", "团结", "北苑", "东兴", "和平", "幸福", "民族", "兴安", "青城", "草原", "金川",
          "红山", "锡林", "乌兰", "巴彦", "哈达", "宝山", "长青"]
FACILITIES = {
    "A01": ["综合办公楼", "便民服务中心办公楼"], "A02": ["业务技术用房", "应急指挥中心"],
    "A03": ["第二中学教学楼", "幼儿园", "职业技术学校实训楼", "小学综合楼"], "A04": ["公共实训基地", "创业孵化中心"],
    "A05": ["人民医院住院楼", "苏木卫生院", "社区卫生服务中心"], "A06": ["敬老院", "养老服务中心"],
    "A07": ["公租房小区", "棚户区改造安置房"], "A08": ["体育场", "图书馆", "综合文化服务中心", "全民健身中心"],
    "A09": ["残疾人康复中心", "殡仪馆", "退役军人服务中心"], "A10": ["政务云平台", "智慧城市指挥中心"],
    "B01": ["公路改建工程", "客运站"], "B02": ["供热站", "光伏电站配套工程"], "B03": ["水库除险加固工程", "供水工程"],
    "B04": ["现代农牧业示范园", "防护林工程"], "B05": ["污水处理厂", "垃圾处理场"], "B06": ["市政道路", "地下综合管廊"],
    "B07": ["标准化厂房", "产业园区基础设施"],
}
CAUSES = [
    "建设资金未足额到位，施工单位撤场，项目自停工以来一直处于闲置状态，亟需盘活",
    "前期手续不全，未取得施工许可证，被责令停工，后续审批事项尚未办结",
    "项目竣工后配套设施不完善，水电暖未接通，无法正常投入使用，造成资产闲置",
    "规划调整导致项目用途变更，原设计不再满足需求，需重新论证后方可投入使用",
    "施工单位与建设单位存在合同纠纷，欠付工程款，双方诉讼尚未了结，工程停滞",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强海燕文博宇航巴特尔其其格乌日娜"
CONTENT = "总建筑面积{a}平方米，主体{f}层，建设内容包括主体工程及室外配套工程，规划用地{b}亩"


def _reference() -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    with (REFERENCE / "regions-150000.csv").open(encoding="utf-8-sig") as f:
        regions = list(csv.DictReader(f))
    names = {r["code"]: r["name"] for r in regions}
    counties = [(r["code"], names[r["parent_code"]] + r["name"], r["name"]) for r in regions
                if r["level"] == "county" and r["kind"] != "功能区"]
    with (REFERENCE / "categories.csv").open(encoding="utf-8-sig") as f:
        categories = [(r["code"], r["name"]) for r in csv.DictReader(f)]
    return counties, categories


def _uscc(rng: random.Random, region_code: str) -> str:
    body = "12" + region_code + "".join(rng.choice(USCC_CHARSET) for _ in range(9))
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return body + USCC_CHARSET[(31 - total % 31) % 31]


def _month(year: int, rng: random.Random) -> str:
    return f"{year}年{rng.randint(1, 12)}月"


def generate_rows(count: int, seed: int = 20221101):
    counties, categories = _reference()
    rng = random.Random(seed)
    for i in range(1, count + 1):
        region_code, region_name, county_short = counties[rng.randrange(len(counties))]
        category_code, category_name = categories[rng.randrange(len(categories))]
        # The number keeps (region, name) unique: rows without a 项目代码 are matched by it.
        name = f"{county_short}{rng.choice(PLACES)}{rng.choice(FACILITIES[category_code])}（{i}）"
        stalled = rng.random() < 0.7
        approval_year = rng.randint(2008, 2020)
        start_year = approval_year + rng.randint(0, 2)
        total = round(rng.uniform(50, 60000), 2)
        completed = round(total * rng.uniform(0.1, 1.0 if not stalled else 0.9), 2)
        in_place = round(total * rng.uniform(0.2, 1.0), 2)
        unpaid = round(max(completed - in_place, 0), 2)
        code = ""
        if rng.random() < 0.6:
            code = (f"{approval_year}-{region_code}-{rng.choice(['48', '49', '52', '78', '83'])}-"
                    f"{rng.randint(1, 3):02d}-{i % 100000:05d}{rng.randint(0, 9)}")
        owner = f"{region_name}{category_name}项目建设管理中心"
        yield [
            i,
            name,
            code,
            region_name,
            f"{county_short}{rng.choice(PLACES)}路{rng.randint(1, 300)}号",
            category_name,
            "未完工停建" if stalled else "已竣工未投用",
            rng.choice(["盟市", "旗县", "旗县", "自治区"]),
            _month(approval_year, rng),
            f"{county_short[:2]}发改投资〔{approval_year}〕{rng.randint(1, 400)}号",
            owner,
            _uscc(rng, region_code),
            CONTENT.format(a=rng.randint(800, 60000), f=rng.randint(1, 18), b=rng.randint(5, 300)),
            total,
            completed,
            in_place,
            unpaid,
            "" if rng.random() < 1 / 6 else _month(start_year, rng),
            _month(start_year + rng.randint(1, 3), rng) if stalled else "",
            "" if stalled else _month(start_year + rng.randint(1, 4), rng),
            rng.choice(CAUSES),
            owner,
            rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else ""),
            f"1{rng.choice('35789')}{rng.randint(0, 999999999):09d}",
        ]


def write_ledger(path: Path, count: int, seed: int = 20221101, columns: int = len(COLUMNS)) -> Path:
    """The ledger with the template's 24 columns, or the narrow 13 (the same rows, fewer cells)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("项目台账")
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "0.00"})
    layout = LAYOUTS[columns]
    sheet.write_row(0, 0, [h for h, _ in layout], bold)
    kinds = [t for _, t in layout]
    sources = HEADERS if columns == len(COLUMNS) else [source for _, source in NARROW]
    picked = [HEADERS.index(h) for h in sources]
    for r, full in enumerate(generate_rows(count, seed), start=1):
        row = [full[i] for i in picked]
        for c, (value, kind) in enumerate(zip(row, kinds, strict=True)):
            if value == "":
                continue
            if kind == "money":
                sheet.write_number(r, c, value, money)
            elif kind == "int":
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
    workbook.close()
    return path


def ledger_path(count: int, seed: int = 20221101, columns: int = len(COLUMNS)) -> Path:
    narrow = "" if columns == len(COLUMNS) else f"_{columns}cols"
    return common.OUT_DIR / f"ledger_{count}_{seed}{narrow}.xlsx"


def ensure_ledger(count: int, seed: int = 20221101, columns: int = len(COLUMNS)) -> Path:
    path = ledger_path(count, seed, columns)
    if not path.exists():
        write_ledger(path, count, seed, columns)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path, nargs="?", help="output .xlsx (default bench/out/ledger_ROWS_SEED.xlsx)")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20221101)
    parser.add_argument("--columns", type=int, choices=sorted(LAYOUTS), default=len(COLUMNS),
                        help="24: the template's columns (default); 13: the narrow sheet many counties send")
    args = parser.parse_args()
    path = args.path or ledger_path(args.rows, args.seed, args.columns)
    seconds, _ = common.timed(lambda: write_ledger(path, args.rows, args.seed, args.columns))
    print(f"{args.rows:,} rows → {path} ({path.stat().st_size / 2**20:.1f} MB) in {seconds:.1f} s")


if __name__ == "__main__":
    main()
