"""《XX项目处置方案》 as a Word document, in the layout of Chinese government documents (GB/T 9704):
A4, margins top 37 mm / bottom 35 mm / left 28 mm / right 26 mm; the title in 方正小标宋简体 二号, centred;
body in 仿宋_GB2312 三号 with a two-character first-line indent and a fixed 28 pt line pitch; first-level
headings 一、二、三、 in 黑体 三号; page numbers "— 1 —" in 宋体 四号 at the foot.

Fonts are named for East Asian text (w:eastAsia), which Word and WPS use for Chinese characters; machines
without the official fonts substitute their own, and LibreOffice opens the file as is.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.run import Run

from halfbuilt.core.templatetags.halfbuilt_ui import money

from . import methods
from .models import Plan, ProcedureKind

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
SIZE_2, SIZE_3, SIZE_4, SIZE_SMALL_4 = Pt(22), Pt(16), Pt(14), Pt(12)
NUMERALS = "一二三四五六七八九十"
MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _font(run: Run, name: str, size: Pt, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _paragraph(doc, text: str = "", *, font: str = BODY_FONT, size: Pt = SIZE_3, indent: bool = True,
               align=None, bold: bool = False):
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size.pt * 2)
        # Word also reads the indent in characters, which survives a change of font size.
        paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
    if align is not None:
        paragraph.alignment = align
    for i, line in enumerate((text or "").splitlines() or [""]):
        if i:
            paragraph.add_run().add_break()
        _font(paragraph.add_run(line), font, size, bold)
    return paragraph


def _heading(doc, number: int, text: str) -> None:
    _paragraph(doc, f"{NUMERALS[number - 1]}、{text}", font=HEADING_FONT)


def _page_numbers(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), PAGE_NUMBER_FONT, SIZE_4)
    run = paragraph.add_run()
    _font(run, PAGE_NUMBER_FONT, SIZE_4)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    _font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, SIZE_4)


def _table(doc, headers: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, SIZE_SMALL_4)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), BODY_FONT, SIZE_SMALL_4)


def _setup(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    _page_numbers(section)


def title_of(plan: Plan) -> str:
    return f"{plan.project.name}处置方案"


def build_plan_docx(plan: Plan) -> bytes:
    project = plan.project
    doc = Document()
    _setup(doc)
    doc.core_properties.title = title_of(plan)
    _paragraph(doc, title_of(plan), font=TITLE_FONT, size=SIZE_2, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    subtitle = f"（台账编号 {project.ledger_no}"
    subtitle += f" · 第{plan.revision}次修订）" if plan.revision else "）"
    _paragraph(doc, subtitle, font="楷体_GB2312", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, "", indent=False)

    basics = [f"{project.name}位于{project.region.full_name}", f"属{project.get_kind_display()}项目"]
    if project.total_investment is not None:
        basics.append(f"总投资{money(project.total_investment)}万元")
    if project.completed_investment is not None:
        basics.append(f"已完成投资{money(project.completed_investment)}万元")
    phone = f"（联系电话：{plan.responsible_phone}）" if plan.responsible_phone else ""
    sections: list[tuple[str, list[str]]] = [
        ("项目介绍", ["，".join(basics) + "。", plan.introduction]),
        ("存在问题", [plan.problems or "无。"]),
        ("处置方式及措施", [f"处置方式：{plan.get_method_display()}。", plan.measures or ""]),
        ("责任分工", [
            f"主责单位：{plan.lead_unit}。",
            f"责任人：{plan.responsible_person}{phone}。",
            f"配合单位：{plan.cooperating_units or '无'}。",
            f"包联领导：{plan.leader_in_charge or '无'}。",
        ]),
        ("完成时限", [f"{plan.deadline.year}年{plan.deadline.month}月{plan.deadline.day}日前完成处置。"]),
    ]
    number = 0
    for heading, lines in sections:
        number += 1
        _heading(doc, number, heading)
        for line in lines:
            if line:
                _paragraph(doc, line)

    number += 1
    _heading(doc, number, "节点安排")
    milestones = list(plan.milestones.all())
    if milestones:
        _table(doc, ["序号", "节点", "计划完成日期", "实际完成日期"], [
            [str(i), m.title, m.due_date.isoformat(), m.met_date.isoformat() if m.met_date else "—"]
            for i, m in enumerate(milestones, 1)
        ])
    else:
        _paragraph(doc, "暂未安排节点。")

    number += 1
    _heading(doc, number, f"{plan.get_method_display()}有关情况")
    for label, value in methods.fact_rows(plan):
        _paragraph(doc, f"{label}：{value}。" if value != "—" else f"{label}：—")
    if plan.method == "procedures":
        procedures = list(plan.procedures.all())
        if procedures:
            _table(doc, ["序号", "待补手续", "办理部门", "办结日期", "批准文号"], [
                [str(i), p.name or ProcedureKind(p.kind).label, p.authority or "—",
                 p.done_date.isoformat() if p.done_date else "未办结", p.document_no or "—"]
                for i, p in enumerate(procedures, 1)
            ])

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
