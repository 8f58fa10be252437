"""The green channel's files: the 联审联批台账 (.xlsx, one row per item) and a request's summary (.docx, in the
government-document layout of core/govdoc.py)."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.core import govdoc
from halfbuilt.core.govdoc import RIGHT, heading, paragraph

from . import clocks
from .models import GreenRequest, Item

XLSX_TYPE = govdoc.XLSX_TYPE
SHEET_FONT = govdoc.PAGE_NUMBER_FONT  # 宋体, as the other spreadsheets
LEDGER_HEADERS = (
    (gettext_lazy("序号"), 6), (gettext_lazy("项目"), 32), (gettext_lazy("台账编号"), 14),
    (gettext_lazy("所在地区"), 20), (gettext_lazy("手续"), 24), (gettext_lazy("审批部门"), 26),
    (gettext_lazy("收件日期"), 12), (gettext_lazy("办理时限（工作日）"), 10), (gettext_lazy("办理期限"), 12),
    (gettext_lazy("状态"), 10), (gettext_lazy("办结日期"), 12), (gettext_lazy("批准文号"), 24),
    (gettext_lazy("已用工作日"), 10), (gettext_lazy("剩余工作日"), 10),
)


def _day(value) -> str:
    return value.isoformat() if value else ""


def xlsx_filename() -> str:
    return _("联审联批台账-{day}.xlsx").format(day=timezone.localdate().isoformat())


def ledger_xlsx(items) -> bytes:
    """One row per item: project, procedure, authority, received, deadline, done, days used (the pause left out).
    Text is written as text: a cell starting with = stays a string (no formulas from users' input)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(_("联审联批台账"))
    title = book.add_format({"bold": True, "font_size": 14, "align": "center", "font_name": SHEET_FONT})
    head = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "align": "center",
                            "valign": "vcenter", "text_wrap": True, "font_name": SHEET_FONT})
    text = book.add_format({"border": 1, "font_name": SHEET_FONT})
    late = book.add_format({"border": 1, "font_name": SHEET_FONT, "font_color": "#C00000"})
    sheet.merge_range(0, 0, 0, len(LEDGER_HEADERS) - 1, _("绿色通道联审联批台账（{day}）").format(
        day=timezone.localdate().isoformat()), title)
    for col, (name, width) in enumerate(LEDGER_HEADERS):
        sheet.write_string(1, col, str(name), head)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(2, 0)
    today = timezone.localdate()
    for row, item in enumerate(items.iterator(chunk_size=500) if hasattr(items, "iterator") else items, start=2):
        clock = clocks.clock_of(item, today)
        style = late if clock.overdue else text
        values = [item.project.name, item.project.ledger_no, item.project.region.full_name,
                  item.procedure_type.name, item.authority.name, _day(item.received_on)]
        sheet.write_number(row, 0, row - 1, text)
        for col, value in enumerate(values, start=1):
            sheet.write_string(row, col, value, text)
        sheet.write_number(row, 7, item.time_limit, text)
        sheet.write_string(row, 8, _day(item.deadline) if clock.running else _("暂停计时")
                           if item.status == "supplement" else _day(item.deadline), style)
        sheet.write_string(row, 9, item.get_status_display(), style)
        sheet.write_string(row, 10, _day(item.done_on), text)
        sheet.write_string(row, 11, item.doc_no, text)
        sheet.write_number(row, 12, clock.used, text)
        if item.status in ("done", "refused"):
            sheet.write_blank(row, 13, None, text)
        else:
            sheet.write_number(row, 13, clock.remaining, style)
    book.close()
    return buffer.getvalue()


def docx_filename(request: GreenRequest) -> str:
    return _("绿色通道申请-{name}.docx").format(name=request.project.name[:40])


def _chinese_date(day) -> str:
    return _("{y}年{m}月{d}日").format(y=day.year, m=day.month, d=day.day)


def request_docx(request: GreenRequest, items: list[Item]) -> bytes:
    """The request's summary: the project, who filed it and when, each item with its authority, clock and
    result, and the 联审会 conclusions."""
    project = request.project
    doc = govdoc.new_document(_("绿色通道申请办理情况"))
    govdoc.title(doc, _("“{name}”绿色通道申请办理情况").format(name=project.name))
    paragraph(doc, "", indent=False)
    paragraph(doc, _("项目“{name}”（台账编号 {ledger_no}，{region}）由{filer}于{day}申请绿色通道，"
                     "共 {count} 项手续，同时送达各审批部门联审联办。申请状态：{status}。").format(
        name=project.name, ledger_no=project.ledger_no, region=project.region.full_name,
        filer=request.filer_org.name, day=_chinese_date(request.filed_on), count=len(items),
        status=request.get_status_display()))
    if request.note:
        paragraph(doc, _("申请说明：{note}").format(note=request.note))
    heading(doc, 1, _("各项手续办理情况"))
    today = timezone.localdate()
    rows = []
    for item in items:
        clock = clocks.clock_of(item, today)
        result = {"done": _("{doc_no}（{day}）").format(doc_no=item.doc_no, day=_day(item.done_on)),
                  "refused": _("{reason}（依据：{basis}）").format(reason=item.refusal_reason,
                                                                 basis=item.legal_basis),
                  "supplement": _("需补正：{missing}").format(missing=item.missing)}.get(item.status, clock.text())
        rows.append([item.procedure_type.name, item.authority.name, _day(item.received_on),
                     _("{days}个工作日").format(days=item.time_limit), _day(item.deadline),
                     item.get_status_display(), result])
    govdoc.table(doc, [_("手续"), _("审批部门"), _("收件日期"), _("时限"), _("期限"), _("状态"), _("办理结果")],
                 rows, centred=(2, 3, 4, 5))
    reviews = list(request.reviews.prefetch_related("conclusions__item__procedure_type"))
    if reviews:
        heading(doc, 2, _("联审会"))
        for review in reviews:
            paragraph(doc, _("{day}，{convener}召集联审会，参会：{attendees}。").format(
                day=_chinese_date(review.held_on), convener=review.convener.name, attendees=review.attendees))
            for conclusion in review.conclusions.all():
                paragraph(doc, _("{name}：{text}").format(name=conclusion.item.procedure_type.name,
                                                         text=conclusion.text))
    paragraph(doc, "", indent=False)
    paragraph(doc, _chinese_date(today), indent=False, align=RIGHT)
    return govdoc.to_bytes(doc)
