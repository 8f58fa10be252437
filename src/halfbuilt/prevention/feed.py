"""Reading the investment project platform's progress export (.xlsx/.xls/.csv) with the ledger importer's reader and
its limits: every row checked, every error named by sheet, row and column at once; nothing is kept unless all rows
are valid (watch.import_feed writes them in one transaction).

Columns (the header row is among the first ten): 项目代码, 项目名称, 所在地区 (code or name), 项目类别 (optional),
计划开工/计划竣工, 开工/停工/竣工 (the dates of the start, stop and completion reports), 投用 (optional), 总投资, and
one column per month of completed investment headed like 2026-03, 2026年3月 or 2026年3月完成投资
(万元).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.ledger import rules
from halfbuilt.ledger.intake.normalize import Lookups, to_date
from halfbuilt.ledger.intake.plan import Issue
from halfbuilt.ledger.intake.reader import ReadError, Sheet, read_workbook

from .headers import FEED_HEADERS, MONTH_HEADER

# key → the header as the template and the messages name it (the names exports use are in headers.py).
COLUMNS: dict[str, str] = {
    "project_code": gettext_lazy("项目代码"), "name": gettext_lazy("项目名称"), "region": gettext_lazy("所在地区"),
    "category": gettext_lazy("项目类别"), "planned_start": gettext_lazy("计划开工"),
    "planned_completion": gettext_lazy("计划竣工"), "started": gettext_lazy("开工"), "stopped": gettext_lazy("停工"),
    "completed": gettext_lazy("竣工"), "in_use": gettext_lazy("投用"),
    "total_investment": gettext_lazy("总投资（万元）"), "state": gettext_lazy("状态"),
}
REQUIRED = ("name", "region")
HEADER_SCAN = 10
DATE_KEYS = ("planned_start", "planned_completion", "started", "stopped", "completed", "in_use")


@dataclass
class FeedRow:
    sheet: str
    row: int
    name: str
    region_code: str
    project_code: str = ""
    category: str | None = None
    dates: dict[str, str] = field(default_factory=dict)  # key → partial ISO date
    total_investment: Decimal | None = None
    months: dict[str, Decimal] = field(default_factory=dict)  # "YYYY-MM" → that month's completed investment
    state: str = ""  # a list's own word for the work's state (停建, 在建 …)


@dataclass
class Feed:
    rows: list[FeedRow] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _key(header) -> str | None:
    text = re.sub(r"[\s*＊]", "", _text(header))
    for key, names in FEED_HEADERS.items():
        if text in names:
            return key
    return None


def _month(header) -> str | None:
    value = header
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    found = MONTH_HEADER.match(re.sub(r"\s", "", _text(header)))
    if found and 1 <= int(found.group(2)) <= 12:
        return f"{int(found.group(1)):04d}-{int(found.group(2)):02d}"
    return None


def _header(sheet: Sheet) -> tuple[int, dict[str, int], dict[str, int]] | None:
    for index, row in enumerate(sheet.rows[:HEADER_SCAN]):
        keys: dict[str, int] = {}
        months: dict[str, int] = {}
        for col, cell in enumerate(row):
            if (key := _key(cell)) and key not in keys:
                keys[key] = col
            elif month := _month(cell):
                months.setdefault(month, col)
        if "name" in keys and ("region" in keys or len(keys) + len(months) >= 3):
            return index, keys, months
    return None


def label(key: str) -> str:
    return str(COLUMNS[key])


def read(path: Path, ext: str | None = None, name: str | None = None) -> Feed:
    """Check every row; ReadError when the file cannot be read at all (or holds no feed)."""
    feed, lookups, headed, counted = Feed(), Lookups.load(), False, 0
    limit = settings.IMPORT_MAX_ROWS
    for sheet in read_workbook(path, ext, name):
        found = _header(sheet)
        if found is None:
            continue
        headed = True
        head, keys, months = found
        missing = [k for k in REQUIRED if k not in keys]
        for key in missing:
            feed.errors.append(Issue(sheet.name, head + 1, label(key), _("缺少“{column}”列").format(column=label(key))))
        if missing:
            continue
        for index in range(head + 1, len(sheet.rows)):
            cells = sheet.rows[index]
            values = {k: cells[c] if c < len(cells) else None for k, c in keys.items()}
            monthly = {m: cells[c] if c < len(cells) else None for m, c in months.items()}
            if not any(_text(v) for v in (*values.values(), *monthly.values())):
                continue
            counted += 1
            if counted > limit:
                raise ReadError(_("一次最多导入 {count} 行，请分成几个文件").format(count=limit))
            _check_row(feed, sheet.name, index + 1, values, monthly, keys, months, lookups)
    if not headed:
        raise ReadError(_("文件中没有找到表头：须有“项目名称”“所在地区”等列"))
    if not feed.rows and not feed.errors:
        raise ReadError(_("文件中没有项目"))
    return feed


def _check_row(feed: Feed, sheet: str, number: int, values: dict, monthly: dict, keys: dict, months: dict,
               lookups: Lookups) -> None:
    errors: list[Issue] = []

    def fail(column: str, message: str, col: int | None) -> None:
        errors.append(Issue(sheet, number, column, message, col))

    name = rules.clean_text(values.get("name"))
    if not name:
        fail(label("name"), _("“项目名称”不能为空"), keys["name"])
    elif len(name) > 200:
        fail(label("name"), _("项目名称不能超过 200 字"), keys["name"])
    region = None
    try:
        region = lookups.region(values.get("region"))
        if region is None:
            fail(label("region"), _("“所在地区”不能为空"), keys["region"])
    except ValueError as exc:
        fail(label("region"), str(exc), keys["region"])
    code = ""
    if "project_code" in keys:
        try:
            code = rules.check_project_code(values.get("project_code"), set(lookups.regions))
        except ValueError as exc:
            fail(label("project_code"), str(exc), keys["project_code"])
    category = None
    if "category" in keys and _text(values.get("category")):
        try:
            category = lookups.category(values.get("category"))
        except ValueError as exc:
            fail(label("category"), str(exc), keys["category"])
    dates: dict[str, str] = {}
    for key in DATE_KEYS:
        if key in keys:
            try:
                if value := to_date(values.get(key)):
                    dates[key] = value
            except ValueError as exc:
                fail(label(key), str(exc), keys[key])
    total = None
    if "total_investment" in keys:
        try:
            total = rules.parse_money(values.get("total_investment"))
        except ValueError as exc:
            fail(label("total_investment"), str(exc), keys["total_investment"])
    amounts: dict[str, Decimal] = {}
    for month, value in monthly.items():
        try:
            amount = rules.parse_money(value)
        except ValueError as exc:
            fail(month, str(exc), months[month])
            continue
        if amount is not None:
            amounts[month] = amount
    if errors:
        feed.errors.extend(errors)
        return
    state = rules.clean_text(values.get("state"))[:50]
    feed.rows.append(FeedRow(sheet, number, name, region.code, code, category, dates, total,
                             dict(sorted(amounts.items())), state))
