"""Finding the header in what counties send: title lines above it, one or two header rows (merged group
cells such as 投资情况（万元） over 总投资 / 已完成投资), column names in the words counties use, and the
money unit stated in a header or in a "单位：万元" line."""

import re
from dataclasses import dataclass, field

from halfbuilt.ledger.models import Project
from halfbuilt.ledger.rules import clean_text, compact

from .reader import Sheet

# Field key → the other names counties write for the column (compared after NFKC and with whitespace removed);
# the field's own label, from the model, is always one of them. Keys starting with "_" are recognised but ignored;
# "prefecture" is a separate league/city column.
SYNONYMS: dict[str, list[str]] = {
    "name": ["工程名称", "项目(工程)名称", "项目工程名称", "工程项目名称", "半拉子工程名称", "项目全称"],
    "project_code": ["项目编码", "投资项目代码", "项目统一代码", "全国投资项目代码", "赋码"],
    "region": [
        "所在地区代码", "所在旗县区", "所在旗县市区", "所在旗县(市、区)", "旗县(市、区)", "旗县(市区)",
        "旗市区", "所在旗市区", "所在区", "所在区县", "区县", "旗县区", "旗县", "所属地区", "地区",
        "行政区划", "行政区划代码", "所在地", "所在旗县", "属地",
    ],
    "prefecture": ["盟市", "所在盟市", "盟市名称"],
    "address": ["项目地址", "地址", "详细地址", "建设地址", "项目位置"],
    "longitude": ["经度"],
    "latitude": ["纬度"],
    "category": ["类别", "所属领域", "行业类别", "项目领域", "领域", "行业领域", "项目类别代码"],
    "department": ["主管部门", "行业部门", "主管单位"],
    "approval_level": ["审批级别", "立项层级"],
    "approval_date": ["立项时间", "批复时间", "审批日期", "立项日期", "批复日期"],
    "approval_doc": ["批复文号", "立项文号", "审批文件", "立项批复文号"],
    "high_impact": ["是否影响较大", "影响较大项目", "影响重大"],
    "high_impact_reason": ["影响较大理由", "影响较大原因", "影响较大的原因", "影响较大说明"],
    "owner_unit": ["建设单位", "项目单位", "业主单位", "项目建设单位", "项目法人单位"],
    "owner_uscc": ["统一社会信用代码", "信用代码", "建设单位信用代码"],
    "content": ["建设内容", "建设规模", "建设规模及内容", "主要建设内容"],
    "kind": ["项目类型", "工程类型", "半拉子类型", "问题类型", "现状", "项目现状",
             "类型(未完工停建/已竣工未投用)"],
    "total_investment": ["总投资", "项目总投资", "计划总投资", "总投资额", "概算总投资", "计划投资", "批复总投资"],
    "completed_investment": ["已完成投资", "完成投资", "累计完成投资", "已完成投资额", "已完成", "累计已完成投资",
                             "完成投资额", "实际完成投资"],
    "funds_in_place": ["到位资金", "已到位资金", "资金到位", "到位资金额"],
    "unpaid_amount": ["欠付资金", "欠付金额", "拖欠资金", "欠款", "拖欠工程款", "欠付工程款"],
    "start_date": ["开工日期", "开工年月"],
    "stop_date": ["停建时间", "停工日期", "停建日期", "停工年月", "停建年月"],
    "completion_date": ["竣工日期", "完工时间", "完工日期", "竣工年月", "建成时间"],
    "causes": ["停建原因", "未投用原因", "原因", "形成原因", "存在问题", "主要问题",
               "停建或未投用的原因"],
    "responsible_unit": ["处置责任单位", "责任主体", "责任主体单位"],
    "responsible_person": ["负责人"],
    "phone": ["电话", "联系方式", "责任人电话", "手机", "手机号", "手机号码", "联系人电话"],
    "classified": ["是否涉密"],
    "_serial": ["序号", "编号", "No.", "No"],
    "_ignored": ["台账编号", "状态", "备注", "说明"],
}
FIELD_LABELS = {
    key: names[0] if key.startswith("_") else str(Project._meta.get_field(key).verbose_name)
    for key, names in SYNONYMS.items()
}
ALIASES = {key: list(dict.fromkeys([FIELD_LABELS[key], *names])) for key, names in SYNONYMS.items()}
MONEY_KEYS = {"total_investment", "completed_investment", "funds_in_place", "unpaid_amount"}

_INDEX = {compact(n): key for key, names in ALIASES.items() for n in names}
_UNIT_RES = [
    re.compile(r"\((?:金额)?(?:单位[:：]?)?(万元|亿元|元)\)"),
    re.compile(r"[/、](万元|亿元|元)$"),
    re.compile(r"(?<=[资金额款])(万元|亿元)$"),
]
_PAREN_RE = re.compile(r"\([^()]*\)")
# Not followed by another Chinese character: "填报单位：元宝山区人民政府" names a district, not a unit.
SHEET_UNIT_RE = re.compile(r"(?:金额)?单位[:：]?\s*(?:人民币)?(万元|亿元|元)(?![\u4e00-\u9fff])")


