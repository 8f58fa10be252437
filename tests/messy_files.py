"""Messy county ledgers, written the way counties really send them, for the importer's tests.

Each spec is a list of sheets: (name, rows, merges). A merge is (first_row, first_col, last_row, last_col),
zero-based. Cells are str, int/float, datetime.date, or None. The same spec is written as .xlsx
(xlsxwriter) and .xls (xlwt); CSV variants are written in UTF-8 and GB18030.

Every trait of issue §4 appears at least once; `EXPECTED` lists what the importer must make of it. The sheets
laid out in sections (`LAYOUT_*`) are files of their own, so the counts of the first workbook stay as they are.
"""

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

D = dt.date

STALLED_HEADER_TOP = ["序号", "项目名称", "所在旗县区", "项目类别", "投资情况（万元）", None, "开工时间", "停工时间",
                      "行业主管部门", "建设单位联系人", "备注"]
STALLED_HEADER_BOTTOM = [None, None, None, None, "总投资", "已完成投资", None, None, None, None, None]

# Sheet 2: kind from the sheet name; title, fill-in and unit lines; two-row header with merged cells.
STALLED_ROWS = [
    ["包头市半拉子工程台账（未完工停建）"],
    ["填报单位：包头市人民政府（盖章）", None, None, None, None, None, "填报日期：2022年8月20日"],
    ["单位：万元"],
    STALLED_HEADER_TOP,
    STALLED_HEADER_BOTTOM,
    [1, "东河区第二中学教学楼", "包头市东河区", "教育", 1260.5, "1,000.5", D(2018, 3, 15), "2019年6月", None, "王五",
     None],
    [2, "\u3000昆都仑区\u3000敬老院\n二期 ", "昆都仑区", "敬老院", "1260万元", 500, "2018.06", "2018年", None, None,
     "资金断链"],
    [None, None, None, None, None, None, None, None, None, None, None],
    [3, "包头市全民健身中心", "市本级", "A08", 3000, 1200.25, "2017-05", "2020.10", "内蒙古自治区体育局", None, None],
    [4, "青山区消防站业务技术用房", "青山区", "业务技术用房", "８００", 0, 2018, 2018.06, None, None, None],
    ["小计", None, None, None, 6320.5, 2700.75],
    [5, "石拐区 卫生院", "包头市石拐区", "医疗卫生", "980.00", None, D(2016, 9, 1), "2018-03-15",
     " 内蒙古自治区卫生健康委员会 ", None, None],
    ["合 计", None, None, None, 7300.5, 2700.75],
    ["填表人：张三                联系电话：0472-1234567"],
    ["备注：金额单位为万元。"],
]
STALLED_MERGES = [(0, 0, 0, 10), (3, 4, 3, 5)] + [(3, c, 4, c) for c in (0, 1, 2, 3, 6, 7, 8, 9, 10)]

# Sheet 3: kind from the title; other column names; money in 亿元 and 元 by header; extra columns.
IDLE_ROWS = [
    ["包头市已竣工未投用项目台账"],
    [],
    ["工程名称", "旗市区", "所属领域", "总投资（亿元）", "已完成投资(元)", "竣工时间", "项目（建设）单位",
     "统一社会信用代码", "资金来源"],
    ["九原区文化馆", "九原区", "A08 文化体育", 1.2, 80000000, "2021-09-30", "九原区文化旅游体育局",
     "91150207MA0N000000", "中央预算内"],
    ["固阳县公租房小区", "固阳县", "公租房", "0.35亿元", "35,000,000", "2020年12月", None, None, "自筹"],
]

