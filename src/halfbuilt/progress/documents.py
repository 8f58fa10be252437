"""The monthly roll-up as Word (.docx, in the government document layout of core/govdoc.py) and Excel (.xlsx,
XlsxWriter) files."""

import io
from decimal import Decimal

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone
from docx.shared import Pt

from halfbuilt.core import govdoc
from halfbuilt.core.govdoc import HEADING_FONT, RIGHT, SIZE_4, paragraph
from halfbuilt.ledger.models import Stage

from . import periods
from .models import Rollup

SECTIONS = [("一、工作进展", "progress"), ("二、存在问题", "problems"), ("三、工作建议", "suggestions")]


def figure_rows(figures: dict) -> list[tuple[str, str]]:
    """The roll-up's figures as (label, value) rows, in the order the documents and pages show them."""
    rows = [
        ("应报送项目（个）", figures.get("due", 0)),
        ("已报送（个）", figures.get("submitted", 0)),
        ("其中逾期报送（个）", figures.get("late", 0)),
        ("逾期未报（个）", figures.get("missing", 0)),
        ("待报送（个）", figures.get("pending", 0)),
        ("本月完成投资（万元）", figures.get("investment_month", "0")),
        ("累计完成投资（万元）", figures.get("investment_cumulative", "0")),
        ("新增到位资金（万元）", figures.get("new_funds", "0")),
        ("本月完成节点（个）", figures.get("milestones_met", 0)),
    ]
    for stage, count in (figures.get("by_stage") or {}).items():
        rows.append((f"{Stage(stage if stage != 'none' else '').label}（个）", count))
    return [(label, str(value)) for label, value in rows]


def rollup_docx(rollup: Rollup) -> bytes:
    label = periods.label(rollup.period)
    doc = govdoc.new_document(f"{rollup.organization.name}{label}半拉子工程处置工作进展情况")
    title = govdoc.title(doc, f"{rollup.organization.name}\n{label}半拉子工程处置工作进展情况")
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = Pt(16)
    paragraph(doc, "半拉子工程大起底工作领导小组办公室：", indent=False)
    f = rollup.figures or {}
    summary = (
        f"{label}，应报送月度进展的项目 {f.get('due', 0)} 个，已报送 {f.get('submitted', 0)} 个"
        f"（其中逾期报送 {f.get('late', 0)} 个），逾期未报 {f.get('missing', 0)} 个；"
        f"本月完成投资 {f.get('investment_month', '0')} 万元，累计完成投资 {f.get('investment_cumulative', '0')} 万元，"
        f"新增到位资金 {f.get('new_funds', '0')} 万元，完成节点 {f.get('milestones_met', 0)} 个。现将有关情况报告如下："
    )
    paragraph(doc, summary)
    for heading, key in SECTIONS:
        paragraph(doc, heading, face=HEADING_FONT)
        for line in [t for t in (getattr(rollup, key) or "").splitlines() if t.strip()] or ["无。"]:
            paragraph(doc, line.strip())
    paragraph(doc, "附表：月度进展汇总数据", face=HEADING_FONT, indent=False)
    govdoc.table(doc, ["项目", "数值"], [list(row) for row in figure_rows(f)], size=SIZE_4, centred=(1,))
    submitted = timezone.localtime(rollup.submitted_at) if rollup.submitted_at else timezone.localtime()
    paragraph(doc, "", indent=False)
    paragraph(doc, rollup.organization.name, indent=False, align=RIGHT)
    paragraph(doc, f"{submitted.year}年{submitted.month}月{submitted.day}日", indent=False,
               align=RIGHT)
    return govdoc.to_bytes(doc)


XLSX_HEADERS = [
    ("序号", 6), ("所在地区", 18), ("项目名称", 36), ("台账编号", 16), ("形象进度（%）", 12),
    ("本月完成投资（万元）", 16), ("累计完成投资（万元）", 16), ("新增到位资金（万元）", 16), ("报送情况", 12),
    ("报送时间", 18),
]
MONEY_COLUMNS = (5, 6, 7)


def rollup_xlsx(rollup: Rollup, rows: list[dict]) -> bytes:
    """One row per project due for the month (its report's figures, or 未报送), a totals row with formulas
    (cached values written too, so readers that do not calculate see them), frozen header."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(f"{periods.label(rollup.period)}进展"[:31])
    title = book.add_format({"bold": True, "font_size": 14, "align": "center", "font_name": "宋体"})
    head = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "align": "center", "valign": "vcenter",
                            "text_wrap": True, "font_name": "宋体"})
    text = book.add_format({"border": 1, "font_name": "宋体"})
    money = book.add_format({"border": 1, "num_format": "#,##0.0000", "font_name": "宋体"})
    percent = book.add_format({"border": 1, "num_format": "0.00", "font_name": "宋体"})
    total_text = book.add_format({"border": 1, "bold": True, "font_name": "宋体"})
    total_money = book.add_format({"border": 1, "bold": True, "num_format": "#,##0.0000", "font_name": "宋体"})
    sheet.merge_range(0, 0, 0, len(XLSX_HEADERS) - 1,
                      f"{rollup.organization.name}{periods.label(rollup.period)}半拉子工程月度进展汇总表", title)
    for col, (name, width) in enumerate(XLSX_HEADERS):
        sheet.write_string(1, col, name, head)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(2, 0)
    totals = [Decimal(0)] * 3
    for i, row in enumerate(rows, start=2):
        project, report = row["project"], row["report"]
        submitted = report is not None and report.status == "submitted"
        sheet.write_number(i, 0, i - 1, text)
        sheet.write_string(i, 1, project.region.full_name, text)
        sheet.write_string(i, 2, project.name, text)
        sheet.write_string(i, 3, project.ledger_no, text)
        if submitted:
            sheet.write_number(i, 4, float(report.physical_progress), percent)
            amounts = (report.investment_month, report.investment_cumulative, report.new_funds)
            for k, (col, value) in enumerate(zip(MONEY_COLUMNS, amounts, strict=True)):
                amount = value or Decimal(0)
                totals[k] += amount
                sheet.write_number(i, col, float(amount), money)
            sheet.write_string(i, 9, timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M"), text)
        else:
            for col in (4, *MONEY_COLUMNS, 9):
                sheet.write_blank(i, col, None, text)
        sheet.write_string(i, 8, row["state_label"], text)
    last = len(rows) + 2
    sheet.write_string(last, 0, "合计", total_text)
    sheet.write_string(last, 1, f"{len(rows)} 个项目", total_text)
    for col in (2, 3, 4, 8, 9):
        sheet.write_blank(last, col, None, total_text)
    for k, col in enumerate(MONEY_COLUMNS):
        letter = chr(ord("A") + col)
        formula = f"=SUM({letter}3:{letter}{last})" if rows else "=0"
        sheet.write_formula(last, col, formula, total_money, float(totals[k]))
    book.close()
    return buffer.getvalue()


def docx_response(rollup: Rollup) -> HttpResponse:
    name = f"{rollup.organization.name}{rollup.period}月度汇总.docx"
    return govdoc.download(rollup_docx(rollup), govdoc.DOCX_TYPE, name)


def xlsx_response(rollup: Rollup, rows: list[dict]) -> HttpResponse:
    name = f"{rollup.organization.name}{rollup.period}月度进展.xlsx"
    return govdoc.download(rollup_xlsx(rollup, rows), govdoc.XLSX_TYPE, name)
