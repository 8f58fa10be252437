"""What a workbook may claim before it is read: checked on the compressed file, so that no upload can exhaust the
memory or the CPU of whoever reads it (a 1.6 KB .xlsx whose cells reach XFD1048576 asks the reader for a dense
range of 17 billion cells; a 3 MB one may inflate a single cell to 3 GiB).

The .xlsx is a zip: each part is inflated here in 1 MB steps and never kept, counting its bytes against
IMPORT_MAX_INFLATED_MB, and each worksheet's cell references give the rows and columns its range will span
(the reader allocates from the first used cell to the last). Only then does python-calamine read it. An .xls is a
BIFF file of at most 65,536 × 256 cells, bounded by the upload limit; a .csv is read as text within it too.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 1 << 20
OVERLAP = 64  # a cell reference cut by a chunk boundary is found in the next one
# Cheap on a normal sheet: the cell references with three letters (beyond column ZZ), else with two, give the
# widest column (a sheet of one-letter columns is at most 26 wide); the row tags and only the cell references of
# row 100,000 or beyond give the rows (a cell referring lower than its row tag says can stretch a range to 99,999
# rows at most, within the column limit). Each pattern starts with a literal, so the scan runs at memory speed.
THREE_LETTERS = re.compile(rb' r="([A-Z]{3})\d')
TWO_LETTERS = re.compile(rb' r="([A-Z]{2})\d')
ROW_TAG = re.compile(rb'<row r="(\d{1,9})"')
FAR_ROW = re.compile(rb' r="[A-Z]{1,3}(\d{6,9})"')
WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")


class TooBig(Exception):
    """The workbook exceeds a limit: the message names the sheet part and the limit's setting."""


@dataclass(frozen=True)
class Limits:
    inflated_mb: int
    rows: int
    columns: int
    cells: int
    merged: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(settings.IMPORT_MAX_INFLATED_MB, settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS,
                   settings.IMPORT_MAX_CELLS, settings.IMPORT_MAX_MERGED)


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def widest_column(text: bytes) -> int:
    for pattern in (THREE_LETTERS, TWO_LETTERS):
        if found := set(pattern.findall(text)):
            return max(column_number(letters) for letters in found)
    return 26


@dataclass
class Span:
    """The used range of one worksheet, as far as its cell references tell."""

    min_row: int = 0
    max_row: int = 0
    min_col: int = 0
    max_col: int = 0
    merged: int = 0

    def add_rows(self, rows) -> None:
        for row in rows:
            self.min_row = min(self.min_row, row) if self.max_row else row
            self.max_row = max(self.max_row, row)

    def add_columns(self, columns) -> None:
        for col in columns:
            self.min_col = min(self.min_col, col) if self.max_col else col
            self.max_col = max(self.max_col, col)

    @property
    def rows(self) -> int:
        return self.max_row - self.min_row + 1 if self.max_row else 0

    @property
    def columns(self) -> int:
        return self.max_col  # from column A: the range's left edge is not looked for (a safe overestimate)


def sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → the name its tab shows (sheet1.xml → 停建项目), for the messages; best effort."""
    try:
        workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = dict(re.findall(r'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"', rels))
    targets |= {rid: target for target, rid in
                re.findall(r'<Relationship\b[^>]*?\bTarget="([^"]+)"[^>]*?\bId="([^"]+)"', rels)}
    names = {}
    for name, rid in re.findall(r'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]+)"[^>]*?\br:id="([^"]+)"', workbook):
        if target := targets.get(rid):
            names["xl/" + target.lstrip("/").removeprefix("xl/")] = name
    return names


def check_xlsx(path: Path, limits: Limits | None = None) -> None:
    """Raise TooBig when the workbook would exceed a limit once read; BadZipFile when it is no zip."""
    limits = limits or Limits.from_settings()
    budget = limits.inflated_mb * 1024 * 1024
    inflated = 0
    with zipfile.ZipFile(path) as archive:
        names = sheet_names(archive)
        for info in archive.infolist():
            if info.is_dir():
                continue
            is_sheet = bool(WORKSHEET.match(info.filename))
            span, tail = Span(), b""
            with archive.open(info) as part:
                while block := part.read(CHUNK):
                    inflated += len(block)
                    if inflated > budget:
                        raise TooBig(_("文件解压后超过 {limit} MB（设置 HALFBUILT_IMPORT_MAX_INFLATED_MB），"
                                       "可能是压缩炸弹或含有异常大的单元格；请检查后另存再上传").format(
                                           limit=limits.inflated_mb))
                    if is_sheet:
                        text = tail + block
                        if b' r="' in text:
                            span.add_columns([widest_column(text)])
                        span.add_rows(int(digits) for digits in (*ROW_TAG.findall(text), *FAR_ROW.findall(text)))
                        span.merged += block.count(b"<mergeCell ") + block.count(b":mergeCell ")
                        tail = text[-OVERLAP:]
                        _check_span(span, names.get(info.filename, Path(info.filename).stem), limits)


def _check_span(span: Span, sheet: str, limits: Limits) -> None:
    if span.rows > limits.rows:
        raise TooBig(_("工作表 {sheet} 使用了 {rows} 行，超过上限 {limit} 行（设置 HALFBUILT_IMPORT_MAX_ROWS）；"
                       "请删除多余的行或分成几个文件").format(sheet=sheet, rows=span.rows, limit=limits.rows))
    if span.columns > limits.columns:
        raise TooBig(_("工作表 {sheet} 使用了 {columns} 列，超过上限 {limit} 列（设置 HALFBUILT_IMPORT_MAX_COLUMNS）；"
                       "请删除多余的列").format(sheet=sheet, columns=span.columns, limit=limits.columns))
    if span.rows * span.columns > limits.cells:
        raise TooBig(_("工作表 {sheet} 的使用区域有 {cells} 个单元格，超过上限 {limit} 个"
                       "（设置 HALFBUILT_IMPORT_MAX_CELLS）").format(
                           sheet=sheet, cells=span.rows * span.columns, limit=limits.cells))
    if span.merged > limits.merged:
        raise TooBig(_("工作表 {sheet} 有 {merged} 个合并区域，超过上限 {limit} 个"
                       "（设置 HALFBUILT_IMPORT_MAX_MERGED）；请取消合并后再上传").format(
                           sheet=sheet, merged=span.merged, limit=limits.merged))
