"""Hostile import files for the importer's tests: hypothesis strategies that build .xlsx, .xls and .csv files the
way an attacker (or a broken export) would. Each strategy gives a `Hostile`: the file's bytes, its extension, what
it is, and the exit codes of `halfbuilt ledger import` it may end in (README: 0 imported, 1 the file has errors
and nothing was written, 2 a file that cannot be read at all).

The .xlsx files are written as raw XML parts, not through a library, so that they can claim what no library
would write: cells at XFD1048576, a dimension of the whole sheet, a cell inflating to 100 MB, 30,000 merged
ranges, formulas in every cell.
"""

import io
import zipfile
from dataclasses import dataclass

from hypothesis import strategies as st

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook '
            'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="停建项目" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships '
                 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                 'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                 'Target="worksheets/sheet1.xml"/></Relationships>')
SHEET_NAME = "停建项目"
HEADER = ["项目名称", "所在地区", "项目类别", "类型", "总投资（万元）", "已完成投资（万元）"]
MAX_ROW, MAX_COLUMN = 1_048_576, 16_384  # Excel's last cell, XFD1048576
INFLATED_LIMIT_MB = 16  # IMPORT_MAX_INFLATED_MB while these files are imported (the tests set it)
MERGED_LIMIT = 20_000  # the shipped IMPORT_MAX_MERGED
ROWS_LIMIT, COLUMNS_LIMIT = 200_000, 256  # the shipped IMPORT_MAX_ROWS and IMPORT_MAX_COLUMNS
FORMULAS = ["SUM(A1:XFD1048576)", 'HYPERLINK("http://example.invalid","点击")', 'INDIRECT("A"&ROW())', "1/0",
            'CONCATENATE("项目",ROW())', "NOW()", 'WEBSERVICE("http://example.invalid")', "A1"]
INJECTIONS = ["=1+1", "+cmd|'/C calc'!A0", "-2+3", "@SUM(1)", "\t=HYPERLINK(\"x\")", "=A1"]


@dataclass(frozen=True)
class Hostile:
    kind: str
    ext: str
    data: bytes
    exits: frozenset[int]  # what `ledger import` may answer for it

    def __repr__(self) -> str:  # hypothesis prints the falsifying example: its size, not its bytes
        return f"Hostile({self.kind!r}, {self.ext!r}, {len(self.data)} bytes, exits={sorted(self.exits)})"


REFUSED = frozenset({2})
HAS_ERRORS = frozenset({1})
ANY = frozenset({0, 1, 2})


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row() -> str:
    return '<row r="1">' + "".join(cell(f"{column_letters(i + 1)}1", h) for i, h in enumerate(HEADER)) + "</row>"


def xlsx(rows: str, *, head: str = "", tail: str = "", extra: dict[str, bytes] | None = None,
         level: int = 6) -> bytes:
    """A minimal workbook of one sheet, 停建项目, holding `rows` (the XML of its <row> elements)."""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet '
             f'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{head}<sheetData>{rows}</sheetData>'
             f'{tail}</worksheet>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, text in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS),
                           ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                           ("xl/worksheets/sheet1.xml", sheet)):
            z.writestr(name, text)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


def ledger_text(rows: int) -> str:
    lines = [",".join(HEADER)] + [f"东河区第{i}小学,东河区,教育,停建,{100 + i},50" for i in range(rows)]
    return "\r\n".join(lines) + "\r\n"


# -- .xlsx ----------------------------------------------------------------------------------------------------

@st.composite
def far_cells(draw) -> Hostile:
    """A header and one cell far out: up to row 1,048,576 or column 16,384 (the reader would allocate the range)."""
    far_row = draw(st.booleans())
    row = draw(st.integers(ROWS_LIMIT + 1, MAX_ROW)) if far_row else draw(st.integers(2, 50))
    column = draw(st.integers(1, MAX_COLUMN)) if far_row else draw(st.integers(COLUMNS_LIMIT + 1, MAX_COLUMN))
    ref = f"{column_letters(column)}{row}"
    return Hostile(f"cell at {ref}", ".xlsx", xlsx(header_row() + f'<row r="{row}">{cell(ref, "x")}</row>'), REFUSED)


@st.composite
def declared_dimensions(draw) -> Hostile:
    """A <dimension> claiming up to the whole sheet, over a few real cells: the claim alone allocates nothing."""
    ref = f"{column_letters(draw(st.integers(1, MAX_COLUMN)))}{draw(st.integers(1, MAX_ROW))}"
    rows = header_row() if draw(st.booleans()) else ""
    return Hostile(f"dimension A1:{ref}", ".xlsx", xlsx(rows, head=f'<dimension ref="A1:{ref}"/>'), HAS_ERRORS)


@st.composite
def zip_bombs(draw) -> Hostile:
    """A part inflating past the limit: one huge cell in the sheet, a huge shared string, or a junk part."""
    size = draw(st.integers(INFLATED_LIMIT_MB + 1, 6 * INFLATED_LIMIT_MB)) << 20
    letter = draw(st.sampled_from(["a", "0", "项", " "]))
    where = draw(st.sampled_from(["cell", "shared", "junk"]))
    text = letter * (size // len(letter.encode()))
    if where == "cell":
        data = xlsx(header_row() + f'<row r="2">{cell("A2", text)}</row>', level=1)
    elif where == "shared":
        shared = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                  f'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{text}</t></si></sst>')
        data = xlsx(header_row() + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>',
                    extra={"xl/sharedStrings.xml": shared.encode()}, level=1)
    else:
        data = xlsx(header_row(), extra={"xl/media/image1.png": text.encode()}, level=1)
    return Hostile(f"{size >> 20} MB {where}", ".xlsx", data, REFUSED)


