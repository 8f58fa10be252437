"""The data dictionary's parsers (ledger/rules.py) and the importer's cell converters."""

import datetime as dt
from decimal import Decimal

import pytest

from halfbuilt.ledger import rules
from halfbuilt.ledger.intake import normalize as nz
from halfbuilt.ledger.intake.headers import match_header


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (1260.5, "万元", Decimal("1260.5")),
    (1260, "万元", Decimal("1260")),
    ("1,260.5", "万元", Decimal("1260.5")),
    ("1，260.5", "万元", Decimal("1260.5")),
    ("1260万元", "万元", Decimal("1260")),
    ("1260万", "万元", Decimal("1260")),
    ("12600000元", "万元", Decimal("1260")),
    ("0.126亿元", "万元", Decimal("1260")),
    (12600000, "元", Decimal("1260")),
    (1.26, "亿元", Decimal("12600")),
    ("1260万元", "元", Decimal("1260")),  # a unit typed in the cell wins over the header's
    ("１２６０", "万元", Decimal("1260")),  # full-width digits
    (" 1260 \n", "万元", Decimal("1260")),
    (15000, "元", Decimal("1.5")),
    (1, "元", Decimal("0.0001")),  # one yuan is the smallest step
    (None, "万元", None),
    ("", "万元", None),
    ("-", "万元", None),
    ("无", "万元", None),
])
def test_parse_money(value, unit, expected):
    assert rules.parse_money(value, unit) == expected


@pytest.mark.parametrize("value", ["约1000", "1000美元", "1.2.3", "-5", True, "１０００ 万 元 多"])
def test_parse_money_refuses(value):
    with pytest.raises(ValueError) as exc:
        rules.parse_money(value)
    assert "金额" in str(exc.value)


def test_parse_money_too_big_suggests_unit():
    with pytest.raises(ValueError, match="单位"):
        rules.parse_money("99999999999999")


@pytest.mark.parametrize(("value", "expected"), [
    ("2018年6月", "2018-06"),
    ("2018年06月", "2018-06"),
    ("2018.06", "2018-06"),
    ("2018/6", "2018-06"),
    ("2018-03-15", "2018-03-15"),
    ("2018年3月15日", "2018-03-15"),
    ("2018.3.15", "2018-03-15"),
    ("20180315", "2018-03-15"),
    ("2018-03-15 00:00:00", "2018-03-15"),
    ("2018年", "2018"),
    ("2018", "2018"),
    (2018, "2018"),
    (dt.date(2018, 3, 15), "2018-03-15"),
    (dt.datetime(2018, 3, 15, 0, 0), "2018-03-15"),
    (43174, "2018-03-15"),  # an Excel serial number
    ("", ""),
    (None, ""),
    ("—", ""),
])
def test_parse_partial_date(value, expected):
    assert rules.parse_partial_date(value) == expected


@pytest.mark.parametrize("value", ["2018年13月", "2018-02-30", "1850年", "明年", "18.6", 12.5])
def test_parse_partial_date_refuses(value):
    with pytest.raises(ValueError):
        rules.parse_partial_date(value)


def test_excel_number_dates_keep_month_and_refuse_ambiguity():
    assert nz.to_date(2018.06) == "2018-06"
    assert nz.to_date(2018.12) == "2018-12"
    with pytest.raises(ValueError, match="1月也可能是10月"):
        nz.to_date(2018.1)


@pytest.mark.parametrize(("value", "expected"), [
    ("2018-150202-47-01-000123", "2018-150202-47-01-000123"),
    (" 2018－150202－47－01－00012X ", "2018-150202-47-01-00012X"),
    ("2018-150202-47-01-00012x", "2018-150202-47-01-00012X"),
    ("", ""),
])
def test_check_project_code(value, expected):
    assert rules.check_project_code(value, {"150202"}) == expected


@pytest.mark.parametrize("value", ["2018-150202-47-01", "18-150202-47-01-000123", "1980-150202-47-01-000123"])
def test_check_project_code_form(value):
    with pytest.raises(ValueError, match="项目代码"):
        rules.check_project_code(value, {"150202"})


def test_check_project_code_region_segment():
    with pytest.raises(ValueError, match="地区段"):
        rules.check_project_code("2018-999999-47-01-000123", {"150202"})


def test_uscc_check_digit_is_a_warning_not_an_error():
    assert rules.check_uscc("91350100M000100Y43") == ("91350100M000100Y43", None)
    code, warning = rules.check_uscc("91350100M000100Y44")
    assert code == "91350100M000100Y44" and "校验位" in warning
    with pytest.raises(ValueError, match="18位"):
        rules.check_uscc("9135010OM000100Y43")  # the letter O is not allowed
    assert rules.check_uscc("") == ("", None)


def test_clean_text_full_width_and_line_breaks():
    assert rules.clean_text("\u3000东河区\u3000敬老院\n二期 ") == "东河区 敬老院 二期"
    assert rules.clean_text("ＡＢＣ１２３") == "ABC123"
    assert rules.clean_text(13800000000.0) == "13800000000"
    assert rules.compact(" 总投资\n（万元） ") == "总投资(万元)"


@pytest.mark.parametrize(("value", "expected"), [
    ("未完工停建", "stalled"), ("停建", "stalled"), ("停工", "stalled"), ("未完工停建项目", "stalled"),
    ("已竣工未投用", "idle"), ("建成未投用", "idle"), ("完工未使用", "idle"), ("已完工未投用", "idle"),
    ("闲置", "idle"), (" 已竣工\n未投用 ", "idle"), ("", None),
])
def test_kind_words(value, expected):
    assert nz.to_kind(value) == expected