# Sheet 4: kind from a column in the words counties use; 所在区; category forms.
MIXED_ROWS = [
    ["序号", "项目名称", "所在区", "类别", "类型", "总投资", "完成投资", "主管部门"],
    [1, "达尔罕茂明安联合旗污水管网", "达尔罕茂明安联合旗", "市政", "停建", 450, 120, None],
    [2, "白云鄂博矿区体育场", "白云鄂博矿区", "体育场", "建成未投用", 2600, 2600, None],
    [3, "土默特右旗灌区节水改造", "土默特右旗", "B03", "完工未使用", 1500, 1480, None],
    [4, "稀土高新区标准化厂房", "包头稀土高新技术产业开发区", "产业园区", "未完工停建", 8800, 3100, None],
    [5, "东河区养老服务中心", "150202", "A06", "已竣工未投用", 760, 760, "待指定"],
]

INSTRUCTIONS = [
    ["填表说明"],
    ["1. 金额单位为万元，保留两位小数。"],
    ["2. 类型填写“未完工停建”或“已竣工未投用”。"],
]

MESSY_SHEETS = [
    ("填表说明", INSTRUCTIONS, []),
    ("未完工停建项目", STALLED_ROWS, STALLED_MERGES),
    ("Sheet3", IDLE_ROWS, []),
    ("其他项目", MIXED_ROWS, []),
]

# name → the values the importer must store (money in 万元 as Decimal, dates at their precision).
EXPECTED = {
    "东河区第二中学教学楼": dict(region_id="150202", category_id="A03", department_id="JYT", kind="stalled",
                          total_investment=Decimal("1260.5"), completed_investment=Decimal("1000.5"),
                          start_date="2018-03-15", stop_date="2019-06"),
    "昆都仑区 敬老院 二期": dict(region_id="150203", category_id="A06", department_id="MZT", kind="stalled",
                          total_investment=Decimal("1260"), completed_investment=Decimal("500"),
                          start_date="2018-06", stop_date="2018"),
    "包头市全民健身中心": dict(region_id="150200", category_id="A08", department_id="TYJ", kind="stalled",
                        total_investment=Decimal("3000"), completed_investment=Decimal("1200.25"),
                        start_date="2017-05", stop_date="2020-10"),
    "青山区消防站业务技术用房": dict(region_id="150204", category_id="A02", department_id=None, kind="stalled",
                             total_investment=Decimal("800"), completed_investment=Decimal("0"),
                             start_date="2018", stop_date="2018-06"),
    "石拐区 卫生院": dict(region_id="150205", category_id="A05", department_id="WJW", kind="stalled",
                     total_investment=Decimal("980"), completed_investment=None,
                     start_date="2016-09-01", stop_date="2018-03-15"),
    "九原区文化馆": dict(region_id="150207", category_id="A08", department_id="WLT", kind="idle",
                    total_investment=Decimal("12000"), completed_investment=Decimal("8000"),
                    completion_date="2021-09-30", owner_unit="九原区文化旅游体育局"),
    "固阳县公租房小区": dict(region_id="150222", category_id="A07", department_id="ZJT", kind="idle",
                      total_investment=Decimal("3500"), completed_investment=Decimal("3500"),
                      completion_date="2020-12"),
    "达尔罕茂明安联合旗污水管网": dict(region_id="150223", category_id="B06", department_id="ZJT", kind="stalled",
                               total_investment=Decimal("450"), completed_investment=Decimal("120")),
    "白云鄂博矿区体育场": dict(region_id="150206", category_id="A08", kind="idle"),
    "土默特右旗灌区节水改造": dict(region_id="150221", category_id="B03", department_id="SLT", kind="idle"),
    "稀土高新区标准化厂房": dict(region_id="150271", category_id="B07", kind="stalled"),
    "东河区养老服务中心": dict(region_id="150202", category_id="A06", department_id=None, kind="idle"),
}

