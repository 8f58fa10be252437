"""The downloadable import template: Chinese headers, drop-downs for region, category, kind (and
department, level, classified) from a hidden list sheet, and a sheet of instructions."""

import io

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from halfbuilt.ledger.models import ApprovalLevel, Kind, Project
from halfbuilt.regions.models import Category, Department, Region

ROWS = 2000  # rows that get the drop-downs
# (header, width, list name or None, note)
COLUMNS = [
    ("*项目名称", 30, None, "必填"),
    ("项目代码", 26, None, "全国投资项目在线审批监管平台赋予的代码，如 2018-150202-47-01-000123；没有可不填"),
    ("*所在地区", 24, "region", "从下拉列表选择；盟市本级选盟市名称"),
    ("建设地点", 24, None, None),
    ("经度", 10, None, "十进制度数，如 109.84"),
    ("纬度", 10, None, "十进制度数，如 40.65"),
    ("*项目类别", 22, "category", "从下拉列表选择"),
    ("行业主管部门", 26, "department", "可不填：按类别默认；类别有多个主管部门时留待领导小组办公室指定"),
    ("审批层级", 10, "level", None),
    ("审批时间", 12, None, "可只填年或年月，如 2018年6月"),
    ("审批文号", 20, None, None),
    ("项目（建设）单位", 24, None, None),
    ("建设单位统一社会信用代码", 22, None, "18位"),
    ("建设内容及规模", 30, None, None),
    ("*类型", 14, "kind", "未完工停建 或 已竣工未投用"),
    ("总投资（万元）", 14, None, "单位：万元"),
    ("已完成投资（万元）", 16, None, "不大于总投资"),
    ("到位资金（万元）", 14, None, None),
    ("欠付资金（万元）", 14, None, None),
    ("开工时间", 12, None, "可只填年或年月，如 2018年6月"),
    ("停工时间", 12, None, "未完工停建项目填写"),
    ("竣工时间", 12, None, "已竣工未投用项目填写"),
    ("停建或未投用原因", 30, None, None),
    ("责任单位", 24, None, None),
    ("责任人", 10, None, None),
    ("联系电话", 14, None, None),
    ("涉密", 8, "classified", "涉密项目由其行业主管部门自行填报"),
    # Last, so the columns counties already fill keep their places.
    (str(Project._meta.get_field("high_impact").verbose_name), 10, "classified",
     "不在起底范围内（2016年以前或旗县审批）但影响较大的项目填“是”，并写明理由"),
    (str(Project._meta.get_field("high_impact_reason").verbose_name), 24, None, None),
]
INSTRUCTIONS = [
    "填表说明",
    "1. 每行填写一个项目；带 * 的列必须填写。请勿修改表头。",
    "2. 金额单位为万元，可填写数字或带千分位的数字；已完成投资不能大于总投资。",
    "3. 日期可只填到年或月，如“2018年”“2018年6月”“2018-06-15”。",
    "4. 所在地区、项目类别、类型请从下拉列表中选择。",
    "5. 行业主管部门可不填，系统按项目类别确定；类别有多个主管部门的，由领导小组办公室指定。",
    "6. 已经导入过的项目再次导入时按项目代码（没有代码的按地区＋项目名称）更新，不会重复登记。",
]


def build_template(regions: list[Region]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    head = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                "valign": "vcenter"})
    text = workbook.add_format({"num_format": "@"})
    money = workbook.add_format({"num_format": "#,##0.00"})
    ws = workbook.add_worksheet("项目台账")
    guide = workbook.add_worksheet("填表说明")
    lists_ws = workbook.add_worksheet("lists")
    lists_ws.hide()

    lists = {
        "region": [r.full_name for r in regions],
        "category": [f"{c.code} {c.name}" for c in Category.objects.order_by("code")],
        "department": ["待指定", *Department.objects.order_by("code").values_list("name", flat=True)],
        "level": [label for _, label in ApprovalLevel.choices],
        "kind": [label for _, label in Kind.choices],
        "classified": ["否", "是"],
    }
    ranges = {}
    for i, (name, values) in enumerate(lists.items()):
        lists_ws.write(0, i, name)
        lists_ws.write_column(1, i, values)
        col = xl_col_to_name(i)
        ranges[name] = f"=lists!${col}$2:${col}${len(values) + 1}"

    for c, (header, width, list_name, tip) in enumerate(COLUMNS):
        ws.write(0, c, header, head)
        date_like = header in ("审批时间", "开工时间", "停工时间", "竣工时间", "项目代码", "联系电话")
        # Text format keeps "2018.06" from turning into the number 2018.06.
        ws.set_column(c, c, width, text if date_like else money if "万元" in header else None)
        if tip:
            ws.write_comment(0, c, tip)
        if list_name:
            ws.data_validation(1, c, ROWS, c, {
                "validate": "list", "source": ranges[list_name],
                "error_type": "warning" if list_name == "department" else "stop",
                "error_title": "请从下拉列表选择", "error_message": "该值不在可选范围内，请从下拉列表选择。",
            })
    ws.set_row(0, 32)
    ws.freeze_panes(1, 1)
    guide.set_column(0, 0, 100)
    for r, line in enumerate(INSTRUCTIONS):
        guide.write(r, 0, line)
    workbook.close()
    return buffer.getvalue()
