"""Validate every row of a county file into an ImportPlan: what would be created, updated or left unchanged,
and every error at once (sheet, row as the spreadsheet shows it, header as written, Chinese message)."""

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.db import connection
from django.db.models import BooleanField, Case, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from halfbuilt.accounts import scope
from halfbuilt.core import crypto, inputs, pii
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.bulk import ATTRS, ProjectChange
from halfbuilt.ledger.coverage import ScopeRule, current_rule
from halfbuilt.ledger.dictionary import PERSONAL, TEXT_LIMITS
from halfbuilt.ledger.models import Project, Status
from halfbuilt.ledger.rules import CLASSIFIED_BY_OWNER, DEFAULT_UNIT, OTHER_LINE, investment_error
from halfbuilt.regions.models import Region, RegionLevel

from . import layout
from . import normalize as nz
from .headers import FIELD_LABELS, MONEY_KEYS, Header, find_header
from .reader import Sheet
from .words import EXPLANATION, NOTE_WORDS, TOTAL_CHAR

MONEY_QUANT = Decimal("0.0001")
# Descriptions keep their own punctuation and line breaks (NFKC would turn ，into ,); only the ends are trimmed.
FREE_TEXT = {"content", "causes"}
DATE_KEYS = ("approval_date", "start_date", "stop_date", "completion_date")
# Model attribute → data-dictionary key (the change log speaks in dictionary keys).
DICT_KEY = {"region_id": "region_code", "category_id": "category_code", "department_id": "department"}


def chunk_size() -> int:
    """Values per IN (…): SQLite builds may allow only 999 variables a statement; PostgreSQL has no such limit."""
    return 5000 if connection.vendor == "postgresql" else 400


@dataclass
class Issue:
    sheet: str
    row: int
    column: str
    message: str
    col: int | None = None  # zero-based column index, for the error report

    def public(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}

    def stored(self) -> dict:
        return {**self.public(), "col": self.col}


@dataclass
class RowData:
    sheet: str
    row: int
    values: dict  # model attribute → value, for the cells that were filled in
    department_given: bool = False
    columns: dict = field(default_factory=dict)  # field key → headers.Column of its sheet

    def col(self, key: str) -> int | None:
        column = self.columns.get(key)
        return column.index if column else None

    def label(self, key: str) -> str:
        column = self.columns.get(key)
        return column.label if column else FIELD_LABELS.get(key, key)


@dataclass
class ImportPlan:
    rows: int = 0
    creates: list[RowData] = field(default_factory=list)
    updates: list[ProjectChange] = field(default_factory=list)
    unchanged: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # the sheets read

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self, *, stored: bool = False) -> dict:
        as_dict = Issue.stored if stored else Issue.public
        result = {
            "rows": self.rows, "created": len(self.creates), "updated": len(self.updates),
            "unchanged": self.unchanged, "errors": [as_dict(e) for e in self.errors],
        }
        if stored:
            result["warnings"] = [as_dict(w) for w in self.warnings]
            result["sheets"] = self.sheets
        return result


@dataclass
class ImportContext:
    """Who imports, for which region, and what that allows (for the CLI: the office, with no user)."""

    actor: Actor
    region: Region
    departments: set[str] | None = None  # department lines a department-role submitter is bound to
    classified_lines: set[str] = field(default_factory=set)  # lines that may file classified projects
    # The campaign's 起底范围: a row outside it is a warning naming the row, not an error (docs/campaign.md).
    scope_rule: ScopeRule | None = field(default_factory=current_rule)

    @classmethod
    def for_user(cls, actor: Actor, region: Region) -> "ImportContext":
        user = actor.user
        return cls(actor=actor, region=region, departments=scope.import_departments(user),
                   classified_lines=scope.classified_lines(user))

    def changeable_q(self) -> Q:
        """Projects this import may update (the office's scope when from the CLI)."""
        return scope.changeable_in(self.actor.user, self.region)

    def visible_q(self) -> Q:
        """Projects the importer sees: only they can hold a 项目代码 against a row (ledger/codes.py)."""
        return scope.visible_to(self.actor.user)

    def covers(self, region: Region) -> bool:
        return scope.region_within(region, self.region)