# CSV: a title line, one-row header with units, kind column, quoted thousands, 合计 and blank rows.
CSV_ROWS = [
    ["包头市半拉子工程台账"],
    ["序号", "项目名称", "所在区", "项目类别", "类型", "总投资（万元）", "已完成投资（万元）", "开工时间", "停工时间",
     "主管部门"],
    ["1", "东河区实验幼儿园", "包头市东河区", "幼儿园", "未完工停建", "1,260.5", "300", "2018年6月", "2019.03",
     "包头市教育局"],
    ["2", "昆都仑区第三医院门诊楼", "昆都仑区", "A05", "已竣工未投用", "2,000", "1,950.75", "2018-03-15", "2018年", ""],
    ["", "", "", "", "", "", "", "", "", ""],
    ["合计", "", "", "", "", "3,260.5", "2,250.75", "", "", ""],
]
CSV_EXPECTED = {
    "东河区实验幼儿园": dict(region_id="150202", category_id="A03", department_id="JYT", kind="stalled",
                      total_investment=Decimal("1260.5"), completed_investment=Decimal("300"),
                      start_date="2018-06", stop_date="2019-03"),
    "昆都仑区第三医院门诊楼": dict(region_id="150203", category_id="A05", department_id="WJW", kind="idle",
                          total_investment=Decimal("2000"), completed_investment=Decimal("1950.75"),
                          start_date="2018-03-15", stop_date="2018"),
}

# Errors on two sheets, each with the cell the importer must name (sheet, row, header as written).
ERROR_SHEETS = [
    ("停建项目", [
        ["某县停建项目表"],
        ["项目名称", "所在地区", "项目类别", "总投资（万元）", "已完成投资（万元）", "开工时间"],
        ["好项目", "东河区", "教育", 100, 50, "2018年"],
        ["地区不存在", "东风区", "教育", 100, 50, "2018年"],
        ["类别有歧义", "东河区", "教育、养老", 100, 50, "2018年"],
        ["金额不对", "东河区", "教育", "约1000", 50, "2018年"],
        ["日期不对", "东河区", "教育", 100, 50, "2018年13月"],
        ["完成大于总投资", "东河区", "教育", 100, 150, "2018年"],
        ["范围之外", "赤峰市红山区", "教育", 100, 50, "2018年"],
        [None, "东河区", "教育", 100, 50, "2018年"],
        ["日期月份不明", "东河区", "教育", 100, 50, 2018.1],
    ], []),
    ("其他", [
        ["项目名称", "所在地区", "项目类别", "类型"],
        ["类型有歧义", "东河区", "教育", "停建/未投用"],
        ["类型不认识", "东河区", "教育", "正常"],
        ["类别不认识", "东河区", "火星基地", "停建"],
    ], []),
]
# (sheet, row, column, a word the message must contain)
ERROR_CELLS = [
    ("停建项目", 4, "所在地区", "东风区"),
    ("停建项目", 5, "项目类别", "多个类别"),
    ("停建项目", 6, "总投资（万元）", "约1000"),
    ("停建项目", 7, "开工时间", "13"),
    ("停建项目", 8, "已完成投资（万元）", "大于总投资"),
    ("停建项目", 9, "所在地区", "不在"),
    ("停建项目", 10, "项目名称", "请填写项目名称"),
    ("停建项目", 11, "开工时间", "10月"),
    ("其他", 2, "类型", "同时"),
    ("其他", 3, "类型", "无法识别"),
    ("其他", 4, "项目类别", "无法识别"),
]


# A sheet laid out in sections, as counties really send them: no 类型 column and a neutral title, so
# the kinds come from the section rows; the county (旗县区) and a category merged down over their projects;
# money in 亿元 by the unit line above the header, except where the header (到位资金（万元）) or the cell
# ("3000万元") says otherwise; dates typed as numbers; subtotals named after their county.
LAYOUT_HEADER = ["序号", "旗县区", "项目（工程）名称", "项目类别", "计划总投资", "累计完成投资", "到位资金（万元）",
                 "停建时间", "完工时间", "责任主体", "手机"]
