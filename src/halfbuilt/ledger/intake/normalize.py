"""Cell → typed value. Reference lookups are built once per import, so each row costs a few dict hits.

Every converter returns a clean value or raises ValueError with a Chinese message; nothing is guessed:
a value that could mean two things is an error.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from halfbuilt.accounts.models import Organization, OrgKind
from halfbuilt.core.inputs import NUL, nul_message, too_long_message
from halfbuilt.ledger.rules import check_project_code, check_uscc, clean_text, compact, parse_money, parse_partial_date
from halfbuilt.regions.models import Category, Department, Region, RegionLevel

from .words import (
    APPROVAL_LEVELS,
    APPROVAL_SUFFIX,
    CATEGORY_SYNONYMS,
    COUNTY_SUFFIX,
    DEPT_SUFFIX,
    EXAMPLES_TAIL,
    FALSE_WORDS,
    KIND_SUFFIXES,
    KIND_TAIL,
    KIND_WORDS,
    LEVEL_ITSELF,
    LEVEL_ITSELF_SUFFIXES,
    NOT_EXAMPLES,
    PREFECTURE_SUFFIX,
    PROVINCE_SUFFIXES,
    SEPARATORS,
    TRUE_WORDS,
    UNASSIGNED,
)

_KIND_INDEX = {compact(w).lower(): k.value for k, words in KIND_WORDS.items() for w in words}
# Longer words first so "未完工停建" is seen before "停建".
_KIND_PARTS = sorted(_KIND_INDEX, key=len, reverse=True)
_LEVEL_INDEX = {compact(w).lower(): k.value for k, words in APPROVAL_LEVELS.items() for w in words}


@dataclass
class Lookups:
    regions: dict[str, Region] = field(default_factory=dict)  # code → region
    region_names: dict[str, list[str]] = field(default_factory=dict)  # names as written → codes
    region_loose: dict[str, list[str]] = field(default_factory=dict)  # without 区/县/旗 → codes
    province: Region | None = None
    categories: dict[str, str] = field(default_factory=dict)  # code/name/item → code ("" when ambiguous)
    category_default: dict[str, str | None] = field(default_factory=dict)
    departments: dict[str, str] = field(default_factory=dict)  # code/name/stem → code ("" when ambiguous)

    @classmethod
    def load(cls) -> "Lookups":
        lk = cls()
        regions = list(Region.objects.select_related("parent"))
        province_prefixes = []
        for region in regions:
            lk.regions[region.code] = region
            if region.level == RegionLevel.PROVINCE:
                lk.province = region
                province_prefixes = [region.name, *(region.name.removesuffix(s) for s in PROVINCE_SUFFIXES)]
        for region in regions:
            names = {region.name, region.full_name}
            loose = set()
            if region.level == RegionLevel.PREFECTURE:
                short = PREFECTURE_SUFFIX.sub("", region.name)
                names |= {f"{region.name}{w}" for w in LEVEL_ITSELF_SUFFIXES} | {f"{short}{LEVEL_ITSELF_SUFFIXES[0]}"}
                loose.add(short)
            if region.level == RegionLevel.COUNTY:
                stem = COUNTY_SUFFIX.sub("", region.name)
                if len(stem) >= 2:
                    loose |= {stem, f"{region.parent.name}{stem}"}
            for index, variants in ((lk.region_names, names), (lk.region_loose, loose)):
                variants |= {f"{p}{n}" for p in province_prefixes for n in list(variants) if p}
                for n in variants:
                    codes = index.setdefault(compact(n), [])
                    if region.code not in codes:
                        codes.append(region.code)
        for category in Category.objects.all():
            lk.category_default[category.code] = category.default_department_id
            keys = {category.code, category.code.lower(), category.name, f"{category.code}{category.name}",
                    f"{category.group}{category.name}"}
            for key in keys:
                lk.categories[compact(key)] = category.code
        for category in Category.objects.all():
            for item in _example_items(category.examples):
                _add_unique(lk.categories, item, category.code)
        for word, code in CATEGORY_SYNONYMS.items():
            _add_unique(lk.categories, word, code)
        for department in Department.objects.all():
            for key in {department.code, department.name, department.short_name}:
                lk.departments[compact(key)] = department.code
            _add_unique(lk.departments, DEPT_SUFFIX.sub("", department.short_name), department.code)
        orgs = Organization.objects.filter(kind=OrgKind.DEPARTMENT, department__isnull=False)
        for name, code in orgs.values_list("name", "department_id"):
            _add_unique(lk.departments, name, code)
        return lk

    # -- converters --------------------------------------------------------------------------------

    def region(self, value: object, prefecture: object = None, acting: Region | None = None) -> Region | None:
        text = compact(value)
        pref_text = compact(prefecture)
        if not text and not pref_text:
            return None
        if re.fullmatch(r"\d{6}", text[:6]) and (region := self.regions.get(text[:6])):
            rest = text[6:]
            if rest and self._region_codes(rest) and region.code not in self._region_codes(rest):
                raise ValueError(_("地区代码 {code} 与名称“{name}”不符").format(code=region.code, name=rest))
            return region
        pref = None
        if pref_text:
            pref = self._one_region(pref_text, _("盟市"))
            if pref.level != RegionLevel.PREFECTURE:
                raise ValueError(_("“{value}”不是盟市").format(value=clean_text(prefecture)))
            if not text or text in LEVEL_ITSELF:
                return pref
            codes = [c for c in self._region_codes(text) if self.regions[c].parent_id == pref.code]
            if len(codes) == 1:
                return self.regions[codes[0]]
            codes = self._region_codes(f"{pref.name}{text}")
            if len(codes) == 1:
                return self.regions[codes[0]]
            raise ValueError(_("{prefecture}下没有“{value}”").format(prefecture=pref.name, value=clean_text(value)))
        if text in LEVEL_ITSELF:
            acting_pref = acting.prefecture if acting else None
            if acting_pref is None:
                raise ValueError(_("“{value}”须写明盟市，如“包头市本级”").format(value=clean_text(value)))
            return acting_pref
        return self._one_region(text, _("地区"))

    def _region_codes(self, text: str) -> list[str]:
        return self.region_names.get(text) or self.region_loose.get(text, [])

    def _one_region(self, text: str, what: str) -> Region:
        codes = self._region_codes(text)
        if not codes:
            raise ValueError(_("{what}“{text}”不存在，请填写规范名称，如“包头市东河区”").format(what=what, text=text))
        if len(codes) > 1:
            names = "、".join(self.regions[c].full_name for c in codes)
            raise ValueError(_("{what}“{text}”有多个同名地区（{names}），请写明所属盟市").format(
                what=what, text=text, names=names))
        return self.regions[codes[0]]

    def category(self, value: object) -> str | None:
        text = compact(value)
        if not text:
            return None
        code = self.categories.get(text)
        if code is None and re.match(r"^[A-Za-z]\d{2}", text):
            code = self.categories.get(text[:3].upper())
            named = self.categories.get(text[3:].strip(".、:：-"))
            if code and named and named != code:
                raise ValueError(_("项目类别“{value}”的代码与名称不符").format(value=clean_text(value)))
        if code:
            return code
        if code == "":
            raise ValueError(_("项目类别“{value}”可对应多个类别，请填写类别代码（如 A03）").format(
                value=clean_text(value)))
        parts = [p for p in SEPARATORS.split(text) if p]
        found = {self.categories.get(p) for p in parts} - {None, ""}
        if len(parts) > 1 and len(found) > 1:
            raise ValueError(_("项目类别“{value}”对应多个类别，每个项目只能填一个类别").format(value=clean_text(value)))
        raise ValueError(_("项目类别“{value}”无法识别，请填写类别代码（如 A03）或类别名称（如 教育）").format(
            value=clean_text(value)))

    def department(self, value: object, category_code: str | None) -> tuple[str | None, bool]:
        """(department code or None for 待指定, whether a value was given)."""
        text = compact(value)
        if not text:
            return (self.category_default.get(category_code) if category_code else None), False
        if text in UNASSIGNED:
            return None, True
        for candidate in (text, self._strip_region(text), DEPT_SUFFIX.sub("", self._strip_region(text))):
            code = self.departments.get(candidate)
            if code:
                return code, True
            if code == "":
                raise ValueError(_("行业主管部门“{value}”可对应多个部门，请写全称").format(value=clean_text(value)))
        raise ValueError(_("行业主管部门“{value}”无法识别，请填写部门全称（如 内蒙古自治区教育厅）或留空").format(
            value=clean_text(value)))

    def _strip_region(self, text: str) -> str:
        for n in sorted((n for n in self.region_names if text.startswith(n)), key=len, reverse=True)[:1]:
            return text[len(n):]
        return text


def _example_items(examples: str) -> list[str]:
    items = []
    for raw in re.split(r"[、，,；;]", examples):
        item = compact(raw)
        item = EXAMPLES_TAIL.sub("", item)
        if len(item) < 2 or item in NOT_EXAMPLES:
            continue
        items.append(item)
        if (stripped := re.sub(r"\([^()]*\)", "", item)) != item:
            items.append(stripped)
    return items


def _add_unique(index: dict[str, str], key: str, code: str) -> None:
    key = compact(key)
    if not key:
        return
    if key in index and index[key] not in ("", code):
        index[key] = ""  # the same word names two things: ambiguous
    else:
        index.setdefault(key, code)


def detect_kind(text: object) -> str | None:
    """A kind named in a sheet name or title, or None when none or both are named."""
    t = compact(text).lower()
    found = {_KIND_INDEX[w] for w in _KIND_PARTS if w in t and len(w) >= 2}
    return found.pop() if len(found) == 1 else None


def kind_phrase(text: str) -> str | None:
    """The kind a compacted phrase names as a whole ("未完工停建项目", "已竣工未投入使用类"), else None:
    a section heading must be nothing but a kind, so "东河区停建项目" is not one."""
    t = text.lower()
    return _KIND_INDEX.get(KIND_TAIL.sub("", t) or t) or _KIND_INDEX.get(t)


def to_kind(value: object) -> str | None:
    text = compact(value).lower()
    if not text:
        return None
    text = text.removesuffix(KIND_SUFFIXES[0]).removesuffix(KIND_SUFFIXES[1]) or text
    if text in _KIND_INDEX:
        return _KIND_INDEX[text]
    found = {_KIND_INDEX[w] for w in _KIND_PARTS if w in text}
    if len(found) == 1:
        return found.pop()
    if len(found) > 1:
        raise ValueError(_("类型“{value}”同时像“未完工停建”和“已竣工未投用”，请只填其中一种").format(
            value=clean_text(value)))
    raise ValueError(_("类型“{value}”无法识别，应为“未完工停建”或“已竣工未投用”").format(value=clean_text(value)))


def to_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = compact(value).lower()
    if not text:
        return False
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(_("“{value}”应填“是”或“否”").format(value=clean_text(value)))


def to_approval_level(value: object) -> str:
    text = compact(value).lower()
    if not text:
        return ""
    text = text.removesuffix(APPROVAL_SUFFIX)
    if text in _LEVEL_INDEX:
        return _LEVEL_INDEX[text]
    raise ValueError(_("审批层级“{value}”应为 自治区、盟市 或 旗县").format(value=clean_text(value)))


# "2018.1": Excel shows a number typed 2018.10 as 2018.1, and so does a CSV saved from it.
_JAN_OR_OCT = re.compile(r"(\d{4})\.1")
_DIGITS_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})?")  # 201806, 20180615


def _ambiguous_month(year: str, written: str) -> ValueError:
    return ValueError(_("日期“{written}”可能是1月也可能是10月（数字 {year}.10 在表格中显示为 {year}.1），"
                        "请写作“{year}年1月”或“{year}年10月”").format(written=written, year=year))


def to_date(value: object) -> str:
    """Partial dates at the precision given. A number such as 2018.06 is what Excel makes of a typed "2018.06";
    2018.1 (the number, or that text) could be January or October and is refused, never guessed."""
    if isinstance(value, float) and not value.is_integer() and 1949 < value < 2101:
        text = repr(value)  # the shortest form that round-trips: what was typed, less trailing zeros
        year, _, month = text.partition(".")
        if month == "1":
            raise _ambiguous_month(year, text)
        return parse_partial_date(f"{year}.{month}")
    if type(value) is float and value.is_integer():
        value = int(value)
    if type(value) is int and 190001 <= value <= 21001231:  # YYYYMM or YYYYMMDD typed as a number
        value = str(value)
    if isinstance(value, str):
        text = compact(value)
        if m := _JAN_OR_OCT.fullmatch(text):
            raise _ambiguous_month(m.group(1), text)
        if m := _DIGITS_DATE.fullmatch(text):
            value = "-".join(g for g in m.groups() if g)
    if isinstance(value, dt.time):
        raise ValueError(_("日期单元格只有时间没有日期"))
    return parse_partial_date(value)


def to_money(value: object, unit: str) -> Decimal | None:
    return parse_money(value, unit)


def to_coordinate(value: object, low: int, high: int, what: str) -> Decimal | None:
    text = compact(value).rstrip("°")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        message = _("{what}“{value}”应为十进制度数，如 109.84").format(what=what, value=clean_text(value))
        raise ValueError(message) from exc
    if not number.is_finite() or not low <= number <= high:  # NaN compares with nothing (it would raise)
        raise ValueError(_("{what}“{value}”超出范围（{low}～{high}）").format(
            what=what, value=clean_text(value), low=low, high=high))
    return number.quantize(Decimal("0.000001"))


_WHITESPACE = re.compile(r"\s")


def fast_clean(value: object) -> str:
    """clean_text, skipping its work for the common cell that is already clean (most of a big file)."""
    if type(value) is str and unicodedata.is_normalized("NFKC", value) and not _WHITESPACE.search(value):
        return value
    return clean_text(value)


def to_text(value: object, max_length: int, what: str) -> str:
    if isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()
    text = fast_clean(value)
    if len(text) > max_length:
        raise ValueError(too_long_message(what, max_length, len(text)))
    if NUL in text:
        raise ValueError(nul_message(what))
    return text


def to_free_text(value: object, max_length: int, what: str) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) > max_length:
        raise ValueError(too_long_message(what, max_length, len(text)))
    if NUL in text:
        raise ValueError(nul_message(what))
    return text


def to_code(value: object, known_regions: set[str]) -> str:
    return check_project_code(value, known_regions)


def to_uscc(value: object) -> tuple[str, str | None]:
    return check_uscc(value)
