"""Exports of the ledger: .xlsx, .csv and .json, for the CLI (`halfbuilt ledger export`) and the web.

The caller passes a queryset that is already restricted to the user's scope and filtered. Rows are
streamed in chunks, so memory stays flat whatever the size (100,000 projects well under 300 MB).

Spreadsheet cells whose text starts with = + - @, a tab or a carriage return are prefixed with a
single quote (OWASP, CSV injection), so Excel and WPS never run them as formulas. Numbers stay numbers.
JSON is data for programs, not cells, and is written exactly.
"""

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO

import xlsxwriter
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .dictionary import FIELDS, display_value, project_record
from .models import Project

FORMATS = ("xlsx", "csv", "json")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
CHUNK_SIZE = 2000
XLSX_MAX_ROWS = 1_048_575  # one row is the header
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMERIC_TYPES = ("money", "coord")

PathOrFile = str | os.PathLike | IO


class ExportError(ValueError):
    """The export cannot be written; the message is Chinese."""


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula, made inert with a leading single quote."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def format_for(path: str | os.PathLike) -> str:
    """The export format named by a file's extension."""
    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ExportError(
            _("不支持导出为“{suffix}”，请使用 .xlsx、.csv 或 .json").format(suffix=Path(path).suffix or _("无扩展名")),
        )
    return fmt


def _plan_method(project: Project) -> str:
    try:
        return project.plan.get_method_display()
    except ObjectDoesNotExist:  # no plan yet
        return ""


# Spreadsheet columns beyond the data dictionary's, placed after the named key: the plan's method sits next
# to the disposal stage. JSON keeps the dictionary's keys only (the plan has its own API).
EXTRA_COLUMNS = {"stage": [(gettext_lazy("处置方式"), _plan_method)]}
def labels() -> list[str]:
    """The columns' headers, in the request's language."""
    return [str(label) for f in FIELDS for label in [f.label, *(c[0] for c in EXTRA_COLUMNS.get(f.key, ()))]]

WIDE = {"name", "content", "causes"}


def _rows(queryset: QuerySet) -> Iterator[Project]:
    related = ("region__parent", "category", "department", "plan")
    return queryset.select_related(*related).iterator(chunk_size=CHUNK_SIZE)


def _cells(project: Project) -> Iterator[str | Decimal | None]:
    """One row: numbers for money and coordinates, display text (neutralised) for the rest."""
    for field in FIELDS:
        if field.type in NUMERIC_TYPES:
            yield getattr(project, field.key)
        else:
            yield neutralise(display_value(project, field.key))
        for _label, value in EXTRA_COLUMNS.get(field.key, ()):
            yield neutralise(value(project))


def _write_xlsx(queryset: QuerySet, target) -> int:
    # constant_memory: each row is flushed to a temporary file as soon as the next one starts.
    workbook = xlsxwriter.Workbook(target, {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False, "tmpdir": tempfile.gettempdir(),
    })
    sheet = workbook.add_worksheet(_("台账"))
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "vcenter"})
    wide = {f.label for f in FIELDS if f.key in WIDE}
    headers = labels()
    for col, label in enumerate(headers):
        sheet.set_column(col, col, 30 if label in wide else 14)
    sheet.freeze_panes(1, 0)
    for col, label in enumerate(headers):
        sheet.write_string(0, col, str(label), bold)
    count = 0
    for count, project in enumerate(_rows(queryset), start=1):
        if count > XLSX_MAX_ROWS:
            workbook.close()
            raise ExportError(
                _("Excel 一张表最多 {limit} 行，请缩小筛选范围或导出为 .csv").format(limit=XLSX_MAX_ROWS),
            )
        for col, value in enumerate(_cells(project)):
            if isinstance(value, Decimal):
                sheet.write_number(count, col, float(value))
            elif value:
                sheet.write_string(count, col, value)
    sheet.autofilter(0, 0, max(count, 1), len(headers) - 1)
    workbook.close()
    return count


class _Utf8Writer:
    """Lets csv (which writes str) write into a binary file or an HttpResponse."""

    def __init__(self, binary) -> None:
        self.binary = binary

    def write(self, text: str) -> int:
        return self.binary.write(text.encode("utf-8"))


def _write_text(target: PathOrFile, write) -> int:
    """Open `target` for UTF-8 text (a path, a text stream or a binary file) and call write(stream)."""
    if isinstance(target, str | os.PathLike):
        with open(target, "w", encoding="utf-8", newline="") as stream:
            return write(stream)
    if isinstance(target, io.TextIOBase):
        return write(target)
    return write(_Utf8Writer(target))


def _write_csv(queryset: QuerySet, target: PathOrFile) -> int:
    def write(stream) -> int:
        stream.write("\ufeff")  # the BOM tells Excel and WPS the file is UTF-8
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(labels())
        count = 0
        for project in _rows(queryset):
            count += 1
            writer.writerow([
                "" if value is None else format(value.normalize(), "f") if isinstance(value, Decimal) else value
                for value in _cells(project)
            ])
        return count

    return _write_text(target, write)


def _write_json(queryset: QuerySet, target: PathOrFile) -> int:
    def write(stream) -> int:
        stream.write("[")
        count = 0
        for count, project in enumerate(_rows(queryset), start=1):
            stream.write(",\n" if count > 1 else "\n")
            stream.write(json.dumps(project_record(project), ensure_ascii=False))
        stream.write("\n]\n" if count else "]\n")
        return count

    return _write_text(target, write)


WRITERS = {"xlsx": _write_xlsx, "csv": _write_csv, "json": _write_json}


def write_export(queryset: QuerySet, path_or_file: PathOrFile, fmt: str | None = None) -> int:
    """Write the projects of `queryset` to a path or an open file; returns the number of projects.

    `fmt` is "xlsx", "csv" or "json"; when omitted it comes from the path's extension.
    A file object should be binary (a text stream is accepted for csv and json).
    """
    if fmt is None:
        if not isinstance(path_or_file, str | os.PathLike):
            raise ExportError(_("写入文件对象时须指明导出格式"))
        fmt = format_for(path_or_file)
    if fmt not in WRITERS:
        raise ExportError(_("不支持的导出格式“{fmt}”，应为 xlsx、csv 或 json").format(fmt=fmt))
    return WRITERS[fmt](queryset, path_or_file)


def export_filename(fmt: str, stem: str = gettext_lazy("台账")) -> str:
    return f"{stem}-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"


def export_response(queryset: QuerySet, fmt: str, filename: str | None = None) -> FileResponse:
    """A download of the export: written to a temporary file on disk first (never held in memory),
    then streamed; the file disappears when the response is closed."""
    if fmt not in WRITERS:
        raise ExportError(_("不支持的导出格式“{fmt}”，应为 xlsx、csv 或 json").format(fmt=fmt))
    spool = tempfile.TemporaryFile(suffix=f".{fmt}")  # noqa: SIM115 - FileResponse closes it
    try:
        write_export(queryset, spool, fmt)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    response = FileResponse(spool, as_attachment=True, filename=filename or export_filename(fmt))
    response["Content-Type"] = CONTENT_TYPES[fmt]
    return response