LAYOUT_ROWS = [
    ["包头市半拉子工程台账（第二批）"],
    ["填报单位：包头市人民政府（盖章）", None, None, None, None, None, None, None, None, None, "（单位：亿元）"],
    LAYOUT_HEADER,
    ["一、未完工停建项目（3个）"],  # states 3, has 2: a warning
    [1, "东河区", "东河区第三小学教学楼", "教育", 0.12, 0.05, 300, 2018.06, None, "东河区教育局", "13800000001"],
    [2, None, "东河区体育馆", "A08", 1.2345678, "1", None, "2019.10", None, "东河区体育局", None],
    [None, None, "东河区小计", None, 1.3545678, 1.05, 300],
    ["二、已竣工未投入使用项目"],
    [3, "青山区", "青山区社区卫生服务中心", "卫生院", 0.08, 0.08, None, None, "2021年5月", None, None],
    [4, None, "青山区第二卫生院", None, "0.3", "3000万元", None, None, 202012, None, None],
    [None, "青山区", "小计", None, 0.38, 0.38],
    ["合计", None, None, None, 1.7345678, 1.43, 300],
    ["填表人：李四"],
]
LAYOUT_MERGES = [(0, 0, 0, 10), (3, 0, 3, 10), (7, 0, 7, 10),
                 (4, 1, 5, 1), (8, 1, 9, 1), (8, 3, 9, 3)]  # 东河区 and 青山区 over two rows each; 卫生院 over two
LAYOUT_SHEETS = [("第二批", LAYOUT_ROWS, LAYOUT_MERGES)]
LAYOUT_EXPECTED = {
    "东河区第三小学教学楼": dict(region_id="150202", category_id="A03", kind="stalled",
                           total_investment=Decimal("1200"), completed_investment=Decimal("500"),
                           funds_in_place=Decimal("300"), stop_date="2018-06", completion_date="",
                           responsible_unit="东河区教育局", phone="13800000001"),
    "东河区体育馆": dict(region_id="150202", category_id="A08", kind="stalled",
                     total_investment=Decimal("12345.678"), completed_investment=Decimal("10000"),
                     funds_in_place=None, stop_date="2019-10", responsible_unit="东河区体育局"),
    "青山区社区卫生服务中心": dict(region_id="150204", category_id="A05", kind="idle",
                            total_investment=Decimal("800"), completed_investment=Decimal("800"),
                            stop_date="", completion_date="2021-05"),
    "青山区第二卫生院": dict(region_id="150204", category_id="A05", kind="idle",
                       total_investment=Decimal("3000"), completed_investment=Decimal("3000"),
                       completion_date="2020-12"),
}
# (sheet, row, column, a word the message must contain) of the warning the stated count gives
LAYOUT_WARNINGS = [("第二批", 4, "", "注明3个项目，其下实际有2个")]

# Sections with errors: a kind contradicting its section, dates that could be January or October (the number
# 2018.10, the text 2018.1), a wrong county merged down over two rows (an error on each).
LAYOUT_ERROR_ROWS = [
    ["项目名称", "所在地区", "项目类别", "类型", "停工时间", "总投资"],
    ["一、未完工停建项目（2个）"],
    ["甲小学", "东河区", "教育", "已竣工未投用", "2018年"],
    ["乙小学", "东河区", "教育", None, 2018.10],
    ["丙小学", "东河区", "教育", None, "2018.10"],  # October: typed as text
    ["小计：东河区"],
    ["二、已竣工未投用项目"],
    ["丁医院", "东风区", "医疗卫生", None, None, 100],
    ["戊医院", None, "医疗卫生", None, None, 200],
    ["己医院", "东河区", "医疗卫生", "闲置", "2018.1"],
]
LAYOUT_ERROR_SHEETS = [("分组", LAYOUT_ERROR_ROWS, [(1, 0, 1, 5), (6, 0, 6, 5), (7, 1, 8, 1)])]
LAYOUT_ERROR_CELLS = [
    ("分组", 3, "类型", "与所在分组“一、未完工停建项目（2个）”（第2行）不符"),
    ("分组", 4, "停工时间", "10月"),
    ("分组", 8, "所在地区", "东风区"),
    ("分组", 9, "所在地区", "东风区"),
    ("分组", 10, "停工时间", "10月"),
]
LAYOUT_ERROR_WARNINGS = [("分组", 2, "项目名称", "注明2个项目，其下实际有3个")]


