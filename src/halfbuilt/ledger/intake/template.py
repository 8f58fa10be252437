"""The downloadable import template: Chinese headers, drop-downs for region, category, kind (and
department, level, classified) from a hidden list sheet, and a sheet of instructions."""

import io

import xlsxwriter
from django.utils.translation import gettext as _
from xlsxwriter.utility import xl_col_to_name

from halfbuilt.ledger.dictionary import NO, UNASSIGNED, YES
from halfbuilt.ledger.models import ApprovalLevel, Kind
from halfbuilt.regions.models import Category, Department, Region

from .headers import FIELD_LABELS, MONEY_KEYS

ROWS = 2000  # rows that get the drop-downs
REQUIRED = {"name", "region", "category", "kind"}  # headed "*项目名称"
TEXT_KEYS = {"approval_date", "start_date", "stop_date", "completion_date", "project_code", "phone"}


def columns() -> list[tuple[str, str, int, str | None, str | None]]:
    """(key, header, width, list name or None, note): headers are the data dictionary's labels, so the file
    the template makes is read back by the same table."""
    rows = [
        ("name", 30, None, _("必填")),
        ("project_code", 26, None,
         _("全国投资项目在线审批监管平台赋予的代码，如 2018-150202-47-01-000123；没有可不填")),
        ("region", 24, "region", _("从下拉列表选择；盟市本级选盟市名称")),
        ("address", 24, None, None),
        ("longitude", 10, None, _("十进制度数，如 109.84")),
        ("latitude", 10, None, _("十进制度数，如 40.65")),
        ("category", 22, "category", _("从下拉列表选择")),
        ("department", 26, "department", _("可不填：按类别默认；类别有多个主管部门时留待领导小组办公室指定")),
        ("approval_level", 10, "level", None),
        ("approval_date", 12, None, _("可只填年或年月，如 2018年6月")),
        ("approval_doc", 20, None, None),
        ("owner_unit", 24, None, None),
        ("owner_uscc", 22, None, _("18位")),
        ("content", 30, None, None),
        ("kind", 14, "kind", _("未完工停建 或 已竣工未投用")),
        ("total_investment", 14, None, _("单位：万元")),
        ("completed_investment", 16, None, _("不大于总投资")),
        ("funds_in_place", 14, None, None),
        ("unpaid_amount", 14, None, None),
        ("start_date", 12, None, _("可只填年或年月，如 2018年6月")),
        ("stop_date", 12, None, _("未完工停建项目填写")),
        ("completion_date", 12, None, _("已竣工未投用项目填写")),
        ("causes", 30, None, None),
        ("responsible_unit", 24, None, None),
        ("responsible_person", 10, None, None),
        ("phone", 14, None, None),
        ("classified", 8, "classified", _("涉密项目由其行业主管部门自行填报")),
        # Last, so the columns counties already fill keep their places.
        ("high_impact", 10, "classified",
         _("不在起底范围内（2016年以前或旗县审批）但影响较大的项目填“是”，并写明理由")),
        ("high_impact_reason", 24, None, None),
    ]
    return [(key, ("*" if key in REQUIRED else "") + str(FIELD_LABELS[key]), width, list_name, note)
            for key, width, list_name, note in rows]


def instructions() -> list[str]:
    return [
        _("填表说明"),
        _("1. 每行填写一个项目；带 * 的列必须填写。请勿修改表头。"),
        _("2. 金额单位为万元，可填写数字或带千分位的数字；已完成投资不能大于总投资。"),
        _("3. 日期可只填到年或月，如“2018年”“2018年6月”“2018-06-15”。"),
        _("4. 所在地区、项目类别、类型请从下拉列表中选择。"),
        _("5. 行业主管部门可不填，系统按项目类别确定；类别有多个主管部门的，由领导小组办公室指定。"),
        _("6. 已经导入过的项目再次导入时按项目代码（没有代码的按地区＋项目名称）更新，不会重复登记。"),
    ]


def build_template(regions: list[Region]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    head = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                "valign": "vcenter"})
    text = workbook.add_format({"num_format": "@"})
    money = workbook.add_format({"num_format": "#,##0.00"})
    ws = workbook.add_worksheet(_("项目台账"))
    guide = workbook.add_worksheet(_("填表说明"))
    lists_ws = workbook.add_worksheet("lists")
    lists_ws.hide()

    lists = {
        "region": [r.full_name for r in regions],
        "category": [f"{c.code} {c.name}" for c in Category.objects.order_by("code")],
        "department": [str(UNASSIGNED), *Department.objects.order_by("code").values_list("name", flat=True)],
        "level": [str(label) for _, label in ApprovalLevel.choices],
        "kind": [str(label) for _, label in Kind.choices],
        "classified": [str(NO), str(YES)],
    }
    ranges = {}
    for i, (name, values) in enumerate(lists.items()):
        lists_ws.write(0, i, name)
        lists_ws.write_column(1, i, values)
        col = xl_col_to_name(i)
        ranges[name] = f"=lists!${col}$2:${col}${len(values) + 1}"

    for c, (key, header, width, list_name, tip) in enumerate(columns()):
        ws.write(0, c, header, head)
        # Text format keeps "2018.06" from turning into the number 2018.06.
        ws.set_column(c, c, width, text if key in TEXT_KEYS else money if key in MONEY_KEYS else None)
        if tip:
            ws.write_comment(0, c, tip)
        if list_name:
            ws.data_validation(1, c, ROWS, c, {
                "validate": "list", "source": ranges[list_name],
                "error_type": "warning" if list_name == "department" else "stop",
                "error_title": _("请从下拉列表选择"), "error_message": _("该值不在可选范围内，请从下拉列表选择。"),
            })
    ws.set_row(0, 32)
    ws.freeze_panes(1, 1)
    guide.set_column(0, 0, 100)
    for r, line in enumerate(instructions()):
        guide.write(r, 0, line)
    workbook.close()
    return buffer.getvalue()
