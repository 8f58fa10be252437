"""The sheets counties really send (tests/messy_files.py, LAYOUT_*): cells merged down over several projects,
section rows that give the kind, a unit line above the header, dates typed as numbers, subtotals named after
a county, and the other words counties use for the columns."""

from decimal import Decimal

import pytest

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.intake import layout
from halfbuilt.ledger.intake import normalize as nz
from halfbuilt.ledger.intake.apply import apply_plan
from halfbuilt.ledger.intake.headers import ALIASES, find_header, match_header
from halfbuilt.ledger.intake.plan import ImportContext, build_plan
from halfbuilt.ledger.intake.reader import Sheet, read_workbook
from halfbuilt.ledger.intake.stream import import_sheets
from halfbuilt.ledger.models import Project
from halfbuilt.ledger.rules import compact
from halfbuilt.regions.models import Region
from tests import messy_files


@pytest.fixture
def files(tmp_path):
    return messy_files.write_all(tmp_path / "files")


def context(user, region="150200"):
    return ImportContext.for_user(Actor(user, ip="10.0.0.7", via="import"), Region.objects.get(code=region))


def plan_of(path, user):
    ctx = context(user)
    return ctx, build_plan(read_workbook(path), ctx)


def issues(found):
    return [(i.sheet, i.row, i.column) for i in found]


def csv_plan(tmp_path, user, rows, name="l.csv"):
    return plan_of(messy_files.write_csv(tmp_path / name, rows=rows), user)[1]


# -- the whole sheet ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["layout_xlsx", "layout_xls", "layout_csv"])
def test_a_sheet_in_sections_with_merged_cells_imports_exactly(files, users, kind):
    ctx, plan = plan_of(files[kind], users["region"])
    assert plan.errors == []
    assert plan.rows == 4 and len(plan.creates) == 4  # section, subtotal, total and note rows are not projects
    apply_plan(plan, ctx, batch="layout")
    assert set(Project.objects.values_list("name", flat=True)) == set(messy_files.LAYOUT_EXPECTED)
    for name, expected in messy_files.LAYOUT_EXPECTED.items():
        project = Project.objects.get(name=name)
        for attr, value in expected.items():
            assert getattr(project, attr) == value, (name, attr)
    warnings = [(w.sheet, w.row, w.column) for w in plan.warnings]
    assert warnings == [(s, r, c) for s, r, c, _ in messy_files.LAYOUT_WARNINGS]
    assert messy_files.LAYOUT_WARNINGS[0][3] in plan.warnings[0].message
    assert plan.warnings[0].col == 0  # A4, where the heading is


def test_errors_under_sections_all_at_once_and_nothing_written(files, users):
    for kind in ("layout_errors", "layout_errors_xls"):
        ctx, plan = plan_of(files[kind], users["region"])
        assert issues(plan.errors) == [(s, r, c) for s, r, c, _ in messy_files.LAYOUT_ERROR_CELLS], kind
        for error, (*_, words) in zip(plan.errors, messy_files.LAYOUT_ERROR_CELLS, strict=True):
            assert words in error.message, (error, words)
        assert issues(plan.warnings) == [(s, r, c) for s, r, c, _ in messy_files.LAYOUT_ERROR_WARNINGS]
        assert messy_files.LAYOUT_ERROR_WARNINGS[0][3] in plan.warnings[0].message
        # 丙小学 alone is valid: no kind of its own, its section's; "2018.10" typed as text is October
        assert [c.values["name"] for c in plan.creates] == ["丙小学"]
        assert plan.creates[0].values["kind"] == "stalled" and plan.creates[0].values["stop_date"] == "2018-10"
        assert plan.rows == 6
        with pytest.raises(ServiceError):
            apply_plan(plan, ctx, batch="b")
        streamed = import_sheets(read_workbook(files[kind]), ctx, batch="s")
        assert streamed.summary() == plan.summary()
        assert not Project.objects.exists() and not ChangeLog.objects.exists()


# -- merged cells -------------------------------------------------------------------------------------------


def test_merged_header_cells_still_name_their_columns(files):
    header = find_header(read_workbook(files["layout_xlsx"])[0])
    assert header.first_row == 2 and header.data_start == 3 and header.sheet_unit == "亿元"
    assert header.columns["region"].label == "旗县区" and header.columns["funds_in_place"].unit == "万元"
    assert header.columns["total_investment"].unit is None  # the sheet's unit applies
    # and the two-row merged header of the first workbook is as before
    stalled = next(s for s in read_workbook(files["xlsx"]) if s.name == "未完工停建项目")
    assert find_header(stalled).columns["total_investment"].label == "投资情况（万元）/总投资"