def unmerged(sheets):
    """The same sheets with each merged range's value written into every cell it covers, as a CSV has it."""
    result = []
    for name, rows, merges in sheets:
        rows = [list(r) for r in rows]
        for r0, c0, r1, _ in merges:
            for r in range(r0 + 1, r1 + 1):
                rows[r] += [None] * (c0 + 1 - len(rows[r]))
                rows[r][c0] = rows[r0][c0]
        result.append((name, rows, []))
    return result


def write_xlsx(path: Path, sheets=MESSY_SHEETS) -> Path:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows, merges in sheets:
        ws = workbook.add_worksheet(name)
        merged_cells = {(r, c) for r0, c0, r1, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for r0, c0, r1, c1 in merges:
            if (r0, c0) != (r1, c1):
                ws.merge_range(r0, c0, r1, c1, rows[r0][c0] if c0 < len(rows[r0]) else None)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or (r, c) in merged_cells:
                    continue
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
                else:
                    ws.write(r, c, value)
    workbook.close()
    return path


def write_xls(path: Path, sheets=MESSY_SHEETS) -> Path:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, rows, merges in sheets:
        ws = workbook.add_sheet(name)
        merged_cells = {(r, c) for r0, c0, r1, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for r0, c0, r1, c1 in merges:
            ws.write_merge(r0, r1, c0, c1, rows[r0][c0] if c0 < len(rows[r0]) else None)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or (r, c) in merged_cells:
                    continue
                if isinstance(value, dt.date):
                    ws.write(r, c, dt.datetime.combine(value, dt.time()), date_style)
                else:
                    ws.write(r, c, value)
    workbook.save(str(path))
    return path


def write_csv(path: Path, encoding: str = "utf-8", rows=CSV_ROWS) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["" if v is None else v for v in row] for row in rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_all(directory: Path) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    return {
        "xlsx": write_xlsx(directory / "包头市台账.xlsx"),
        "xls": write_xls(directory / "包头市台账.xls"),
        "csv_utf8": write_csv(directory / "台账-utf8.csv", "utf-8-sig"),
        "csv_gb18030": write_csv(directory / "台账-gbk.csv", "gb18030"),
        "errors": write_xlsx(directory / "有错误的台账.xlsx", ERROR_SHEETS),
        "layout_xlsx": write_xlsx(directory / "分组台账.xlsx", LAYOUT_SHEETS),
        "layout_xls": write_xls(directory / "分组台账.xls", LAYOUT_SHEETS),
        "layout_csv": write_csv(directory / "第二批.csv", "gb18030", unmerged(LAYOUT_SHEETS)[0][1]),
        "layout_errors": write_xlsx(directory / "分组有误.xlsx", LAYOUT_ERROR_SHEETS),
        "layout_errors_xls": write_xls(directory / "分组有误.xls", LAYOUT_ERROR_SHEETS),
    }


def big_ledger(path: Path, rows: int, region: str = "包头市东河区") -> Path:
    """A plain template-shaped file with `rows` projects, for background-import and benchmark runs."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = workbook.add_worksheet("台账")
    ws.write_row(0, 0, ["项目名称", "所在地区", "项目类别", "类型", "总投资（万元）", "已完成投资（万元）", "开工时间"])
    for i in range(rows):
        ws.write_row(i + 1, 0, [f"批量项目{i:06d}", region, "教育", "未完工停建", 1000 + i % 97, 400, "2018年6月"])
    workbook.close()
    return path
