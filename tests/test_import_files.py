"""The importer on messy county files (tests/messy_files.py): every trait of issue §4 lands as the value a
reader of the original spreadsheet would expect, in .xlsx, .xls and .csv (UTF-8 and GB18030)."""

from decimal import Decimal

import pytest

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.intake.apply import apply_plan
from halfbuilt.ledger.intake.plan import ImportContext, build_plan
from halfbuilt.ledger.intake.reader import read_workbook
from halfbuilt.ledger.models import Project
from halfbuilt.regions.models import Region
from tests import messy_files


@pytest.fixture
def files(tmp_path):
    return messy_files.write_all(tmp_path / "files")


def run(path, user, region="150200", write=True):
    ctx = ImportContext.for_user(Actor(user, ip="10.0.0.8", via="import"), Region.objects.get(code=region))
    plan = build_plan(read_workbook(path), ctx)
    if write and plan.ok:
        apply_plan(plan, ctx, batch="test-batch")
    return plan


def stored(name):
    return Project.objects.get(name=name)


@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_every_trait_of_a_messy_workbook(files, users, kind):
    plan = run(files[kind], users["region"])
    assert plan.errors == []
    # 5 on the two-row-header sheet (小计/合计/填表人/备注/blank skipped), 2 on the titled sheet, 5 with a kind column
    assert plan.summary()["rows"] == 12 and len(plan.creates) == 12
    assert Project.objects.count() == 12
    for name, expected in messy_files.EXPECTED.items():
        project = stored(name)
        for attr, value in expected.items():
            assert getattr(project, attr) == value, (name, attr)


@pytest.mark.parametrize("kind", ["csv_utf8", "csv_gb18030"])
def test_csv_in_utf8_and_gb18030(files, users, kind):
    plan = run(files[kind], users["region"])
    assert plan.errors == [] and plan.rows == 2
    for name, expected in messy_files.CSV_EXPECTED.items():
        project = stored(name)
        for attr, value in expected.items():
            assert getattr(project, attr) == value, (name, attr)


def test_instruction_sheet_ignored_and_kind_from_sheet_name_title_and_column(files, users):
    plan = run(files["xlsx"], users["region"])
    assert plan.sheets == ["未完工停建项目", "Sheet3", "其他项目"]
    assert stored("东河区第二中学教学楼").kind == "stalled"  # sheet name 未完工停建项目
    assert stored("九原区文化馆").kind == "idle"  # title line 已竣工未投用项目台账
    # 停建, 未完工停建
    assert {stored(n).kind for n in ("达尔罕茂明安联合旗污水管网", "稀土高新区标准化厂房")} == {"stalled"}
    assert {stored(n).kind for n in ("白云鄂博矿区体育场", "土默特右旗灌区节水改造", "东河区养老服务中心")} == {"idle"}


def test_totals_notes_and_blank_rows_are_skipped(files, users):
    run(files["xlsx"], users["region"])
    names = set(Project.objects.values_list("name", flat=True))
    assert not any(n.startswith(("小计", "合", "填表人", "备注")) for n in names)
    assert len(names) == 12


def test_amounts_by_unit_in_header_and_cell(files, users):
    run(files["xlsx"], users["region"])
    culture = stored("九原区文化馆")  # header 总投资（亿元） 1.2 and 已完成投资(元) 80,000,000
    assert culture.total_investment == Decimal("12000") and culture.completed_investment == Decimal("8000")
    housing = stored("固阳县公租房小区")  # "0.35亿元" typed in the cell; "35,000,000" in a 元 column
    assert housing.total_investment == Decimal("3500") and housing.completed_investment == Decimal("3500")
    assert stored("昆都仑区 敬老院 二期").total_investment == Decimal("1260")  # "1260万元"
    assert stored("东河区第二中学教学楼").completed_investment == Decimal("1000.5")  # "1,000.5"
    assert stored("青山区消防站业务技术用房").total_investment == Decimal("800")  # full-width "８００"


def test_two_row_merged_header_names_its_columns_as_written(files, users):
    from halfbuilt.ledger.intake.headers import find_header

    sheet = next(s for s in read_workbook(files["xlsx"]) if s.name == "未完工停建项目")
    header = find_header(sheet)
    assert header.first_row == 3 and header.data_start == 5
    assert header.columns["total_investment"].label == "投资情况（万元）/总投资"
    assert header.columns["completed_investment"].unit == "万元"
    assert header.sheet_unit == "万元"


