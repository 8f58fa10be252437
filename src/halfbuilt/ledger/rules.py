"""The data dictionary's rules, shared by forms, the importer and the API.

Each parser takes what people type and returns a clean value or raises `ValueError` with a Chinese
message. Nothing here guesses: an ambiguous value is an error.
"""

import datetime as dt
import operator
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Who may file what, told in the same words by the form, the importer's check and the bulk service.
OTHER_LINE = gettext_lazy("行业主管部门只能填报本行业的项目")
CLASSIFIED_BY_OWNER = gettext_lazy("涉密项目须由其行业主管部门自行填报，不能由他人导入")

MONEY_UNITS = {
    "元": Decimal("0.0001"), "万元": Decimal(1), "万": Decimal(1), "亿元": Decimal(10000), "亿": Decimal(10000),
}
MONEY_QUANT = Decimal("0.0001")
DEFAULT_UNIT = "万元"  # the ledger's unit, and an amount's when neither its column nor its sheet names one
MONEY_MAX = Decimal("999999999999")

_SPACE_RE = re.compile(r"\s+")


def clean_text(value: object) -> str:
    """NFKC (full-width → half-width), stray and line-break whitespace removed at the ends, runs collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).replace("\u3000", " ")
    return _SPACE_RE.sub(" ", text).strip()


def compact(value: object) -> str:
    """Text with every whitespace removed, for matching names and headers."""
    return _SPACE_RE.sub("", clean_text(value))


def investment_error(total: Decimal | None, completed: Decimal | None) -> str | None:
    """已完成投资 ≤ 总投资, the rule behind the database's check `project_completed_le_total`."""
    if total is None or completed is None or Decimal(completed) <= Decimal(total):
        return None
    return _("已完成投资 {completed:f} 万元大于总投资 {total:f} 万元").format(
        completed=Decimal(completed).normalize(), total=Decimal(total).normalize(),
    )


_NUMBERS = (int, float, Decimal)
_MONEY_RE = re.compile(r"^([-+]?\d+(?:\.\d+)?)\s*(元|万元|万|亿元|亿)?$")


def parse_money(value: object, unit: str = "万元") -> Decimal | None:
    """An amount in 万元. `unit` is the unit the column header states; a unit typed in the cell wins."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(_("金额应为数字"))
    if type(value) is float or type(value) is int or isinstance(value, _NUMBERS):  # what calamine gives, first
        number, cell_unit = Decimal(str(value)), None
        if not number.is_finite():  # NaN and ±Infinity from a JSON body or a float cell
            raise ValueError(_("金额应为有限的数字"))
    else:
        text = compact(value).replace(",", "").replace("，", "")
        if text in {"", "-", "—", "/", "无"}:
            return None
        match = _MONEY_RE.match(text)
        if not match:
            raise ValueError(
                _("金额“{value}”无法识别，应为数字（单位万元），如 1260 或 1260万元").format(
                    value=clean_text(value),
                ),
            )
        try:
            number = Decimal(match.group(1))
        except InvalidOperation as exc:
            raise ValueError(_("金额“{value}”无法识别").format(value=clean_text(value))) from exc
        cell_unit = match.group(2)
    amount = number * MONEY_UNITS[cell_unit or unit]
    if amount < 0:
        raise ValueError(_("金额不能为负数"))
    # Checked before rounding: quantize() of 25 digits or 1e24 exceeds the decimal context and would raise.
    if amount > MONEY_MAX:
        raise ValueError(_("金额过大，请检查单位（应为万元）"))
    amount = amount.quantize(MONEY_QUANT)
    return amount.normalize() if amount == amount.to_integral() else amount


_DATE_PATTERNS = [
    (re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"), "D"),
    (re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$"), "D"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "D"),
    (re.compile(r"^(\d{4})年(\d{1,2})月?$"), "M"),
    (re.compile(r"^(\d{4})[-./](\d{1,2})$"), "M"),
    (re.compile(r"^(\d{4})年?$"), "Y"),
]
EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_partial_date(value: object) -> str:
    """'2018年6月' → '2018-06', '2018.06' → '2018-06', '2018-03-15' → '2018-03-15', '2018年' → '2018'.

    Excel dates (date objects, or serial numbers from a date-formatted cell) keep day precision.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _checked(value.year, value.month, value.day, "D")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1900 <= value <= 2100 and float(value).is_integer():
            return _checked(int(value), 1, 1, "Y")
        if 20000 < value < 80000:  # an Excel serial date that reached us as a number
            day = EXCEL_EPOCH + dt.timedelta(days=int(value))
            return _checked(day.year, day.month, day.day, "D")
        raise ValueError(_("日期“{value}”无法识别").format(value=value))
    text = compact(value)
    if text in {"-", "—", "/", "无"}:
        return ""
    text = re.sub(r"(\d{4}-\d{2}-\d{2})[ T]?00:00(:00)?$", r"\1", text)  # compact() removed the space
    for pattern, precision in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = [int(p) for p in match.groups()]
            year, month, day = (parts + [1, 1])[:3]
            return _checked(year, month, day, precision)
    raise ValueError(
        _("日期“{value}”无法识别，可写作 2018年6月、2018.06、2018-03-15 或 2018年").format(
            value=clean_text(value),
        ),
    )


