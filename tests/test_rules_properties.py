"""Properties of the data dictionary's parsers (ledger/rules.py): any text gives a value or a ValueError with a
Chinese message, never another exception; what a parser returns, it parses again to the same value."""

import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from halfbuilt.ledger import rules

CHINESE = re.compile(r"[\u4e00-\u9fff]")
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
anything = st.one_of(
    st.text(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.decimals(), st.none(),
    st.from_regex(r"[-+]?\d{1,40}(\.\d{1,10})?(元|万元|万|亿元|亿)?", fullmatch=True),
)


def _value_or_chinese_error(parse, value):
    try:
        return parse(value)
    except ValueError as exc:
        assert CHINESE.search(str(exc)), exc
        return None


@FAST
@given(anything)
def test_money_is_a_bounded_exact_amount_or_a_chinese_error(value):
    amount = _value_or_chinese_error(rules.parse_money, value)
    if amount is not None:
        assert isinstance(amount, Decimal) and amount.is_finite()
        assert 0 <= amount <= rules.MONEY_MAX
        assert rules.parse_money(format(amount, "f")) == amount  # round trip through its text


@FAST
@given(anything)
def test_partial_date_is_iso_text_or_a_chinese_error(value):
    text = _value_or_chinese_error(rules.parse_partial_date, value)
    if text:
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text)
        assert rules.parse_partial_date(text) == text


@FAST
@given(st.one_of(st.text(), st.from_regex(r"\d{4}-\d{6}-\d{2}-\d{2}-\d{5}[0-9A-Z]", fullmatch=True)))
def test_project_code_is_normalised_or_a_chinese_error(value):
    code = _value_or_chinese_error(rules.check_project_code, value)
    if code:
        assert len(code) == 24 and rules.check_project_code(code) == code


@FAST
@given(st.one_of(st.text(), st.from_regex(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}", fullmatch=True)))
def test_uscc_is_normalised_or_a_chinese_error(value):
    result = _value_or_chinese_error(rules.check_uscc, value)
    if result and result[0]:
        code, warning = result
        assert len(code) == 18 and rules.check_uscc(code) == (code, warning)
        assert warning is None or CHINESE.search(warning)


def test_a_uscc_with_other_scripts_digits_is_a_chinese_error_not_a_crash():
    with pytest.raises(ValueError, match="统一社会信用代码"):
        rules.check_uscc("91" + "\u0660" * 6 + "MA0000000X")  # Arabic-Indic digits matched \d (a KeyError)