def test_dates_keep_the_precision_given(files, users):
    run(files["xlsx"], users["region"])
    assert stored("东河区第二中学教学楼").start_date == "2018-03-15"  # an Excel date
    assert stored("东河区第二中学教学楼").stop_date == "2019-06"  # "2019年6月"
    assert stored("昆都仑区 敬老院 二期").start_date == "2018-06"  # "2018.06"
    assert stored("昆都仑区 敬老院 二期").stop_date == "2018"  # "2018年"
    assert stored("青山区消防站业务技术用房").stop_date == "2018-06"  # 2018.06 stored by Excel as a number
    assert stored("石拐区 卫生院").stop_date == "2018-03-15"  # "2018-03-15"


def test_region_forms(files, users):
    run(files["xlsx"], users["region"])
    assert stored("东河区第二中学教学楼").region_id == "150202"  # 包头市东河区
    assert stored("昆都仑区 敬老院 二期").region_id == "150203"  # bare 昆都仑区
    assert stored("包头市全民健身中心").region_id == "150200"  # 市本级
    assert stored("包头市全民健身中心").prefecture_id == "150200"
    assert stored("东河区养老服务中心").region_id == "150202"  # the code 150202
    assert stored("稀土高新区标准化厂房").region_id == "150271"  # a 功能区


def test_category_forms_and_departments(files, users):
    run(files["xlsx"], users["region"])
    assert stored("东河区第二中学教学楼").category_id == "A03"  # name 教育
    assert stored("昆都仑区 敬老院 二期").category_id == "A06"  # example item 敬老院
    assert stored("包头市全民健身中心").category_id == "A08"  # code A08
    assert stored("白云鄂博矿区体育场").category_id == "A08"  # example item 体育场
    assert stored("包头市全民健身中心").department_id == "TYJ"  # from the 行业主管部门 column
    assert stored("白云鄂博矿区体育场").department_id == "WLT"  # the category's default
    assert stored("青山区消防站业务技术用房").department_id is None  # A02 has no single default: 待指定
    assert stored("东河区养老服务中心").department_id is None  # written 待指定


def test_whitespace_is_cleaned(files, users):
    run(files["xlsx"], users["region"])
    assert Project.objects.filter(name="昆都仑区 敬老院 二期").exists()  # full-width spaces and a line break
    assert stored("石拐区 卫生院").department_id == "WJW"  # " 内蒙古自治区卫生健康委员会 "


def test_new_projects_are_candidates_with_ledger_numbers_and_change_log(files, users):
    run(files["xlsx"], users["region"])
    project = stored("东河区第二中学教学楼")
    assert project.status == "candidate" and project.version == 1
    assert project.ledger_no.startswith("150202-")
    assert len(set(Project.objects.values_list("ledger_no", flat=True))) == 12
    log = ChangeLog.objects.get(project_id=project.pk)
    assert log.action == "import_create" and log.batch == "test-batch" and log.username == users["region"].username
    assert log.ip == "10.0.0.8" and log.via == "import" and log.user_id == users["region"].pk
    assert log.after["name"] == "东河区第二中学教学楼" and log.after["region_code"] == "150202"
    assert Decimal(log.after["total_investment"]) == Decimal("1260.5") and log.after["status"] == "candidate"


def test_uscc_check_digit_only_warns(files, users):
    plan = run(files["xlsx"], users["region"])
    assert any("校验位" in w.message and w.sheet == "Sheet3" and w.row == 4 for w in plan.warnings)
    assert stored("九原区文化馆").owner_uscc == "91150207MA0N000000"


def test_responsible_unit_becomes_an_organization(tmp_path, users):
    path = messy_files.write_csv(tmp_path / "units.csv", rows=[
        ["项目名称", "所在地区", "项目类别", "类型", "责任单位"],
        ["东河区某小学", "东河区", "教育", "停建", "东河区教育局"],
        ["东河区某中学", "东河区", "教育", "停建", "东河区教育局"],
    ])
    run(path, users["region"])
    org_ids = set(Project.objects.values_list("responsible_org_id", flat=True))
    assert len(org_ids) == 1 and None not in org_ids