def test_kind_ambiguous_or_unknown_is_an_error():
    with pytest.raises(ValueError, match="同时"):
        nz.to_kind("停建/未投用")
    with pytest.raises(ValueError, match="无法识别"):
        nz.to_kind("正常运营")


def test_detect_kind_in_sheet_names_and_titles():
    assert nz.detect_kind("已竣工未投用项目") == "idle"
    assert nz.detect_kind("XX旗半拉子工程台账（未完工停建）") == "stalled"
    assert nz.detect_kind("Sheet1") is None
    assert nz.detect_kind("停建及未投用项目") is None


@pytest.mark.parametrize(("value", "expected"), [("是", True), ("√", True), ("否", False), ("", False), ("N", False)])
def test_bool(value, expected):
    assert nz.to_bool(value) is expected


def test_bool_unknown():
    with pytest.raises(ValueError, match="是"):
        nz.to_bool("也许")


@pytest.mark.parametrize(("value", "expected"), [("自治区", "region"), ("盟市级", "prefecture"), ("旗县", "county"),
                                                 ("县级", "county"), ("", "")])
def test_approval_level(value, expected):
    assert nz.to_approval_level(value) == expected


def test_coordinates():
    assert nz.to_coordinate("109.84°", -180, 180, "经度") == Decimal("109.840000")
    with pytest.raises(ValueError, match="范围"):
        nz.to_coordinate(200, -180, 180, "经度")
    with pytest.raises(ValueError, match="十进制"):
        nz.to_coordinate("东经109度", -180, 180, "经度")


def test_text_length():
    with pytest.raises(ValueError, match="项目名称不能超过 200 字（现有 201 字）"):
        nz.to_text("长" * 201, 200, "项目名称")


@pytest.mark.parametrize(("header", "expected"), [
    ("项目名称", ("name", None)),
    ("工程名称", ("name", None)),
    ("*项目名称", ("name", None)),
    ("所在旗县区", ("region", None)),
    ("旗市区", ("region", None)),
    ("所在区", ("region", None)),
    ("所在旗县（市、区）", ("region", None)),
    ("总投资（万元）", ("total_investment", "万元")),
    ("总投资(亿元)", ("total_investment", "亿元")),
    ("已完成投资\n（元）", ("completed_investment", "元")),
    ("总投资/万元", ("total_investment", "万元")),
    ("项目（建设）单位", ("owner_unit", None)),
    ("主管部门", ("department", None)),
    ("序号", ("_serial", None)),
    ("资金来源", None),
    ("", None),
])
def test_match_header(header, expected):
    assert match_header(header) == expected


@pytest.fixture
def lookups(reference):
    return nz.Lookups.load()


@pytest.mark.parametrize(("value", "expected"), [
    ("包头市东河区", "150202"), ("东河区", "150202"), ("东河", "150202"), ("150202", "150202"),
    ("150202 包头市东河区", "150202"), ("内蒙古自治区包头市东河区", "150202"), ("包头市", "150200"),
    ("包头市本级", "150200"), ("包头稀土高新技术产业开发区", "150271"), ("\u3000东河区\n", "150202"),
])
def test_region_forms(lookups, value, expected):
    assert lookups.region(value).code == expected


def test_region_shiben_ji_needs_a_league(lookups):
    from halfbuilt.regions.models import Region

    assert lookups.region("市本级", None, Region.objects.get(code="150200")).code == "150200"
    assert lookups.region("市本级", None, Region.objects.get(code="150202")).code == "150200"
    with pytest.raises(ValueError, match="须写明盟市"):
        lookups.region("市本级", None, Region.objects.get(code="150000"))
    assert lookups.region("东河区", "包头市").code == "150202"
    assert lookups.region("本级", "赤峰市").code == "150400"
    with pytest.raises(ValueError, match="赤峰市下没有"):
        lookups.region("东河区", "赤峰市")


def test_region_unknown_or_ambiguous(lookups):
    with pytest.raises(ValueError, match="不存在"):
        lookups.region("东风区")
    with pytest.raises(ValueError, match="不符"):
        lookups.region("150202 红山区")
    lookups.region_names["新区"] = ["150202", "150402"]  # two places of one name
    with pytest.raises(ValueError, match="多个同名"):
        lookups.region("新区")


@pytest.mark.parametrize(("value", "expected"), [
    ("A03", "A03"), ("a03", "A03"), ("教育", "A03"), ("A03 教育", "A03"), ("幼儿园", "A03"), ("敬老院", "A06"),
    ("公租房", "A07"), ("体育场", "A08"), ("公共基础设施教育", "A03"), ("市政", "B06"),
])
def test_category_forms(lookups, value, expected):
    assert lookups.category(value) == expected


def test_category_errors(lookups):
    with pytest.raises(ValueError, match="多个类别"):
        lookups.category("教育、养老")
    with pytest.raises(ValueError, match="不符"):
        lookups.category("A03 养老")
    with pytest.raises(ValueError, match="无法识别"):
        lookups.category("火星基地")


def test_department_from_column_default_or_unassigned(lookups):
    assert lookups.department("", "A03") == ("JYT", False)
    assert lookups.department("", "A02") == (None, False)  # several departments: 待指定, not an error
    assert lookups.department("待指定", "A03") == (None, True)
    assert lookups.department("内蒙古自治区体育局", "A08") == ("TYJ", True)
    assert lookups.department("体育局", "A08") == ("TYJ", True)
    assert lookups.department("TYJ", "A08") == ("TYJ", True)
    assert lookups.department("包头市教育局", "A03") == ("JYT", True)
    with pytest.raises(ValueError, match="无法识别"):
        lookups.department("宇宙管理局", "A03")