class _Memo:
    """Reference values repeat thousands of times in a file: convert each distinct one once."""

    def __init__(self, fn: Callable):
        self.fn, self.cache = fn, {}

    def __call__(self, *args):
        try:
            hit = self.cache[args]
        except KeyError:
            try:
                hit = (True, self.fn(*args))
            except ValueError as exc:
                hit = (False, str(exc))
            except TypeError:  # an unhashable cell cannot be cached; convert it directly
                return self.fn(*args)
            self.cache[args] = hit
        if hit[0]:
            return hit[1]
        raise ValueError(hit[1])


# Rows validated and matched (and, when streaming, written) at a time: a small first chunk so the database
# starts early, then doubling up to CHUNK_ROWS (fewer, bigger lookups and COPYs).
FIRST_CHUNK_ROWS = 1000
CHUNK_ROWS = 16000


def build_plan(sheets: list[Sheet], ctx: ImportContext, progress: Callable[[float], None] | None = None,
               lookups: nz.Lookups | None = None) -> ImportPlan:
    """Validate and match every row without writing anything (the preview and `--dry-run`)."""
    lk = lookups or nz.Lookups.load()
    plan = ImportPlan()
    matcher = Matcher(plan, ctx, lk)
    for chunk, done in validated_chunks(sheets, ctx, plan, lk):
        matcher.match(chunk)
        if progress:
            progress(done)
    finish_plan(plan, sheets)
    return plan


def validated_chunks(sheets: list[Sheet], ctx: ImportContext, plan: ImportPlan, lk: nz.Lookups, *,
                     beside_writer: bool = False):
    """Yield (rows, share of the file done) in chunks of valid rows, recording errors and warnings
    on `plan`. Pure Python with no database access, so it may run in a thread of its own (see stream.py);
    `beside_writer` says another thread is writing, to which the interpreter is handed over often."""
    rows: list[RowData] = []
    size = FIRST_CHUNK_ROWS
    region_of = _Memo(lambda v, p: lk.region(v, p, ctx.region))
    category_of = _Memo(lk.category)
    department_of = _Memo(lk.department)
    kind_of = _Memo(nz.to_kind)
    date_of = _Memo(nz.to_date)
    known_regions = set(lk.regions)
    total = sum(len(s.rows) for s in sheets) or 1
    done = 0
    for sheet in sheets:
        header = find_header(sheet)
        if header is None:
            if EXPLANATION not in sheet.name and any(any(c not in ("", None) for c in r) for r in sheet.rows):
                plan.warnings.append(Issue(sheet.name, 1, "", _("未找到表头（应有“项目名称”等列），已作为说明页忽略")))
            done += len(sheet.rows)
            continue
        plan.sheets.append(sheet.name)
        sheet_kind = nz.detect_kind(sheet.name) or nz.detect_kind(" ".join(header.title_lines))
        cols = header.columns
        content_cols = [c.index for c in cols.values()]
        name_header = nz.compact(cols["name"].label)  # repeated on a later page: not a project
        name_col = cols["name"].index
        sectioned = "kind" not in cols and sheet_kind is None and _opens_with_section(
            sheet, header, content_cols, name_header, name_col)
        if not _check_columns(plan, sheet, header, ctx, sheet_kind, sectioned):
            done += len(sheet.rows)
            continue
        converters = _converters(header, known_regions, date_of)
        fills = layout.merged_fills(sheet.merged, header.data_start)
        section: layout.Section | None = None
        for r in range(header.data_start, len(sheet.rows)):
            done += 1
            if beside_writer and not done % 32:
                # Hand the interpreter over: a writing thread whose database round trip has ended takes it now
                # instead of after the 5 ms switch interval (hundreds of round trips per import).
                time.sleep(0)
            raw = sheet.rows[r]
            # Judged by what the row holds itself: a blank row under a merged county cell is still blank.
            look = _look(raw, content_cols, name_header, name_col)
            if look != PROJECT:
                if look == ASIDE and (heading := layout.section_of(raw, r + 1)) is not None:
                    _close_section(plan, sheet.name, header, section)
                    section = heading
                continue
            cells = layout.filled(raw, fills[r], sheet.rows) if fills and r in fills else raw
            data, errors = _row(plan, sheet.name, r + 1, cells, header, ctx, sheet_kind, section, converters,
                                region_of, category_of, department_of, kind_of)
            if errors:
                # Only a row that fails as a project is tried as a section heading.
                if (heading := layout.section_of(raw, r + 1)) is not None:
                    _close_section(plan, sheet.name, header, section)
                    section = heading
                    continue
                plan.errors.extend(errors)
            plan.rows += 1
            if section is not None:
                section.found += 1
            if data is not None:
                data.columns = cols
                rows.append(data)
                if len(rows) == size:
                    yield rows, done / total
                    rows, size = [], min(size * 2, CHUNK_ROWS)
        _close_section(plan, sheet.name, header, section)
    yield rows, 1.0