def test_a_merged_value_fills_only_the_rows_it_covers_and_a_blank_row_stays_blank(tmp_path, users):
    rows = [
        ["所在地区", "项目名称", "项目类别", "类型"],
        ["东河区", "甲小学", "教育", "停建"],
        [None, "乙小学", None, "停建"],
        [None, None, None, None],  # covered by 东河区 and 教育, nothing of its own: not a project
        [None, "丙小学", "教育", "停建"],  # not covered: its region is missing
    ]
    path = messy_files.write_xlsx(tmp_path / "m.xlsx", [("表", rows, [(1, 0, 3, 0), (1, 2, 3, 2)])])
    _, plan = plan_of(path, users["region"])
    assert issues(plan.errors) == [("表", 5, "所在地区")] and plan.rows == 3
    second = plan.creates[1].values
    assert (second["name"], second["region_id"], second["category_id"]) == ("乙小学", "150202", "A03")


def test_merged_fill_map_and_rows_as_read():
    merged = [(0, 0, 0, 5), (2, 1, 3, 1), (1, 0, 4, 0), (4, 2, 6, 3)]
    fills = layout.merged_fills(merged, data_start=2)
    assert fills == {3: [(1, 2)], 5: [(2, 4)], 6: [(2, 4)]}  # header ranges (rows 0–1) left to the header
    rows = [["h"], ["h"], ["", "东河区"], ["", ""], ["", "", "教育"], ["x"], ["y", "", ""]]
    assert layout.filled(rows[5], fills[5], rows) == ["x", "", "教育"]
    assert layout.filled(rows[3], fills[3], rows) == ["", "东河区"]
    assert rows[3] == ["", ""]  # the sheet's own rows are not changed


# -- section rows -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "kind", "count"), [
    (["一、未完工停建项目（6个）", "", ""], "stalled", 6),
    (["", "二、已竣工未投用项目"], "idle", None),
    (["（一）未完工停建"], "stalled", None),
    (["已竣工未投入使用项目", None, 100.5, "2,000"], "idle", None),  # with its totals
    (["一", "未完工停建项目", "6个"], "stalled", 6),  # numbering and count in cells of their own
    (["第二部分 已竣工未投用项目（共3项）"], "idle", 3),
    (["1、停建项目："], "stalled", None),
    ([2, "(2)闲置"], "idle", None),
    (["停建", None, None], "stalled", None),  # a bare kind, as a whole phrase in a row of its own
])
def test_section_headings(raw, kind, count):
    section = layout.section_of(raw, 7)
    assert (section.kind, section.count, section.row) == (kind, count, 7)


@pytest.mark.parametrize("raw", [
    ["东河区停建项目"],  # a name, not a heading
    ["一、教育类项目"],  # no kind
    ["东河区", "停建"],
    ["一、未完工停建项目", "东河区", "教育"],
    ["未完工停建和已竣工未投用项目"],
    ["合计"],
])
def test_rows_that_are_not_section_headings(raw):
    assert layout.section_of(raw, 1) is None


def test_sections_give_the_kind_to_rows_without_one_and_a_kind_column_may_agree(tmp_path, users):
    plan = csv_plan(tmp_path, users["region"], [
        ["项目名称", "所在地区", "项目类别", "类型"],
        ["一、已竣工未投用项目"],
        ["甲", "东河区", "教育", ""],
        ["乙", "东河区", "教育", "闲置"],
        ["二、未完工停建项目（1个）"],
        ["丙", "东河区", "教育", ""],
    ])
    assert plan.errors == [] and plan.warnings == []
    assert [(c.values["name"], c.values["kind"]) for c in plan.creates] == [("甲", "idle"), ("乙", "idle"),
                                                                           ("丙", "stalled")]


def test_a_section_is_nearer_than_the_sheet_name(tmp_path, users):
    rows = [["项目名称", "所在地区", "项目类别"], ["甲", "东河区", "教育"], ["二、已竣工未投用项目"],
            ["乙", "东河区", "教育"]]
    path = messy_files.write_xlsx(tmp_path / "s.xlsx", [("未完工停建项目", rows, [])])
    _, plan = plan_of(path, users["region"])
    assert [(c.values["name"], c.values["kind"]) for c in plan.creates] == [("甲", "stalled"), ("乙", "idle")]


def test_without_kind_column_title_or_opening_section_the_kind_is_missing(tmp_path, users):
    plan = csv_plan(tmp_path, users["region"], [
        ["项目名称", "所在地区", "项目类别"], ["甲", "东河区", "教育"], ["一、未完工停建项目"],
        ["乙", "东河区", "教育"],
    ])
    assert issues(plan.errors) == [("l", 1, "类型")] and "分组行" in plan.errors[0].message


# -- units, dates, subtotals, column names ------------------------------------------------------------------


