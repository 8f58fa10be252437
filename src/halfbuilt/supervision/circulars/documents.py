"""The 通报 as a Word document in the layout of a government notice (core/govdoc.py, GB/T 9704): the issuer's
mark, the 文号, the title, 主送, the text with its ranking tables, 落款 and date; and its tables as .xlsx."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from docx.shared import RGBColor

from halfbuilt.core import govdoc
from halfbuilt.core.govdoc import CENTER, RIGHT, SIZE_2, TITLE_FONT, heading, paragraph
from halfbuilt.supervision.dashboard.exports import Book

from . import tables
from .figures import METRICS
from .models import Circular
from .texts import chinese_date

# 主送 as a notice lists it: the league/city governments first (by code), then the departments.
ADDRESSEE_ORDER = ("-kind", "region_id", "name")
RED = RGBColor(0xE0, 0x00, 0x00)  # the 发文机关标志 is printed red


def filename(circular: Circular, ext: str) -> str:
    return _("通报-{name}.{ext}").format(name=circular.doc_no or _("草稿"), ext=ext)


def _text(doc, text: str) -> None:
    for line in text.splitlines():
        if line.strip():
            paragraph(doc, line.strip())


def addressee_line(circular: Circular) -> str:
    return _("{names}：").format(names="，".join(o.name for o in circular.addressees.order_by(*ADDRESSEE_ORDER)))


def build_docx(circular: Circular, data: dict) -> bytes:
    doc = govdoc.new_document(circular.title)
    mark = paragraph(doc, circular.issuer_org.name, face=TITLE_FONT, size=SIZE_2, indent=False, align=CENTER)
    for run in mark.runs:
        run.font.color.rgb = RED
    paragraph(doc, "", indent=False)
    paragraph(doc, circular.doc_no or _("（草稿，未编号）"), indent=False, align=CENTER)
    paragraph(doc, "", indent=False)
    govdoc.title(doc, circular.title)
    paragraph(doc, "", indent=False)
    paragraph(doc, addressee_line(circular), indent=False)
    _text(doc, circular.opening)
    heading(doc, 1, _("主要情况"))
    _text(doc, circular.findings)
    headers = [str(h) for h in tables.DOC_RANKING_HEADERS]
    for caption, rows in ((_("各盟市排名"), data["leagues"]), (_("各行业主管部门排名"), data["departments"])):
        paragraph(doc, _("{caption}（按{metric}）").format(caption=caption, metric=METRICS[data["metric"]][0]),
                  indent=False, align=CENTER)
        govdoc.table(doc, headers, [[str(v) for v in tables.doc_ranking_cells(r)] for r in rows],
                     centred=tuple(i for i in range(len(headers)) if i != 1))
    paragraph(doc, _("红黑榜（前{n}名、后{n}名）").format(n=data["top_n"]), indent=False, align=CENTER)
    govdoc.table(doc, [str(h) for h in tables.BOARD_HEADERS],
                 [[str(v) for v in line] for line in tables.board_cells(data)], centred=(1,))
    paragraph(doc, _("亮红灯项目"), indent=False, align=CENTER)
    if data["red_projects"]:
        govdoc.table(doc, [str(h) for h in tables.RED_HEADERS],
                     [[str(v) for v in line] for line in tables.red_cells(data)], centred=(0,))
    else:
        paragraph(doc, _("通报期间无亮红灯项目。"))
    if tables.green_cells(data):
        paragraph(doc, _("绿色通道超期事项（按审批部门）"), indent=False, align=CENTER)
        govdoc.table(doc, [str(h) for h in tables.GREEN_HEADERS],
                     [[str(v) for v in line] for line in tables.green_cells(data)], centred=(0, 2, 3))
    heading(doc, 2, _("工作要求"))
    _text(doc, circular.requirements)
    paragraph(doc, "", indent=False)
    paragraph(doc, circular.issuer_org.name, indent=False, align=RIGHT)
    day = circular.published_at.date() if circular.published_at else dt.date.fromisoformat(data["as_of"])
    paragraph(doc, chinese_date(day), indent=False, align=RIGHT)
    return govdoc.to_bytes(doc)


def build_xlsx(circular: Circular, data: dict) -> bytes:
    book = Book()
    summary = [[_("文号"), circular.doc_no or _("草稿")], [_("标题"), circular.title],
               [_("数据截至"), data["as_of"]], *([label, value] for label, value in tables.total_cells(data))]
    book.sheet(_("概况"), circular.title, (_("指标"), _("数值")), summary)
    book.sheet(_("盟市排名"), _("各盟市排名"), tables.RANKING_HEADERS,
               [tables.ranking_cells(r) for r in data["leagues"]])
    book.sheet(_("部门排名"), _("各行业主管部门排名"), tables.RANKING_HEADERS,
               [tables.ranking_cells(r) for r in data["departments"]])
    book.sheet(_("红黑榜"), _("红黑榜"), tables.BOARD_HEADERS, tables.board_cells(data))
    book.sheet(_("红灯项目"), _("亮红灯项目"), tables.RED_HEADERS, tables.red_cells(data))
    book.sheet(_("绿色通道超期"), _("绿色通道超期事项（按审批部门）"), tables.GREEN_HEADERS, tables.green_cells(data))
    return book.bytes()