def _opens_with_section(sheet: Sheet, header: Header, content_cols: list[int], name_header: str,
                        name_col: int) -> bool:
    """Whether the first row under the header is a section heading, which then gives a kind to every project
    row of a sheet that has no 类型 column and no kind in its name or title."""
    for r in range(header.data_start, len(sheet.rows)):
        raw = sheet.rows[r]
        if _look(raw, content_cols, name_header, name_col) != SKIP:
            return layout.section_of(raw, r + 1) is not None
    return False


def _close_section(plan: ImportPlan, sheet_name: str, header: Header, section: layout.Section | None) -> None:
    """A section's stated count that its rows do not bear out is a warning: the rows themselves are fine."""
    if section is not None and (message := layout.count_warning(section)):
        label = next((c.label for c in header.columns.values() if c.index == section.col), "")
        plan.warnings.append(Issue(sheet_name, section.row, label, message, section.col))


def finish_plan(plan: ImportPlan, sheets: list[Sheet]) -> None:
    """File-level errors (no header, no data) and every error in the order of the file."""
    if not plan.sheets:
        first = sheets[0].name if sheets else ""
        plan.errors.append(Issue(first, 1, "", _("未找到表头：文件中应有一行列名，至少包括“项目名称”和“所在地区”"
                                                 "“项目类别”等列")))
    elif plan.rows == 0 and not plan.errors:
        plan.errors.append(Issue(plan.sheets[0], header_row_of(sheets, plan.sheets[0]), "", _("文件中没有项目数据")))
    plan.errors.sort(key=lambda e: (plan.sheets.index(e.sheet) if e.sheet in plan.sheets else -1, e.row,
                                    e.col if e.col is not None else -1))


def header_row_of(sheets: list[Sheet], name: str) -> int:
    for sheet in sheets:
        if sheet.name == name and (header := find_header(sheet)):
            return header.first_row + 1
    return 1


def _check_columns(plan: ImportPlan, sheet: Sheet, header: Header, ctx: ImportContext, sheet_kind: str | None,
                   sectioned: bool) -> bool:
    row = header.first_row + 1
    missing = []
    if "region" not in header.columns and "prefecture" not in header.columns and ctx.region.level != RegionLevel.COUNTY:
        missing.append(FIELD_LABELS["region"])  # a county's own sheet may leave the region out: it is the county itself
    if "category" not in header.columns:
        missing.append(FIELD_LABELS["category"])
    for label in missing:
        plan.errors.append(Issue(sheet.name, row, label, _("缺少“{label}”列").format(label=label)))
    if "kind" not in header.columns and sheet_kind is None and not sectioned:
        plan.errors.append(Issue(
            sheet.name, row, FIELD_LABELS["kind"],
            _("缺少“类型”列，且工作表名称、标题和分组行（如“一、未完工停建项目”）中也看不出是“未完工停建”还是“已竣工未投用”"),
        ))
        return False
    return not missing


# What a row looks like before it is read: a project (or an error), a row to skip, or a row with cells only
# outside the columns read (序号, 备注) — skipped too, unless it is a section heading such as "一、停建项目".
PROJECT, SKIP, ASIDE = 0, 1, 2