@pytest.mark.parametrize(("line", "expected"), [
    ("金额单位：亿元", Decimal("10000")),
    ("单位：元", Decimal("0.0001")),
    ("（单位：万元）", Decimal("1")),
    ("单位：人民币亿元", Decimal("10000")),
    ("填报单位：元宝山区人民政府", Decimal("1")),  # 元宝山区 is a district, not the unit 元
])
def test_a_unit_line_above_the_header(tmp_path, users, line, expected):
    plan = csv_plan(tmp_path, users["region"], [
        [line], ["项目名称", "所在地区", "项目类别", "类型", "总投资", "到位资金（万元）"],
        ["甲", "东河区", "教育", "停建", "1", "1"],
    ])
    values = plan.creates[0].values
    assert values["total_investment"] == expected
    assert values["funds_in_place"] == Decimal("1")  # the header's own unit wins


def test_amounts_convert_exactly_without_float():
    """Numbers as calamine gives them (floats) are taken by their shortest decimal form, then scaled as Decimals."""
    assert [nz.to_money(v, "亿元") for v in (0.12, 1.2345678, "0.3")] == [
        Decimal("1200"), Decimal("12345.678"), Decimal("3000")]
    assert nz.to_money(123456789, "元") == Decimal("12345.6789")
    assert nz.to_money("1.5亿元", "元") == Decimal("15000")  # a unit typed in the cell wins


@pytest.mark.parametrize(("value", "expected"), [
    (2018.06, "2018-06"),  # a number typed 2018.06: month precision, no day invented
    ("2018.10", "2018-10"),  # text: October
    ("2018.01", "2018-01"),
    (2018.6, "2018-06"),
    (2018.12, "2018-12"),
    (201806, "2018-06"),
    (201806.0, "2018-06"),
    (20180615, "2018-06-15"),
    ("201806", "2018-06"),
    (2018.0, "2018"),
    ("2018.1.5", "2018-01-05"),
])
def test_dates_typed_as_numbers(value, expected):
    assert nz.to_date(value) == expected


@pytest.mark.parametrize("value", [2018.1, 2018.10, "2018.1"])
def test_january_or_october_is_an_error_never_a_guess(value):
    with pytest.raises(ValueError, match="可能是1月也可能是10月.*请写作“2018年1月”或“2018年10月”"):
        nz.to_date(value)


@pytest.mark.parametrize("label", ["东胜区小计", "小计：东胜区", "合计", "合 计", "教育类合计（3个）", "东胜区（小计）",
                                   "总计："])
def test_subtotal_labels(label):
    assert layout.is_total(compact(label))


@pytest.mark.parametrize("label", ["会计学院教学楼", "统计局业务用房", "东河区第二中学", "设计院"])
def test_project_names_are_not_subtotals(label):
    assert not layout.is_total(compact(label))


def test_subtotal_rows_create_nothing(tmp_path, users):
    plan = csv_plan(tmp_path, users["region"], [
        ["序号", "所在地区", "项目名称", "项目类别", "类型", "总投资"],
        ["1", "东河区", "甲", "教育", "停建", "10"],
        ["", "", "东河区小计", "", "", "10"],
        ["", "东河区", "小计", "", "", "10"],
        ["", "小计：东河区", "", "", "", "10"],
        ["东河区合计（1个）", "", "", "", "", "10"],
    ])
    assert plan.errors == [] and plan.rows == 1 and [c.values["name"] for c in plan.creates] == ["甲"]


@pytest.mark.parametrize(("header", "key"), [
    ("项目名称", "name"), ("工程名称", "name"), ("项目（工程）名称", "name"), ("工程项目名称", "name"),
    ("建设地点", "address"), ("项目地址", "address"),
    ("总投资", "total_investment"), ("计划总投资", "total_investment"), ("项目总投资", "total_investment"),
    ("已完成投资", "completed_investment"), ("累计完成投资", "completed_investment"),
    ("完成投资", "completed_investment"), ("累计已完成投资", "completed_investment"),
    ("停工时间", "stop_date"), ("停建时间", "stop_date"), ("竣工时间", "completion_date"),
    ("完工时间", "completion_date"), ("责任单位", "responsible_unit"), ("责任主体", "responsible_unit"),
    ("联系电话", "phone"), ("电话", "phone"), ("手机", "phone"), ("手机号码", "phone"),
])
def test_the_words_counties_use_for_columns(header, key):
    assert match_header(header)[0] == key


def test_each_column_word_is_declared_once():
    words = [compact(w) for names in ALIASES.values() for w in names]  # the labels included
    assert len(words) == len(set(words))


def test_a_sheet_in_sections_as_a_sheet_object(users):
    """Sheets built in memory (as the reader gives them) take the same path."""
    rows = [["项目名称", "所在地区", "项目类别"], ["一、未完工停建项目（1个）"], ["甲", "东河区", "教育"]]
    plan = build_plan([Sheet("表", rows)], context(users["region"]))
    assert plan.errors == [] and plan.warnings == [] and plan.creates[0].values["kind"] == "stalled"
