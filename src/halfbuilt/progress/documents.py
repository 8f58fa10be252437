"""The monthly roll-up as Word (.docx, in the government document layout of core/govdoc.py) and Excel (.xlsx,
XlsxWriter) files."""

import io
from decimal import Decimal

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.shared import Pt

from halfbuilt.core import govdoc
from halfbuilt.core.govdoc import HEADING_FONT, RIGHT, SIZE_4, paragraph
from halfbuilt.ledger.models import Stage

from . import periods
from .models import Rollup

SECTIONS = [
    (gettext_lazy("一、工作进展"), "progress"), (gettext_lazy("二、存在问题"), "problems"),
    (gettext_lazy("三、工作建议"), "suggestions"),
]


def figure_rows(figures: dict) -> list[tuple[str, str]]:
    """The roll-up's figures as (label, value) rows, in the order the documents and pages show them."""
    rows = [
        (_("应报送项目（个）"), figures.get("due", 0)),
        (_("已报送（个）"), figures.get("submitted", 0)),
        (_("其中逾期报送（个）"), figures.get("late", 0)),
        (_("逾期未报（个）"), figures.get("missing", 0)),
        (_("待报送（个）"), figures.get("pending", 0)),
        (_("本月完成投资（万元）"), figures.get("investment_month", "0")),
        (_("累计完成投资（万元）"), figures.get("investment_cumulative", "0")),
        (_("新增到位资金（万元）"), figures.get("new_funds", "0")),
        (_("本月完成节点（个）"), figures.get("milestones_met", 0)),
    ]
    for stage, count in (figures.get("by_stage") or {}).items():
        rows.append((_("{label}（个）").format(label=Stage(stage if stage != "none" else "").label), count))
    return [(label, str(value)) for label, value in rows]


def rollup_docx(rollup: Rollup) -> bytes:
    label = periods.label(rollup.period)
    doc = govdoc.new_document(
        _("{name}{label}半拉子工程处置工作进展情况").format(name=rollup.organization.name, label=label),
    )
    title = govdoc.title(
        doc, _("{name}\n{label}半拉子工程处置工作进展情况").format(name=rollup.organization.name, label=label),
    )
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = Pt(16)
    paragraph(doc, _("半拉子工程大起底工作领导小组办公室："), indent=False)
    f = rollup.figures or {}
    summary = (
        _("{label}，应报送月度进展的项目 {due} 个，已报送 {submitted} 个"
          "（其中逾期报送 {late} 个），逾期未报 {missing} 个；"
          "本月完成投资 {month} 万元，累计完成投资 {cumulative} 万元，"
          "新增到位资金 {funds} 万元，完成节点 {milestones} 个。现将有关情况报告如下：").format(
            label=label, due=f.get("due", 0), submitted=f.get("submitted", 0), late=f.get("late", 0),
            missing=f.get("missing", 0), month=f.get("investment_month", "0"),
            cumulative=f.get("investment_cumulative", "0"), funds=f.get("new_funds", "0"),
            milestones=f.get("milestones_met", 0),
        )
    )
    paragraph(doc, summary)
    for heading, key in SECTIONS:
        paragraph(doc, heading, face=HEADING_FONT)
        for line in [t for t in (getattr(rollup, key) or "").splitlines() if t.strip()] or [_("无。")]:
            paragraph(doc, line.strip())
    paragraph(doc, _("附表：月度进展汇总数据"), face=HEADING_FONT, indent=False)
    govdoc.table(doc, [_("项目"), _("数值")], [list(row) for row in figure_rows(f)], size=SIZE_4, centred=(1,))
    submitted = timezone.localtime(rollup.submitted_at) if rollup.submitted_at else timezone.localtime()
    paragraph(doc, "", indent=False)
    paragraph(doc, rollup.organization.name, indent=False, align=RIGHT)
    paragraph(doc, _("{year}年{month}月{day}日").format(
        year=submitted.year, month=submitted.month, day=submitted.day,
    ), indent=False,
               align=RIGHT)
    return govdoc.to_bytes(doc)


XLSX_HEADERS = [
    (gettext_lazy("序号"), 6), (gettext_lazy("所在地区"), 18), (gettext_lazy("项目名称"), 36),
    (gettext_lazy("台账编号"), 16), (gettext_lazy("形象进度（%）"), 12),
    (gettext_lazy("本月完成投资（万元）"), 16), (gettext_lazy("累计完成投资（万元）"), 16),
    (gettext_lazy("新增到位资金（万元）"), 16), (gettext_lazy("报送情况"), 12),
    (gettext_lazy("报送时间"), 18),
]
MONEY_COLUMNS = (5, 6, 7)


def rollup_xlsx(rollup: Rollup, rows: list[dict]) -> bytes:
    """One row per project due for the month (its report's figures, or 未报送), a totals row with formulas
    (cached values written too, so readers that do not calculate see them), frozen header."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(_("{label}进展").format(label=periods.label(rollup.period))[:31])
    title = book.add_format({"bold": True, "font_size": 14, "align": "center", "font_name": "宋体"})
    head = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "align": "center", "valign": "vcenter",
                            "text_wrap": True, "font_name": "宋体"})
    text = book.add_format({"border": 1, "font_name": "宋体"})
    money = book.add_format({"border": 1, "num_format": "#,##0.0000", "font_name": "宋体"})
    percent = book.add_format({"border": 1, "num_format": "0.00", "font_name": "宋体"})
    total_text = book.add_format({"border": 1, "bold": True, "font_name": "宋体"})
    total_money = book.add_format({"border": 1, "bold": True, "num_format": "#,##0.0000", "font_name": "宋体"})
    sheet.merge_range(0, 0, 0, len(XLSX_HEADERS) - 1,
                      _("{name}{label}半拉子工程月度进展汇总表").format(
                          name=rollup.organization.name, label=periods.label(rollup.period),
                      ), title)
    for col, (name, width) in enumerate(XLSX_HEADERS):
        sheet.write_string(1, col, str(name), head)
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
    sheet.write_string(last, 0, _("合计"), total_text)
    sheet.write_string(last, 1, _("{count} 个项目").format(count=len(rows)), total_text)
    for col in (2, 3, 4, 8, 9):
        sheet.write_blank(last, col, None, total_text)
    for k, col in enumerate(MONEY_COLUMNS):
        letter = chr(ord("A") + col)
        formula = f"=SUM({letter}3:{letter}{last})" if rows else "=0"
        sheet.write_formula(last, col, formula, total_money, float(totals[k]))
    book.close()
    return buffer.getvalue()


def docx_response(rollup: Rollup) -> HttpResponse:
    name = _("{name}{period}月度汇总.docx").format(name=rollup.organization.name, period=rollup.period)
    return govdoc.download(rollup_docx(rollup), govdoc.DOCX_TYPE, name)


def xlsx_response(rollup: Rollup, rows: list[dict]) -> HttpResponse:
    name = _("{name}{period}月度进展.xlsx").format(name=rollup.organization.name, period=rollup.period)
    return govdoc.download(rollup_xlsx(rollup, rows), govdoc.XLSX_TYPE, name)