def _look(raw: list, content_cols: list[int], name_header: str, name_col: int) -> int:
    """SKIP for blank rows, totals and subtotals (合计, 东胜区小计…), notes (备注、填表人…) and a header
    repeated on a later page."""
    first = next((c for c in raw if c not in ("", None)), None)
    if first is None:
        return SKIP
    if isinstance(first, str):
        text = nz.compact(first)
        if layout.is_total(text) or text.startswith(NOTE_WORDS) or text == name_header:
            return SKIP
    width = len(raw)
    # A subtotal labelled in the name column, after a county or serial cell ("东胜区 | 小计").
    name = raw[name_col] if name_col < width else None
    if name is not first and type(name) is str and TOTAL_CHAR in name and layout.is_total(nz.compact(name)):
        return SKIP
    if all(raw[i] in ("", None) or (isinstance(raw[i], str) and not raw[i].strip())
           for i in content_cols if i < width):
        return ASIDE
    return PROJECT


REFERENCE_KEYS = {"region", "prefecture", "category", "department", "kind"}


def _converters(header: Header, known_regions: set[str], date_of: Callable) -> list[tuple[str, int, Callable | None]]:
    """(field key, column index, cell → value) for the plain fields of a sheet, decided once per sheet."""

    def money(unit):
        def convert(value):
            amount = nz.to_money(value, unit)
            return None if amount is None else amount.quantize(MONEY_QUANT)
        return convert

    result = []
    for key, col in header.columns.items():
        if key in REFERENCE_KEYS:
            continue
        if key in FREE_TEXT:
            convert = partial(nz.to_free_text, max_length=TEXT_LIMITS[key], what=FIELD_LABELS[key])
        elif key in TEXT_LIMITS:
            convert = partial(nz.to_text, max_length=TEXT_LIMITS[key], what=FIELD_LABELS[key])
        elif key in MONEY_KEYS:
            convert = money(col.unit or header.sheet_unit or DEFAULT_UNIT)
        elif key in DATE_KEYS:
            convert = date_of
        elif key == "project_code":
            convert = partial(nz.to_code, known_regions=known_regions)
        elif key == "longitude":
            convert = partial(nz.to_coordinate, low=-180, high=180, what=FIELD_LABELS["longitude"])
        elif key == "latitude":
            convert = partial(nz.to_coordinate, low=-90, high=90, what=FIELD_LABELS["latitude"])
        elif key == "approval_level":
            convert = nz.to_approval_level
        elif key in ("classified", "high_impact"):
            convert = nz.to_bool
        else:  # owner_uscc
            convert = None
        result.append((key, col.index, convert))
    return result


def _row(plan, sheet_name, row_no, raw, header, ctx, sheet_kind, section, converters,
         region_of, category_of, department_of, kind_of) -> tuple[RowData | None, list[Issue]]:
    """The row's values, or its errors (not yet on the plan: a failing row may turn out to be a heading)."""
    cols = header.columns
    width = len(raw)
    values: dict = {}
    errors: list[Issue] = []

    def cell(key):
        col = cols.get(key)
        return raw[col.index] if col is not None and col.index < width else None

    def fail(key, message):
        col = cols.get(key)
        errors.append(Issue(sheet_name, row_no, header.label(key), message, col.index if col else None))

    for key, index, convert in converters:
        if index >= width:
            continue
        value = raw[index]
        if value is None or value == "":
            continue
        try:
            if convert is None:  # 统一社会信用代码: a failing check digit is a warning, not an error
                code, warning = nz.to_uscc(value)
                if code:
                    values[key] = code
                if warning:
                    plan.warnings.append(Issue(sheet_name, row_no, cols[key].label, warning, index))
                continue
            result = convert(value)
            if result is not None and result != "":
                values[key] = result
        except ValueError as exc:
            fail(key, str(exc))

    if "name" not in values and not any(e.column == header.label("name") for e in errors):
        fail("name", inputs.required_message(FIELD_LABELS["name"]))

    region = None
    try:
        if "region" in cols or "prefecture" in cols:
            region = region_of(cell("region"), cell("prefecture"))
            if region is None:
                fail("region", inputs.required_message(FIELD_LABELS["region"]))
        else:
            region = ctx.region
    except ValueError as exc:
        fail("region" if "region" in cols else "prefecture", str(exc))
    if region is not None:
        if not ctx.covers(region):
            fail("region" if "region" in cols else "prefecture",
                 _("“{region}”不在{acting}的填报范围内").format(region=region.full_name, acting=ctx.region.full_name))
        else:
            values["region_id"] = region.code

    category = None
    try:
        category = category_of(cell("category"))
        if category is None:
            fail("category", inputs.required_message(FIELD_LABELS["category"]))
        else:
            values["category_id"] = category
    except ValueError as exc:
        fail("category", str(exc))

    department_given = False
    try:
        department, department_given = department_of(cell("department"), category)
        if department_given or category is not None:
            values["department_id"] = department
    except ValueError as exc:
        fail("department", str(exc))

    try:
        own = kind_of(cell("kind"))
        if own is not None and section is not None and own != section.kind:
            fail("kind", _("类型“{kind}”与所在分组“{section}”（第{row}行）不符").format(
                kind=nz.clean_text(cell("kind")), section=section.text, row=section.row))
        # A section row is nearer the row than the sheet's name or title.
        kind = own or (section.kind if section is not None else sheet_kind)
        if kind is None:
            fail("kind", _("类型不能为空，应为“未完工停建”或“已竣工未投用”"))
        else:
            values["kind"] = kind
    except ValueError as exc:
        fail("kind", str(exc))

    if not errors:
        _row_rules(values, ctx, fail, department_given or category is not None)
    if errors:
        return None, errors
    if ctx.scope_rule is not None and (message := ctx.scope_rule.warning(
            approval_level=values.get("approval_level", ""), approval_date=values.get("approval_date", ""),
            high_impact=bool(values.get("high_impact")), high_impact_reason=values.get("high_impact_reason", ""))):
        key = "approval_date" if "approval_date" in cols else "approval_level"
        col = cols.get(key)
        plan.warnings.append(Issue(sheet_name, row_no, header.label(key), message, col.index if col else None))
    return RowData(sheet_name, row_no, values, department_given), errors