def _checked(year: int, month: int, day: int, precision: str) -> str:
    if not 1949 <= year <= 2100:
        raise ValueError(_("年份 {year} 不在合理范围内").format(year=year))
    try:
        dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(_("日期 {year}年{month}月{day}日 不存在").format(year=year, month=month, day=day)) from exc
    if precision == "Y":
        return f"{year:04d}"
    if precision == "M":
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


PROJECT_CODE_RE = re.compile(r"^(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{5}[0-9A-Z])$", re.ASCII)


def check_project_code(value: object, known_region_codes: set[str] | None = None) -> str:
    """项目代码 `YYYY-RRRRRR-DD-TT-NNNNNC` (old codes end in 6 digits, which the same pattern admits).

    The form and the region segment are checked; the check character is not (its algorithm is unpublished).
    """
    code = compact(value).upper().replace("—", "-").replace("－", "-")
    if not code:
        return ""
    match = PROJECT_CODE_RE.match(code)
    if not match:
        raise ValueError(_("项目代码“{code}”格式应为 YYYY-RRRRRR-DD-TT-NNNNNC（共24位）").format(code=code))
    year, region = int(match.group(1)), match.group(2)
    if not 1990 <= year <= 2100:
        raise ValueError(_("项目代码“{code}”的年份段不正确").format(code=code))
    if known_region_codes is not None and region not in known_region_codes:
        raise ValueError(_("项目代码“{code}”的地区段 {region} 不是有效的行政区划代码").format(code=code, region=region))
    return code


USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$", re.ASCII)  # \d: 0-9 only
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}


def check_uscc(value: object) -> tuple[str, str | None]:
    """(normalised code, warning or None). A wrong form is an error; a failing check digit only a warning,
    because some real early codes fail it (GB 32100)."""
    # A cell that is already a clean code (nearly all of them) skips compact(): NFKC, strip and upper are no-ops.
    if type(value) is str and USCC_RE.fullmatch(value):
        code = value
    else:
        code = compact(value).upper()
        if not code:
            return "", None
        if not USCC_RE.match(code):
            raise ValueError(
                _("统一社会信用代码“{code}”应为18位（数字和除I、O、S、V、Z外的大写字母）").format(code=code),
            )
    total = sum(map(operator.mul, map(_USCC_VALUE.__getitem__, code[:17]), USCC_WEIGHTS))
    expected = USCC_CHARSET[(31 - total % 31) % 31]
    if code[17] != expected:
        return code, _("统一社会信用代码“{code}”校验位不符（应为 {expected}），请人工核对").format(
            code=code, expected=expected,
        )
    return code, None