def as_written(value: object) -> str:
    """Header text as the user typed it (full-width kept), without its line breaks and stray spaces."""
    if value is None:
        return ""
    return "".join(str(value).split())


def match_header(text: object) -> tuple[str, str | None] | None:
    """(field key, unit stated in the header or None), or None for a column we do not know."""
    t = compact(text).strip("*★※:：")
    if not t:
        return None
    unit = None
    for pattern in _UNIT_RES:
        m = pattern.search(t)
        if m:
            unit, t = m.group(1), (t[: m.start()] + t[m.end():])
            break
    for candidate in (t, _PAREN_RE.sub("", t), t.replace("(", "").replace(")", "")):
        if candidate in _INDEX:
            return _INDEX[candidate], unit
    return None


def header_unit(text: object) -> str | None:
    """The money unit a group header states, e.g. 投资情况（万元） → 万元."""
    t = compact(text)
    for pattern in _UNIT_RES:
        if m := pattern.search(t):
            return m.group(1)
    m = SHEET_UNIT_RE.search(t)
    return m.group(1) if m else None


@dataclass
class Column:
    index: int
    key: str
    label: str  # the header as written, e.g. "投资情况（万元）/总投资"
    unit: str | None = None


@dataclass
class Header:
    first_row: int  # zero-based index of the (first) header row
    data_start: int  # zero-based index of the first data row
    columns: dict[str, Column] = field(default_factory=dict)  # key → column (the first one wins)
    ignored: list[int] = field(default_factory=list)  # serial/notes columns: not content
    title_lines: list[str] = field(default_factory=list)
    sheet_unit: str | None = None

    def label(self, key: str) -> str:
        col = self.columns.get(key)
        return col.label if col else FIELD_LABELS.get(key, key)


def _row_keys(row: list) -> dict[int, tuple[str, str | None]]:
    found = {}
    for i, cell in enumerate(row):
        if isinstance(cell, str) and cell and (m := match_header(cell)):
            found[i] = m
    return found


def find_header(sheet: Sheet, scan: int = 30) -> Header | None:
    rows = sheet.rows
    for r in range(min(scan, len(rows))):
        keys = _row_keys(rows[r])
        real = {k for k, _ in keys.values() if not k.startswith("_")}
        if "name" in real and len(real) >= 2:
            return _build(sheet, r, keys)
    return None


def _merged_origin(merged: list[tuple[int, int, int, int]], r: int, c: int) -> tuple[int, int] | None:
    for r0, c0, r1, c1 in merged:
        if r0 <= r <= r1 and c0 <= c <= c1:
            return r0, c0
    return None


def _build(sheet: Sheet, r: int, top_keys: dict) -> Header:
    rows = sheet.rows
    top = rows[r]
    below = rows[r + 1] if r + 1 < len(rows) else []
    below_keys = _row_keys(below)
    top_fields = {k for k, _ in top_keys.values()}
    # A second header row names fields the first does not, under blank or group cells, and is mostly names:
    # a data row may hold one value that happens to be a header word (e.g. 盟市 as an approval level).
    filled = sum(1 for v in below if v not in ("", None))
    two_rows = (any(c not in top_keys and k not in top_fields and not k.startswith("_")
                    for c, (k, _) in below_keys.items())
                and len(below_keys) * 2 >= filled)
    header = Header(first_row=r, data_start=r + 2 if two_rows else r + 1)
    for line in rows[:r]:
        text = " ".join(t for t in (clean_text(c) for c in line) if t)
        if text:
            header.title_lines.append(text)
            if header.sheet_unit is None and (m := SHEET_UNIT_RE.search(compact(text))):
                header.sheet_unit = m.group(1)
    width = max(len(top), len(below))
    # Only the ranges over the header's rows, picked once: a sheet may merge 200,000 ranges down its data rows.
    merged = [m for m in sheet.merged if m[0] <= r <= m[2] or (r > 0 and m[0] <= r - 1 <= m[2])]
    group_text = ""
    for c in range(width):
        own = as_written(top[c]) if c < len(top) else ""
        if own:
            group_text = own
        elif (origin := _merged_origin(merged, r, c)) is not None:
            group_text = as_written(rows[origin[0]][origin[1]])
        elif not two_rows:
            group_text = ""  # without merge information a blank top cell continues the group to its left
        column = None
        if two_rows and c in below_keys and c not in top_keys:
            key, unit = below_keys[c]
            label = f"{group_text}/{as_written(below[c])}" if group_text else as_written(below[c])
            column = Column(c, key, label, unit or header_unit(group_text))
        elif c in top_keys:
            key, unit = top_keys[c]
            column = Column(c, key, own, unit)
            # A group row above a one-row header (e.g. 投资情况（万元） merged over the money columns).
            if column.unit is None and r > 0 and (origin := _merged_origin(merged, r - 1, c)) is not None:
                column.unit = header_unit(rows[origin[0]][origin[1]])
        if column is None:
            continue
        if column.key.startswith("_"):
            header.ignored.append(c)
        elif column.key not in header.columns:
            header.columns[column.key] = column
    return header