def _row_rules(values: dict, ctx: ImportContext, fail, department_known: bool) -> None:
    if message := investment_error(values.get("total_investment"), values.get("completed_investment")):
        fail("completed_investment", message)
    department = values.get("department_id")
    if ctx.departments is not None and department_known and department not in ctx.departments:
        fail("department", str(OTHER_LINE))
    if values.get("classified") and department not in ctx.classified_lines:
        fail("classified", str(CLASSIFIED_BY_OWNER))


class Matcher:
    """Match rows to existing projects (项目代码, else region + name), find duplicates within the file and diff
    for updates, one chunk at a time: creates and updates go onto the plan, and `match` returns the chunk's
    creates. State spans chunks, so a duplicate is found however far apart its rows are."""

    def __init__(self, plan: ImportPlan, ctx: ImportContext, lk: nz.Lookups, written: set[int] | None = None):
        self.plan, self.ctx, self.lk = plan, ctx, lk
        # Projects this import has already created (stream.py writes chunk by chunk): a later row must not
        # match them, just as it would not have in a plan made before any write.
        self.written = written if written is not None else set()
        self.seen_code: dict[str, int] = {}
        self.seen_name: dict[tuple[str, str], int] = {}
        self.matched: dict[int, int] = {}  # existing project id → the row that updates it

    def match(self, rows: list[RowData]) -> list[RowData]:
        plan, ctx = self.plan, self.ctx
        unique_rows, codes = self._unique(rows)
        written = self.written
        # A code held only by projects the importer cannot see is, for this import, unused (ledger/codes.py).
        by_code: dict[str, list[dict]] = {}
        for p in _existing_by_code(ctx, codes):
            if p["visible"] and p["id"] not in written:
                by_code.setdefault(p["project_code"], []).append(p)
        by_name: dict[tuple[str, str], list[dict]] = {}
        for p in _existing_by_name(ctx, sorted({(d.values["region_id"], d.values["name"]) for d in unique_rows})):
            if p["status"] != Status.VOIDED and p["id"] not in written:
                by_name.setdefault((p["region_id"], p["name"]), []).append(p)
        changeable = {p["id"] for ps in by_code.values() for p in ps if p["may_change"]}
        changeable |= {p["id"] for ps in by_name.values() for p in ps if p["may_change"]}

        creates = []
        for data in unique_rows:
            v = data.values
            code = v.get("project_code")
            holders = by_code.get(code, []) if code else []
            label = data.label("project_code")
            if len(holders) > 1:
                plan.errors.append(Issue(data.sheet, data.row, label, _(
                    "项目代码 {code} 已被多个项目使用（重复登记），请先在“项目代码重复”中更正").format(code=code),
                    data.col("project_code")))
                continue
            existing = holders[0] if holders else None
            if existing is not None and existing["id"] not in changeable:
                plan.errors.append(Issue(data.sheet, data.row, label,
                                         _("项目代码 {code} 已登记为您无权修改的项目（不在本次填报范围内）").format(
                                             code=code),
                                         data.col("project_code")))
                continue
            if existing is not None and existing["status"] == Status.VOIDED:
                message = _("项目代码 {code} 对应的项目已作废，不能通过导入修改").format(code=code)
                plan.errors.append(Issue(data.sheet, data.row, label, message, data.col("project_code")))
                continue
            if existing is None:
                candidates = [p for p in by_name.get((v["region_id"], v["name"]), [])
                              if p["id"] in changeable and not (code and p["project_code"])]
                if len(candidates) > 1:
                    plan.errors.append(Issue(data.sheet, data.row, data.label("name"),
                                             _("该地区已有多个同名项目，请填写项目代码以确定是哪一个"),
                                             data.col("name")))
                    continue
                existing = candidates[0] if candidates else None
            if existing is None:
                creates.append(data)
                continue
            if existing["id"] in self.matched:
                plan.errors.append(Issue(data.sheet, data.row, data.label("name"),
                                         _("与第{row}行对应同一个已有项目").format(row=self.matched[existing["id"]]),
                                         data.col("name")))
                continue
            self.matched[existing["id"]] = data.row
            update = _diff(existing, data, ctx, self.lk, plan)
            if update is None:
                plan.unchanged += 1
            elif update is not False:
                plan.updates.append(update)
        plan.creates.extend(creates)
        return creates

    def _unique(self, rows: list[RowData]) -> tuple[list[RowData], list[str]]:
        """The rows not repeating an earlier row of the file (repeats are errors), and their 项目代码."""
        unique_rows, codes = [], []
        for data in rows:
            v = data.values
            code, key = v.get("project_code"), (v["region_id"], v["name"])
            if code and code in self.seen_code:
                self.plan.errors.append(Issue(data.sheet, data.row, data.label("project_code"),
                                              _("项目代码 {code} 与第{row}行重复").format(
                                                  code=code, row=self.seen_code[code]),
                                              data.col("project_code")))
                continue
            if not code and key in self.seen_name:
                self.plan.errors.append(Issue(data.sheet, data.row, data.label("name"),
                                              _("与第{row}行是同一地区的同名项目，请合并或填写项目代码").format(
                                                  row=self.seen_name[key]),
                                              data.col("name")))
                continue
            if code:
                self.seen_code[code] = data.row
                codes.append(code)
            else:
                self.seen_name[key] = data.row
            unique_rows.append(data)
        return unique_rows, codes


