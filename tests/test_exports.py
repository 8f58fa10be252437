"""Ledger exports: .xlsx and .csv with Chinese headers that Excel/WPS open safely, .json with the dictionary keys."""

import csv
import io
import json
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from halfbuilt.ledger.dictionary import FIELDS, KEYS
from halfbuilt.ledger.exports import ExportError, export_response, format_for, write_export
from halfbuilt.ledger.models import Project

# The dictionary's columns, with the plan's method (处置方式) next to the disposal stage (处置阶段).
LABELS = [label for f in FIELDS for label in ([f.label, "处置方式"] if f.key == "stage" else [f.label])]
COL = {f.key: LABELS.index(f.label) for f in FIELDS}
DANGEROUS = ["=1+1", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3", "\tTAB", "\rCR"]


@pytest.fixture
def ledger(make_project):
    make_project(name="东河区第一中学教学楼", total_investment=Decimal("1260.5"),
                 completed_investment=Decimal("0.0001"), approval_date="2018-06", start_date="2019",
                 stop_date="2020-03-15", longitude=Decimal("109.8361"),
                 latitude=Decimal("40.6574"), phone="13812345678", responsible_person="张伟",
                 owner_unit="包头市东河区教育局")
    for name in DANGEROUS:
        make_project(name=name, total_investment=None, completed_investment=None)
    return Project.objects.order_by("id")


def by_name(rows: list[list], column: int = COL["name"]) -> dict:
    return {row[column]: row for row in rows}


def test_xlsx_has_chinese_headers_numbers_and_text(ledger, tmp_path):
    path = tmp_path / "台账.xlsx"
    assert write_export(ledger, path, "xlsx") == 7
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[0] == LABELS
    school = by_name(rows[1:])["东河区第一中学教学楼"]
    assert school[COL["region_code"]] == "150202 包头市东河区"
    assert school[COL["category_code"]] == "A03 教育"
    assert school[COL["department"]] == "内蒙古自治区教育厅"
    assert school[COL["kind"]] == "未完工停建" and school[COL["status"]] == "待核实"
    assert school[COL["total_investment"]] == 1260.5  # a number cell, summable in Excel
    assert school[COL["completed_investment"]] == 0.0001
    assert school[COL["longitude"]] == pytest.approx(109.8361)
    assert (school[COL["approval_date"]], school[COL["start_date"]], school[COL["stop_date"]]) == (
        "2018-06", "2019", "2020-03-15")
    assert school[COL["classified"]] == "否"
    # Personal information is masked in every export (core/pii.py); the project page shows it to who needs it.
    assert (school[COL["phone"]], school[COL["responsible_person"]]) == ("138****5678", "张*")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_spreadsheet_formulas_are_neutralised(ledger, tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    write_export(ledger, path)
    if fmt == "xlsx":
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    else:
        rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    names = [row[COL["name"]] for row in rows[1:]]
    for dangerous in DANGEROUS:
        assert "'" + dangerous in names
    assert "东河区第一中学教学楼" in names  # ordinary text is untouched


def test_csv_has_bom_chinese_headers_and_plain_numbers(ledger, tmp_path):
    path = tmp_path / "台账.csv"
    write_export(ledger, path, "csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == LABELS
    school = by_name(rows[1:])["东河区第一中学教学楼"]
    assert school[COL["total_investment"]] == "1260.5"
    assert school[COL["completed_investment"]] == "0.0001"
    assert school[COL["approval_date"]] == "2018-06" and school[COL["start_date"]] == "2019"
    assert school[COL["region_code"]] == "150202 包头市东河区"
    assert by_name(rows[1:])["'=1+1"][COL["total_investment"]] == ""


def test_json_uses_dictionary_keys_and_exact_values(ledger, tmp_path):
    path = tmp_path / "ledger.json"
    write_export(ledger, path, "json")
    records = json.loads(path.read_text(encoding="utf-8"))
    assert len(records) == 7
    assert all(list(record) == KEYS for record in records)
    school = next(r for r in records if r["name"] == "东河区第一中学教学楼")
    assert school["total_investment"] == 1260.5 and school["completed_investment"] == 0.0001
    assert (school["approval_date"], school["start_date"], school["stop_date"]) == ("2018-06", "2019", "2020-03-15")
    assert school["region_code"] == "150202" and school["category_code"] == "A03" and school["department"] == "JYT"
    assert school["kind"] == "stalled" and school["classified"] is False
    # JSON is data, not spreadsheet cells: names are kept exactly.
    assert {r["name"] for r in records} >= set(DANGEROUS)


def test_empty_json_is_an_empty_list(reference, tmp_path):
    path = tmp_path / "empty.json"
    assert write_export(Project.objects.none(), path, "json") == 0
    assert json.loads(path.read_text()) == []


@pytest.mark.parametrize("fmt,start", [
    ("xlsx", b"PK\x03\x04"),  # a zip
    ("csv", b"\xef\xbb\xbf\xe5"),  # the UTF-8 byte order mark, then the first header's first byte (台)
    ("json", b'[\n{"'),
])
def test_writes_into_an_open_binary_file(ledger, fmt, start):
    buffer = io.BytesIO()
    assert write_export(ledger, buffer, fmt) == 7
    assert buffer.getvalue()[:4] == start


def test_export_follows_the_given_scope(users, projects, tmp_path):
    path = tmp_path / "region.json"
    write_export(Project.objects.restrict(users["region"]), path)
    assert [r["name"] for r in json.loads(path.read_text())] == ["东河区第一中学教学楼"]


def test_related_names_come_without_a_query_per_row(ledger, tmp_path, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        write_export(ledger, tmp_path / "x.xlsx")


def test_download_response(ledger):
    response = export_response(ledger, "csv", "台账.csv")
    body = b"".join(response.streaming_content)
    response.close()
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"] and "%E5%8F%B0%E8%B4%A6.csv" in response[
        "Content-Disposition"]
    assert body.startswith(b"\xef\xbb\xbf") and "项目名称" in body.decode("utf-8-sig")


def test_format_comes_from_the_extension():
    assert format_for("a/b/台账.XLSX") == "xlsx"
    with pytest.raises(ExportError, match="不支持导出为“.txt”"):
        format_for("台账.txt")
    with pytest.raises(ExportError, match="不支持的导出格式"):
        write_export(Project.objects.none(), io.BytesIO(), "pdf")