@st.composite
def merged_floods(draw) -> Hostile:
    """Merged ranges beyond the limit, or many under it over a wide blank header (the header search's worst)."""
    over = draw(st.booleans())
    count = draw(st.integers(MERGED_LIMIT + 1, MERGED_LIMIT + 10_000)) if over else draw(st.integers(1000, 5000))
    width = draw(st.integers(2, COLUMNS_LIMIT))
    merges = "".join(f'<mergeCell ref="{column_letters(1 + i % width)}{2 + i}:{column_letters(1 + i % width)}'
                     f'{3 + i}"/>' for i in range(count))
    rows = f'<row r="1">{cell("A1", "项目名称")}{cell(column_letters(width) + "1", "x")}</row>'
    data = xlsx(rows, tail=f'<mergeCells count="{count}">{merges}</mergeCells>')
    return Hostile(f"{count} merged ranges over {width} columns", ".xlsx", data, REFUSED if over else HAS_ERRORS)


@st.composite
def formulas_everywhere(draw) -> Hostile:
    """Every cell a formula, the header's too; some with a cached value (what the reader takes), some without."""
    rows_n, cols = draw(st.integers(1, 40)), draw(st.integers(1, 30))
    cached = draw(st.sampled_from(["none", "header", "random"]))
    rows = []
    for r in range(1, rows_n + 1):
        cells = []
        for c in range(1, cols + 1):
            formula = draw(st.sampled_from(FORMULAS))
            if cached == "header" and r == 1 and c <= len(HEADER):
                value = f'<v>{HEADER[c - 1]}</v>'
            elif cached == "random":
                value = f"<v>{draw(st.sampled_from(['#DIV/0!', '0', '项目', '东河区', '教育', '=1+1']))}</v>"
            else:
                value = ""
            cells.append(f'<c r="{column_letters(c)}{r}" t="str"><f>{formula.replace("&", "&amp;")}</f>{value}</c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    return Hostile(f"formulas {rows_n}×{cols}, cached {cached}", ".xlsx", xlsx("".join(rows)), ANY)


@st.composite
def broken_zips(draw) -> Hostile:
    """A sane workbook cut short, or with bytes overwritten (its CRCs, its deflate streams, its directory)."""
    data = bytearray(xlsx(header_row() + "".join(
        f'<row r="{r}">{cell(f"A{r}", f"东河区第{r}小学")}{cell(f"B{r}", "东河区")}</row>' for r in range(2, 30))))
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(data) - 1))
        return Hostile(f"xlsx cut at {cut} of {len(data)}", ".xlsx", bytes(data[:cut]), REFUSED)
    for _ in range(draw(st.integers(1, 8))):
        data[draw(st.integers(4, len(data) - 1))] = draw(st.integers(0, 255))
    return Hostile("xlsx with bytes overwritten", ".xlsx", bytes(data), ANY)


# -- .csv, .xls, any ------------------------------------------------------------------------------------------

@st.composite
def bad_encodings(draw) -> Hostile:
    """A ledger in GBK (read), UTF-16 with or without BOM, halves in two encodings, or with invalid bytes."""
    text = ledger_text(draw(st.integers(1, 20)))
    how = draw(st.sampled_from(["gbk", "utf-16", "utf-16-le", "mixed", "invalid", "latin-1 header"]))
    if how in ("gbk", "utf-16", "utf-16-le"):
        data = text.encode(how)
    elif how == "mixed":
        half = len(text) // 2
        data = text[:half].encode("utf-8") + text[half:].encode("gbk")
    elif how == "latin-1 header":
        data = "Projéct,Régiön\r\n".encode("latin-1") + text.encode("utf-8")
    else:
        data = bytearray(text.encode("utf-8"))
        for _ in range(draw(st.integers(1, 10))):
            data.insert(draw(st.integers(0, len(data))), draw(st.sampled_from([0x80, 0xFF, 0xC3, 0xE4, 0xFE, 0x00])))
        data = bytes(data)
    return Hostile(f"csv {how}", ".csv", data, frozenset({0}) if how == "gbk" else ANY)


@st.composite
def csv_injections(draw) -> Hostile:
    """Formula-like text in every cell of a CSV, the header's too."""
    rows = [[draw(st.sampled_from(INJECTIONS)) for _ in range(draw(st.integers(1, 8)))]
            for _ in range(draw(st.integers(1, 20)))]
    text = "\r\n".join(",".join(f'"{v}"' for v in row) for row in rows)
    return Hostile("csv formulas", ".csv", text.encode(), HAS_ERRORS)


@st.composite
def empty_and_binary(draw) -> Hostile:
    ext = draw(st.sampled_from([".xlsx", ".xls", ".csv"]))
    prefix = draw(st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf"]))
    body = draw(st.binary(max_size=4096))
    data = prefix + body
    return Hostile(f"{'empty' if not data else 'binary'} {ext}", ext, data, REFUSED if not data else ANY)


def hostile_files() -> st.SearchStrategy[Hostile]:
    return st.one_of(far_cells(), declared_dimensions(), zip_bombs(), merged_floods(), formulas_everywhere(),
                     broken_zips(), bad_encodings(), csv_injections(), empty_and_binary())
