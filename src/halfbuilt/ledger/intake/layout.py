"""How counties lay their rows out, beyond one project a row: a value merged down over several projects,
section rows ("一、未完工停建项目（6个）") that give the kind of the rows below them, and subtotal rows named
after a county or a category ("东胜区小计").

Each is cheap where it does not occur: merged cells cost a dict hit a row only when the sheet has merged
ranges in its data, and a row is tried as a section heading only once it has failed as a project."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from halfbuilt.ledger.rules import compact

from . import normalize as nz
from .words import NUMBER_RE, SECTION_RE, TOTAL_CHAR, TOTAL_END, TOTAL_STARTS

Cover = list[tuple[int, int]]  # (column, row of the merged range's first cell), for one covered row


def merged_fills(merged: list[tuple[int, int, int, int]], data_start: int) -> dict[int, Cover]:
    """Row index → the cells it gets from a range merged down over it. Only ranges that begin among the data
    rows: a header cell merged down belongs to the header. A range over several columns keeps its value in
    its first column, as each of its rows would if it were not merged down."""
    fills: dict[int, Cover] = {}
    for r0, c0, r1, _c1 in merged:
        if r0 >= data_start:
            for r in range(r0 + 1, r1 + 1):
                fills.setdefault(r, []).append((c0, r0))
    return fills


def filled(raw: list, cover: Cover, rows: Sequence[list]) -> list:
    """A copy of `raw` with its merged-over cells holding the range's value (the sheet's rows stay as read)."""
    row = list(raw)
    for col, origin in cover:
        source = rows[origin]
        value = source[col] if col < len(source) else None
        if value is None or value == "":
            continue
        if col >= len(row):
            row.extend([""] * (col + 1 - len(row)))
        if row[col] is None or row[col] == "":
            row[col] = value
    return row




@dataclass
class Section:
    kind: str
    text: str  # as written, cleaned
    row: int  # as the spreadsheet shows it
    col: int
    count: int | None  # the number of projects it states, if any
    found: int = 0  # project rows seen under it


def section_of(raw: list, row_no: int) -> Section | None:
    """The section a row heads, or None. A heading is one phrase naming a kind (its numbering and its count may
    stand in cells of their own); any other filled cell must be a number (a serial, or the section's totals)."""
    texts: list[tuple[int, str]] = []  # (column, cell as written)
    for i, value in enumerate(raw):
        if value is None or value == "" or type(value) in (int, float):
            continue
        if not isinstance(value, str):
            return None  # a date or a boolean: a project's cell
        text = compact(value)
        if not text or NUMBER_RE.fullmatch(text):
            continue
        if len(texts) == 3:  # numbering, phrase and count at most
            return None
        texts.append((i, value))
    match = SECTION_RE.fullmatch("".join(compact(v) for _col, v in texts)) if texts else None
    if match is None or (kind := nz.kind_phrase(match.group("kind"))) is None:
        return None
    count = match.group("count")
    written = " ".join(" ".join(v.split()) for _col, v in texts)
    return Section(kind, written, row_no, texts[0][0], int(count) if count else None)


def count_warning(section: Section) -> str | None:
    if section.count is None or section.count == section.found:
        return None
    return _("分组“{text}”注明{count}个项目，其下实际有{found}个项目，请核对").format(
        text=section.text, count=section.count, found=section.found)




def is_total(text: str) -> bool:
    """A compacted label that marks a total or subtotal row rather than a project."""
    return text.startswith(TOTAL_STARTS) or (TOTAL_CHAR in text and TOTAL_END.search(text) is not None)