def _candidates(ctx: ImportContext):
    """Projects with whether this import may change them and see them (the fields a re-import compares)."""
    may_change = Case(When(ctx.changeable_q(), then=Value(True)), default=Value(False), output_field=BooleanField())
    visible = Case(When(ctx.visible_q(), then=Value(True)), default=Value(False), output_field=BooleanField())
    return Project.objects.annotate(may_change=may_change, visible=visible).order_by()


EXISTING_FIELDS = ["id", "version", "status", *ATTRS, "may_change", "visible"]


def _existing_by_code(ctx: ImportContext, codes: list[str]) -> Iterator[dict]:
    if not codes:
        return
    if connection.vendor == "postgresql":  # one probe of the partial index a code
        yield from _fetch_joined(ctx, "{t}.project_code <> '' AND {t}.project_code IN "
                                      "(SELECT jsonb_array_elements_text(%s::jsonb))", codes)
        return
    chunk = chunk_size()
    for i in range(0, len(codes), chunk):
        yield from _candidates(ctx).filter(project_code__in=codes[i:i + chunk]).values(*EXISTING_FIELDS)


def _existing_by_name(ctx: ImportContext, keys: list[tuple[str, str]]) -> Iterator[dict]:
    """Projects whose (region code, name) is one of `keys`."""
    if not keys:
        return
    if connection.vendor == "postgresql":  # one probe of (region_id, name) a key, however big the ledger
        yield from _fetch_joined(ctx, "({t}.region_id, {t}.name) IN "
                                      "(SELECT k->>0, k->>1 FROM jsonb_array_elements(%s::jsonb) AS k)", keys)
        return
    names = sorted({name for _, name in keys})
    regions = sorted({region for region, _ in keys})
    base = _candidates(ctx)
    if len(regions) <= 200:
        base = base.filter(region_id__in=regions)
    chunk = chunk_size()
    for i in range(0, len(names), chunk):
        yield from base.filter(name__in=names[i:i + chunk]).values(*EXISTING_FIELDS)


