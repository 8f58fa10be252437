"""Word documents in the layout of Chinese government documents (GB/T 9704-2012), shared by every document
the product writes (the plan, the monthly roll-up, and the circulars to come).

A4; margins top 37 mm / bottom 35 mm / left 28 mm / right 26 mm; the title in 方正小标宋简体 二号, centred; the
body in 仿宋_GB2312 三号 with a two-character first-line indent and a fixed 28 pt line pitch; first-level headings
一、二、三、 in 黑体 三号; page numbers "— 1 —" in 宋体 四号 at the foot. Fonts are named for East Asian text
(w:eastAsia), which Word and WPS use for Chinese characters; machines without the official fonts substitute their
own, and LibreOffice opens the file as is.
"""

from __future__ import annotations

import io
from urllib.parse import quote

from django.http import HttpResponse
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBTITLE_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
SIZE_2, SIZE_3, SIZE_4, SIZE_SMALL_4 = Pt(22), Pt(16), Pt(14), Pt(12)
NUMERALS = "一二三四五六七八九十"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CENTER, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT


def new_document(title: str = "") -> Document:
    """An empty A4 document with the body font, the margins and page numbers."""
    doc = Document()
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
    if title:
        doc.core_properties.title = title
    return doc


def font(run: Run, name: str, size: Pt, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def paragraph(doc, text: str = "", *, face: str = BODY_FONT, size: Pt = SIZE_3, indent: bool = True,
              align=None, bold: bool = False):
    """A paragraph at the fixed line pitch; line breaks in `text` stay line breaks."""
    para = doc.add_paragraph()
    fmt = para.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size.pt * 2)
        # Word also reads the indent in characters, which survives a change of font size.
        para._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
    if align is not None:
        para.alignment = align
    for i, line in enumerate((text or "").splitlines() or [""]):
        if i:
            para.add_run().add_break()
        font(para.add_run(line), face, size, bold)
    return para


def title(doc, text: str):
    return paragraph(doc, text, face=TITLE_FONT, size=SIZE_2, indent=False, align=CENTER)


def heading(doc, number: int, text: str) -> None:
    """A first-level heading: 一、…"""
    paragraph(doc, f"{NUMERALS[number - 1]}、{text}", face=HEADING_FONT)


def table(doc, headers: list[str], rows: list[list[str]], *, size: Pt = SIZE_SMALL_4,
          centred: tuple[int, ...] = ()) -> None:
    """A ruled table: the header row in 黑体, centred; `centred` columns of the body too."""
    grid = doc.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        cell.text = ""
        font(cell.paragraphs[0].add_run(text), HEADING_FONT, size, bold=True)
        cell.paragraphs[0].alignment = CENTER
    for values in rows:
        for col, (cell, text) in enumerate(zip(grid.add_row().cells, values, strict=True)):
            cell.text = ""
            font(cell.paragraphs[0].add_run(text), BODY_FONT, size)
            if col in centred:
                cell.paragraphs[0].alignment = CENTER


def to_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A file to save, named in Chinese (RFC 6266 filename*)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _page_numbers(section) -> None:
    para = section.footer.paragraphs[0]
    para.alignment = CENTER
    font(para.add_run("— "), PAGE_NUMBER_FONT, SIZE_4)
    run = para.add_run()
    font(run, PAGE_NUMBER_FONT, SIZE_4)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    font(para.add_run(" —"), PAGE_NUMBER_FONT, SIZE_4)
