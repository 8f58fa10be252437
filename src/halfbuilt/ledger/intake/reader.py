"""Reading what counties send: .xlsx and .xls through python-calamine, .csv in UTF-8 or GB18030/GBK.

Every sheet comes back as a sequence of rows starting at spreadsheet row 1, so index + 1 is the row number
the user sees in Excel or WPS.
"""

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, SheetVisibleEnum

from . import limits

EXTENSIONS = {".xlsx": "xlsx", ".xls": "xls", ".csv": "csv"}
UNREADABLE = gettext_lazy("无法读取该 Excel 文件，文件可能已损坏；请在 Excel 或 WPS 中另存为 .xlsx 后再上传")


class ReadError(ValueError):
    """The file cannot be read at all; the message is Chinese."""


def unsupported_type(ext: str) -> ReadError:
    return ReadError(_("不支持的文件类型“{ext}”，请上传 .xlsx、.xls 或 .csv 文件").format(ext=ext or _("无扩展名")))


class SheetRows(Sequence):
    """A sheet's rows as python-calamine's `to_python(skip_empty_area=False)` gives them, converted to Python
    values when first reached instead of all at once, so the checks (and the writes behind them, see
    stream.py) start after the first rows rather than after the 100,000th."""

    def __init__(self, sheet: CalamineSheet):
        self._rows: list[list] = []
        self._source = sheet.iter_rows()  # rows from the first; columns from the first used one
        self._pad = [""] * (sheet.start[1] if sheet.start else 0)
        self._length = sheet.end[0] + 1 if sheet.end else 0

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):
        if isinstance(index, slice):
            self._fill(len(self) if index.stop is None or index.stop < 0 else index.stop)
            return self._rows[index]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        self._fill(index + 1)
        return self._rows[index]

    def _fill(self, count: int) -> None:
        rows, pad = self._rows, self._pad
        try:
            for row in islice(self._source, max(0, min(count, len(self)) - len(rows))):
                rows.append(pad + row if pad else row)
        except (CalamineError, ValueError) as exc:
            raise ReadError(str(UNREADABLE)) from exc
        if len(rows) == len(self):
            self._source = iter(())  # let calamine's copy of the sheet go


@dataclass
class Sheet:
    name: str
    rows: Sequence[list]
    # (first row, first col, last row, last col), zero-based, of merged cells
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


def sniff(head: bytes) -> str | None:
    """The file type by content: 'xlsx', 'xls', 'csv', 'html' or None."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    lowered = head[:512].lstrip().lower()
    if lowered.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")):
        return "html"
    if b"\x00" in head:
        return None
    return "csv" if decode_text(head, partial=True) is not None else None


def decode_text(data: bytes, partial: bool = False) -> str | None:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK/GB2312)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            # A sniffed head may end in the middle of a multi-byte character.
            if partial and exc.start >= len(data) - 4:
                return data[: exc.start].decode(encoding, errors="ignore")
    return None


def check_file(path: Path, ext: str | None = None) -> str:
    """The file's kind, or ReadError with the reason in Chinese; the extension and content must agree."""
    path = Path(path)
    ext = (ext or path.suffix).lower()
    if ext not in EXTENSIONS:
        raise unsupported_type(ext)
    with path.open("rb") as f:
        head = f.read(4096)
    if not head:
        raise ReadError(_("文件是空的"))
    kind = sniff(head)
    if kind == "html":
        raise ReadError(_("该文件实际是网页格式而非 Excel 表格，请在 Excel 或 WPS 中“另存为” .xlsx 后再上传"))
    expected = EXTENSIONS[ext]
    if kind is None or (expected == "csv") != (kind == "csv"):
        message = _("文件内容与扩展名 {ext} 不符，请确认文件未损坏，或在 Excel 中另存为 .xlsx 后再上传")
        raise ReadError(message.format(ext=ext))
    return kind  # an .xls that is really .xlsx (or the reverse) is read by its content


def read_workbook(path: Path | str, ext: str | None = None, name: str | None = None) -> list[Sheet]:
    """`name` is the file name the user uploaded: a CSV's one sheet is named after it, as Excel does."""
    path = Path(path)
    kind = check_file(path, ext)
    if kind == "csv":
        return [_read_csv(path, Path(name).stem if name else path.stem)]
    try:
        if kind == "xlsx":
            limits.check_xlsx(path)  # before the reader allocates what the file claims
        with path.open("rb") as f:
            workbook = CalamineWorkbook.from_filelike(f)
        sheets = []
        for meta in workbook.sheets_metadata:
            if meta.visible != SheetVisibleEnum.Visible:
                continue  # hidden list sheets of templates, scratch sheets
            sheet = workbook.get_sheet_by_name(meta.name)
            merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
            sheets.append(Sheet(meta.name, SheetRows(sheet), merged))
        return sheets
    except limits.TooBig as exc:
        raise ReadError(str(exc)) from None
    except (CalamineError, zipfile.BadZipFile, zlib.error, OSError, ValueError) as exc:  # zlib: a broken part
        if "password" in str(exc).lower() or type(exc).__name__ == "PasswordError":
            raise ReadError(_("文件设置了打开密码，请取消密码后再上传")) from exc
        raise ReadError(str(UNREADABLE)) from exc


def _read_csv(path: Path, sheet_name: str) -> Sheet:
    text = decode_text(path.read_bytes())
    if text is None:
        raise ReadError(_("无法识别 CSV 文件的编码，请保存为 UTF-8 或 GBK 编码"))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), dialect)]
    return Sheet(sheet_name, rows)


def estimate_rows(path: Path) -> int:
    """A cheap row count, to decide whether to import in the background without parsing the file."""
    kind = sniff(path.open("rb").read(4096))
    size = path.stat().st_size
    if kind == "csv":
        with path.open("rb") as f:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    if kind == "xlsx":
        try:
            with zipfile.ZipFile(path) as z:
                total = 0
                for info in z.infolist():
                    if info.filename.startswith("xl/worksheets/sheet"):
                        with z.open(info) as f:
                            total += _dimension_rows(f.read(2048)) or info.file_size // 300
                return total
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError):  # read_workbook says why
            return 0
    return size // 120  # .xls: roughly 120 bytes a row


def _dimension_rows(head: bytes) -> int | None:
    match = re.search(rb'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"', head)
    return int(match.group(1)) if match else None
