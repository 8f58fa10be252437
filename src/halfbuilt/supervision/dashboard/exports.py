"""The dashboard's tables as .xlsx, and the 调度表 (after 水利部's 清四乱 tables) as .xlsx and .docx."""

from __future__ import annotations

import io
from decimal import Decimal

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.core import govdoc
from halfbuilt.core.formatting import percent
from halfbuilt.core.govdoc import RIGHT, SIZE_SMALL_4, paragraph

from .figures import LABELS, Dashboard, Row

SCHEDULE_HEADERS = (gettext_lazy("序号"), gettext_lazy("盟市"), LABELS["in_ledger"], LABELS["planned"],
                    LABELS["disposing"], LABELS["closed"], LABELS["rate"], LABELS["red"], LABELS["yellow"])
RANKING_HEADERS = (gettext_lazy("名次"), gettext_lazy("名称"), LABELS["in_ledger"], LABELS["closed"],
                   LABELS["revitalised"], LABELS["rate"], gettext_lazy("总投资（万元）"))


def _rate(value: Decimal | None) -> str:
    return percent(value) if value is not None else "—"


def schedule_values(rows: list[Row], total: Row) -> list[list]:
    """The 调度表's rows as cells: one per league, then the sum."""
    lines = [[i, row.name, row.n, row.planned, row.disposing, row.closed, _rate(row.rate), row.red, row.yellow]
             for i, row in enumerate(rows, start=1)]
    lines.append(["", total.name, total.n, total.planned, total.disposing, total.closed, _rate(total.rate),
                  total.red, total.yellow])
    return lines


def _today() -> str:
    day = timezone.localdate()
    return _("{year}年{month}月{day}日").format(year=day.year, month=day.month, day=day.day)


class Book:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {"in_memory": True, "strings_to_formulas": False,
                                                      "strings_to_urls": False})
        self.head = self.book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "align": "center",
                                          "text_wrap": True, "font_name": "宋体"})
        self.cell = self.book.add_format({"border": 1, "font_name": "宋体"})
        self.money = self.book.add_format({"border": 1, "num_format": "#,##0.0000", "font_name": "宋体"})
        self.title = self.book.add_format({"bold": True, "font_size": 14, "font_name": "宋体"})

    def sheet(self, name: str, title: str, headers, rows: list[list]) -> None:
        sheet = self.book.add_worksheet(name[:31])
        sheet.write_string(0, 0, title, self.title)
        for col, header in enumerate(headers):
            sheet.write_string(1, col, str(header), self.head)
            sheet.set_column(col, col, 8 if col == 0 else 16)
        sheet.freeze_panes(2, 0)
        for r, values in enumerate(rows, start=2):
            for col, value in enumerate(values):
                if isinstance(value, Decimal):
                    sheet.write_number(r, col, float(value), self.money)
                elif isinstance(value, int):
                    sheet.write_number(r, col, value, self.cell)
                else:
                    sheet.write_string(r, col, str(value), self.cell)

    def bytes(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def _ranking(rows: list[Row]) -> list[list]:
    return [[row.rank, row.name, row.n, row.closed, row.revitalised, _rate(row.rate), row.total] for row in rows]


def dashboard_xlsx(board: Dashboard) -> bytes:
    book = Book()
    summary = [[board.total.label, board.total.n], [board.closed.label, board.closed.n],
               [board.revitalised.label, board.revitalised.n], [str(LABELS["rate"]), _rate(board.rate)]]
    if board.target is not None:
        summary.append([_("目标销号率"), _rate(board.target)])
    for key in ("total", "completed", "needed"):
        summary.append([_("{label}（万元）").format(label=LABELS[key]), board.investment[key]])
    book.sheet(_("概况"), _("半拉子工程调度概况（{day}）").format(day=_today()), (_("指标"), _("数值")), summary)
    composition = [[_("类型"), c.label, c.n] for c in board.by_kind]
    composition += [[_("处置阶段"), c.label, c.n] for c in board.by_stage]
    composition += [[_("处置方式"), c.label, c.n] for c in board.by_method]
    book.sheet(_("台账构成"), _("台账项目构成"), (_("分类"), _("类别"), _("项目数")), composition)
    book.sheet(_("按盟市"), _("各盟市排名"), RANKING_HEADERS, _ranking(board.leagues))
    book.sheet(_("按部门"), _("各行业主管部门排名"), RANKING_HEADERS, _ranking(board.departments))
    book.sheet(_("月度趋势"), _("月度趋势"), (_("月份"), LABELS["entered"], _("销号")),
               [[m.month, m.entered, m.closed] for m in board.months])
    return book.bytes()


def schedule_xlsx(rows: list[Row], total: Row) -> bytes:
    book = Book()
    book.sheet(_("调度表"), _("半拉子工程大起底调度表（{day}）").format(day=_today()), SCHEDULE_HEADERS,
               schedule_values(rows, total))
    return book.bytes()


def schedule_docx(rows: list[Row], total: Row, signer: str) -> bytes:
    heading = _("半拉子工程大起底调度表")
    doc = govdoc.new_document(heading)
    govdoc.title(doc, heading)
    paragraph(doc, _("截至{day}，各盟市台账项目处置情况如下：").format(day=_today()))
    govdoc.table(doc, [str(h) for h in SCHEDULE_HEADERS],
                 [[str(v) for v in line] for line in schedule_values(rows, total)], size=SIZE_SMALL_4,
                 centred=(0, 2, 3, 4, 5, 6, 7, 8))
    paragraph(doc, "", indent=False)
    paragraph(doc, signer, indent=False, align=RIGHT)
    paragraph(doc, _today(), indent=False, align=RIGHT)
    return govdoc.to_bytes(doc)


def dashboard_response(board: Dashboard) -> HttpResponse:
    return govdoc.download(dashboard_xlsx(board), govdoc.XLSX_TYPE, _("调度看板.xlsx"))


def schedule_xlsx_response(rows: list[Row], total: Row) -> HttpResponse:
    return govdoc.download(schedule_xlsx(rows, total), govdoc.XLSX_TYPE, _("调度表.xlsx"))


def schedule_docx_response(rows: list[Row], total: Row, signer: str) -> HttpResponse:
    return govdoc.download(schedule_docx(rows, total, signer), govdoc.DOCX_TYPE, _("调度表.docx"))
