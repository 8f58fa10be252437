"""Hostile workbooks (issue 8 §4b): what a file claims is checked on the compressed file before the reader
allocates it, each refusal in Chinese naming the sheet and the setting, and nothing is written."""

import pytest

from halfbuilt.ledger.intake.reader import ReadError, read_workbook
from tests.hostile_files import cell, xlsx


def workbook(tmp_path, rows: str, tail: str = "") -> str:
    """A minimal .xlsx whose one sheet holds `rows` (the XML of its <row> elements)."""
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(xlsx(rows, tail=tail))
    return str(path)


def test_a_sane_sheet_is_read(tmp_path, db):
    sheets = read_workbook(workbook(tmp_path, f'<row r="1">{cell("A1", "项目名称")}{cell("B1", "所在地区")}</row>'))
    assert sheets[0].name == "停建项目" and list(sheets[0].rows[0]) == ["项目名称", "所在地区"]


def test_a_tiny_file_reaching_the_last_cell_is_refused_before_it_is_read(tmp_path, db):
    """1.6 KB whose cells reach XFD1048576: the reader would allocate 17 billion cells."""
    path = workbook(tmp_path, f'<row r="1">{cell("A1", "项目名称")}</row>'
                              f'<row r="1048576">{cell("XFD1048576", "x")}</row>')
    assert (tmp_path / "hostile.xlsx").stat().st_size < 2000
    with pytest.raises(ReadError, match=r"工作表 停建项目 使用了 \d+ 行，"
                                        r"超过上限 200000 行（设置 HALFBUILT_IMPORT_MAX_ROWS）"):
        read_workbook(path)


def test_a_cell_far_beyond_its_row_tag_is_caught_by_its_own_reference(tmp_path, db):
    path = workbook(tmp_path, f'<row r="1">{cell("A1", "项目名称")}{cell("B900000", "x")}</row>')
    with pytest.raises(ReadError, match="超过上限 200000 行"):
        read_workbook(path)


def test_too_many_columns_are_refused(tmp_path, db):
    path = workbook(tmp_path, f'<row r="1">{cell("A1", "项目名称")}{cell("XFD1", "x")}</row>')
    with pytest.raises(ReadError, match=r"使用了 16384 列，超过上限 256 列（设置 HALFBUILT_IMPORT_MAX_COLUMNS）"):
        read_workbook(path)


def test_a_range_too_large_in_area_is_refused(tmp_path, db, settings):
    settings.IMPORT_MAX_CELLS = 1000
    path = workbook(tmp_path, f'<row r="1">{cell("A1", "项目名称")}{cell("AB1", "x")}</row>'
                              f'<row r="100">{cell("A100", "y")}</row>')
    with pytest.raises(ReadError, match=r"使用区域有 2800 个单元格，超过上限 1000 个"):
        read_workbook(path)


def test_a_zip_bomb_is_refused_while_it_is_inflated(tmp_path, db, settings):
    """A cell of 3 MB of one letter compresses to a few KB; the limit is met while inflating, never all kept."""
    settings.IMPORT_MAX_INFLATED_MB = 2
    path = workbook(tmp_path, f'<row r="1">{cell("A1", "项" * 1_000_000)}</row>')
    assert (tmp_path / "hostile.xlsx").stat().st_size < 50_000
    with pytest.raises(ReadError, match=r"文件解压后超过 2 MB（设置 HALFBUILT_IMPORT_MAX_INFLATED_MB）"):
        read_workbook(path)


def test_too_many_merged_ranges_are_refused(tmp_path, db, settings):
    settings.IMPORT_MAX_MERGED = 100
    merges = "".join(f'<mergeCell ref="A{r}:B{r}"/>' for r in range(2, 200, 1))
    path = workbook(tmp_path, f'<row r="1">{cell("A1", "项目名称")}</row>',
                    tail=f'<mergeCells count="198">{merges}</mergeCells>')
    with pytest.raises(ReadError, match=r"有 198 个合并区域，超过上限 100 个（设置 HALFBUILT_IMPORT_MAX_MERGED）"):
        read_workbook(path)


def test_a_broken_deflate_stream_is_an_unreadable_file(tmp_path, db):
    """Found by tests/test_import_hostile_properties.py: zlib's own error escaped the reader as a traceback."""
    import io
    import zipfile

    data = bytearray(xlsx(f'<row r="1">{cell("A1", "项目名称")}</row>'))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    data[info.header_offset + 30 + len(info.filename.encode())] = 0  # a "stored" block with a bad length
    path = tmp_path / "broken.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(ReadError, match="无法读取该 Excel 文件"):
        read_workbook(path)
