"""The error report: the county's own rows, bad cells filled red with the message as a comment, an extra
"错误说明" column on each bad row, and a summary sheet listing every error with its cell."""

import datetime as dt
import io
import re
from pathlib import Path

import xlsxwriter
from django.utils.translation import gettext as _
from xlsxwriter.utility import xl_col_to_name

from .headers import find_header
from .reader import ReadError, Sheet, read_workbook


def cell_name(row: int | None, col: int | None) -> str:
    """'C5' as the spreadsheet shows it; the row alone when the column is unknown."""
    if not row:
        return ""
    return f"{xl_col_to_name(col)}{row}" if col is not None else _("第{row}行").format(row=row)


def _sheet_title(name: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "Sheet"
    base, n = title, 2
    while title.lower() in used:
        suffix = f"({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def build_error_report(path: Path, ext: str, errors: list[dict], warnings: list[dict] = (),
                       name: str | None = None) -> bytes:
    try:
        sheets = read_workbook(path, ext, name)
    except ReadError:
        sheets = []
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_numbers": False, "strings_to_urls": False})
    bold = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    bad = workbook.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "border": 2, "border_color": "#C00000"})
    bad_date = workbook.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "border": 2,
                                    "border_color": "#C00000", "num_format": "yyyy-mm-dd"})
    note = workbook.add_format({"font_color": "#C00000", "text_wrap": True})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    summary_title = _("错误汇总")
    used = {summary_title.lower()}

    summary = workbook.add_worksheet(summary_title)
    summary.write_row(0, 0, [_("工作表"), _("行"), _("列"), _("单元格"), _("问题")], bold)
    for i, e in enumerate(errors, start=1):
        summary.write_row(i, 0, [e.get("sheet", ""), e.get("row") or "", e.get("column", ""),
                                 cell_name(e.get("row"), e.get("col")), e.get("message", "")])
    summary.set_column(0, 0, 16)
    summary.set_column(2, 3, 14)
    summary.set_column(4, 4, 70)
    summary.freeze_panes(1, 0)
    if warnings:
        start = len(errors) + 3
        summary.write(start - 1, 0, _("提醒（不影响导入）"), bold)
        for i, w in enumerate(warnings):
            summary.write_row(start + i, 0, [w.get("sheet", ""), w.get("row") or "", w.get("column", ""),
                                             cell_name(w.get("row"), w.get("col")), w.get("message", "")])

    by_sheet: dict[str, dict[int, list[dict]]] = {}
    for e in errors:
        by_sheet.setdefault(e.get("sheet", ""), {}).setdefault(e.get("row") or 0, []).append(e)
    for sheet in sheets:
        _copy_sheet(workbook, sheet, by_sheet.get(sheet.name, {}), _sheet_title(sheet.name, used),
                    bold, bad, bad_date, note, date)
    workbook.close()
    return buffer.getvalue()


def _copy_sheet(workbook, sheet: Sheet, errors: dict[int, list[dict]], title, bold, bad, bad_date, note, date):
    ws = workbook.add_worksheet(title)
    width = max((len(r) for r in sheet.rows), default=0)
    marked = {(row - 1, e["col"]): e for row, es in errors.items() for e in es if e.get("col") is not None}
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            bad_cell = (r, c) in marked
            if isinstance(value, dt.datetime | dt.date):
                ws.write_datetime(r, c, value if isinstance(value, dt.datetime) else
                                  dt.datetime.combine(value, dt.time()), bad_date if bad_cell else date)
            elif isinstance(value, dt.time | dt.timedelta):
                ws.write_string(r, c, str(value), bad if bad_cell else None)
            elif value in ("", None):
                if bad_cell:
                    ws.write_blank(r, c, None, bad)
            else:
                ws.write(r, c, value, bad if bad_cell else None)
    for (r, c), e in marked.items():
        if c >= width or r >= len(sheet.rows) or c >= len(sheet.rows[r]):
            ws.write_blank(r, c, None, bad)
        ws.write_comment(r, c, e["message"], {"x_scale": 2, "y_scale": 1.5})
    header = find_header(sheet)
    ws.write(header.first_row if header else 0, width, _("错误说明"), bold)
    ws.set_column(width, width, 60)
    for row, es in errors.items():
        if row:
            ws.write(row - 1, width, "；".join(
                f"{e['column']}：{e['message']}" if e.get("column") else e["message"] for e in es), note)
    if header:
        ws.freeze_panes(header.data_start, 0)