def _fetch_joined(ctx: ImportContext, condition: str, keys: list) -> Iterator[dict]:
    """The keys travel as one JSON parameter: a list of 16,000 strings costs the client-side binding about
    20 ms to quote, its JSON text under 1 ms (the IN (SELECT …) lets the planner probe an index a key)."""
    table = f'"{Project._meta.db_table}"'
    where = RawSQL(condition.format(t=table), (json.dumps(keys, ensure_ascii=False),), output_field=BooleanField())
    sql, params = _candidates(ctx).filter(where).values_list(*EXISTING_FIELDS).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            found = dict(zip(EXISTING_FIELDS, row, strict=True))
            for attr in PERSONAL:  # raw rows: what EncryptedCharField.from_db_value does for the ORM
                found[attr] = crypto.decrypt(found[attr])
            yield found


def _same(old, new) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return old is not None and new is not None and Decimal(old) == Decimal(new)
    return old == new


def log_value(value):
    """Values as the change log stores them (see ledger.dictionary.snapshot): money as exact strings."""
    return str(value) if isinstance(value, Decimal) else value


def _diff(existing: dict, data: RowData, ctx: ImportContext, lk: nz.Lookups, plan: ImportPlan):
    """None when nothing changes, False when the change is refused (error recorded), else the change."""
    new = dict(data.values)
    # Blank cells do not wipe what is on record; the department follows a changed category unless given.
    if not data.department_given:
        if new.get("category_id") != existing["category_id"]:
            new["department_id"] = lk.category_default.get(new["category_id"])
        else:
            new.pop("department_id", None)
    before, after, final = {}, {}, {a: existing[a] for a in ATTRS}
    for attr, value in new.items():
        if attr in PERSONAL and pii.is_mask_of(PERSONAL[attr], value, existing[attr]):
            continue  # an exported (masked) contact read back unchanged
        if not _same(existing[attr], value):
            key = DICT_KEY.get(attr, attr)
            before[key], after[key] = log_value(existing[attr]), log_value(value)
            if attr in PERSONAL:  # the change log keeps personal values encrypted, as the table does
                before[key], after[key] = crypto.encrypt(before[key]), crypto.encrypt(after[key])
            final[attr] = value
    if not after:
        return None
    if message := investment_error(final["total_investment"], final["completed_investment"]):
        plan.errors.append(Issue(data.sheet, data.row, data.label("completed_investment"),
                                 _("导入后{message}，请同时填写总投资").format(message=message),
                                 data.col("completed_investment")))
        return False
    if ctx.departments is not None and final["department_id"] not in ctx.departments:
        plan.errors.append(Issue(data.sheet, data.row, data.label("department"), str(OTHER_LINE),
                                 data.col("department")))
        return False
    if final["classified"] and final["department_id"] not in ctx.classified_lines:
        plan.errors.append(Issue(data.sheet, data.row, data.label("classified"),
                                 str(CLASSIFIED_BY_OWNER), data.col("classified")))
        return False
    region = lk.regions[final["region_id"]]
    prefecture = region.prefecture
    return ProjectChange(
        id=existing["id"], version=existing["version"], values=final, before=before, after=after,
        name=final["name"], prefecture_id=prefecture.code if prefecture else None,
        region_changed="region_code" in after, unit_changed="responsible_unit" in after or "region_code" in after,
    )
