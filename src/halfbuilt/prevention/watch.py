"""The stall watch (事中预警): a progress feed imported all or nothing, its rows flagged by the office's thresholds,
each flag reconciled against the ledger, and put on the ledger by a person with one action (never automatically),
the source recorded: the ledger's create entry says it came in by the stall watch (via), and names the feed's file
and row.

Rules (months counted between calendar months; a date known only to the year counts from its last month):
- no progress: started, not completed, and the last month with completed investment (else the start) is
  `no_progress_months` or more months before the feed's month;
- past planned completion: not completed, and the feed's date is past the planned completion's last day plus
  `overdue_months` months;
- completed but not in use: completed, no 投用 date, `idle_months` or more months ago.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from halfbuilt.audit.services import record_change
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger import services as ledger_services
from halfbuilt.ledger.models import Kind
from halfbuilt.regions.models import Category

from . import feed as feed_reader
from . import reconcile
from .models import FeedImport, FlagReason, FlagStatus, ProposalStatus, ProposedProject, StallFlag, WatchSettings
from .scope import is_office

VIA = "stall_watch"  # Actor.via of what the watch puts on the ledger (audit registry: 停建预警)


def _month_index(partial: str, last: bool) -> int | None:
    """Months since year 0 of a partial date; a year alone is its January (or December when `last`)."""
    if not partial:
        return None
    year = int(partial[:4])
    month = int(partial[5:7]) if len(partial) >= 7 else (12 if last else 1)
    return year * 12 + month - 1


def _end_day(partial: str) -> dt.date:
    year = int(partial[:4])
    if len(partial) >= 10:
        return dt.date.fromisoformat(partial)
    month = int(partial[5:7]) if len(partial) >= 7 else 12
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


@dataclass(frozen=True)
class Finding:
    reason: str
    text: str
    months: int = 0


def findings(row: feed_reader.FeedRow, as_of: dt.date, limits: WatchSettings) -> list[Finding]:
    """What the watch says of one feed row on `as_of`, the most pressing first (idle, overdue, no progress)."""
    d = row.dates
    now = as_of.year * 12 + as_of.month - 1
    found: list[Finding] = []
    if d.get("completed") and not d.get("in_use"):
        months = now - _month_index(d["completed"], last=True)
        if months >= limits.idle_months:
            found.append(Finding(FlagReason.IDLE, _("{date}竣工，{months} 个月未投入使用").format(
                date=d["completed"], months=months), months))
    if not d.get("completed") and d.get("planned_completion"):
        due = _add_months(_end_day(d["planned_completion"]), limits.overdue_months)
        if as_of > due:
            found.append(Finding(FlagReason.OVERDUE, _("计划 {date} 竣工，至 {today} 仍未竣工").format(
                date=d["planned_completion"], today=as_of.isoformat()), now - _month_index(d["planned_completion"],
                                                                                       last=True)))
    if d.get("started") and not d.get("completed"):
        invested = [m for m, amount in row.months.items() if amount > 0]
        last = max(invested) if invested else None
        since = _month_index(last, last=False) if last else _month_index(d["started"], last=True)
        months = now - since
        if months >= limits.no_progress_months:
            what = _("最近一次完成投资在 {month}").format(month=last) if last else _("开工后没有完成投资")
            stop = _("，{date}报告停工").format(date=d["stopped"]) if d.get("stopped") else ""
            found.append(Finding(FlagReason.NO_PROGRESS, _("{what}，已 {months} 个月无进展{stop}").format(
                what=what, months=months, stop=stop), months))
    return found


@transaction.atomic
def import_feed(*, actor: Actor, path: Path, name: str, as_of: dt.date | None = None) -> tuple[FeedImport | None,
                                                                                               list]:
    """(the import, []) or (None, every error) when a row is wrong: then nothing is written."""
    if not is_office(actor.user):
        raise NotAllowed(_("只有领导小组办公室可以导入进度数据"))
    as_of = as_of or timezone.localdate()
    if as_of > timezone.localdate():
        raise ServiceError(_("数据截至日期不能晚于今天"), field="as_of")
    read = feed_reader.read(path, name=name)
    if read.errors:
        return None, read.errors
    limits = WatchSettings.current()
    feed = FeedImport.objects.create(uploaded_by=actor.user, original_name=name[:200], as_of=as_of,
                                     rows=len(read.rows))
    flagged = [(row, found) for row in read.rows if (found := findings(row, as_of, limits))]
    matches = reconcile.reconcile(actor.user, [reconcile.ListRow(n, row.project_code, row.name, row.region_code)
                                               for n, (row, _found) in enumerate(flagged)])
    codes = {row.project_code for row, _found in flagged if row.project_code}
    proposals = dict(ProposedProject.objects.filter(project_code__in=codes, status=ProposalStatus.APPROVED)
                     .values_list("project_code", "pk"))
    flags = []
    for n, (row, found) in enumerate(flagged):
        match = matches.get(n)
        flags.append(StallFlag(
            feed=feed, row=row.row, project_code=row.project_code, name=row.name, region_id=row.region_code,
            category_id=row.category, reason=found[0].reason, detail="；".join(f.text for f in found)[:300],
            facts={"sheet": row.sheet, "dates": row.dates, "months": {k: str(v) for k, v in row.months.items()},
                   "reasons": [f.reason for f in found]},
            total_investment=row.total_investment, completed_investment=sum(row.months.values(), Decimal(0)) or None,
            ledger_project_id=match.project_id if match else None, match_how=match.how if match else "",
            proposal_id=proposals.get(row.project_code)))
    StallFlag.objects.bulk_create(flags)
    feed.flagged = len(flags)
    feed.save(update_fields=["flagged"])
    record_change(actor=actor, action="feed_import", obj=feed, before=None,
                  after={"rows": feed.rows, "flagged": feed.flagged, "as_of": as_of.isoformat()})
    return feed, []


def _locked_flag(actor: Actor, flag: StallFlag | int, version: int | None) -> StallFlag:
    pk = flag.pk if isinstance(flag, StallFlag) else flag
    locked = StallFlag.objects.restrict(actor.user).select_for_update().filter(pk=pk).first()
    if locked is None:
        raise NotAllowed(_("该预警不存在，或您无权查看"))
    if locked.status != FlagStatus.OPEN:
        raise ServiceError(_("该预警已处理（{state}）").format(state=locked.get_status_display()))
    if version is not None and locked.version != version:
        raise ServiceError(_("该预警已被他人处理，请刷新后再操作"))
    return locked


def source_text(flag: StallFlag) -> str:
    return _("停建预警：进度数据《{file}》第 {row} 行（数据截至 {as_of}）").format(
        file=flag.feed.original_name, row=flag.row, as_of=flag.feed.as_of.isoformat())


@transaction.atomic
def add_to_ledger(*, actor: Actor, flag: StallFlag | int, category: Category, version: int | None = None):
    """Put a flagged work on the ledger as a candidate (待核实) for its department to confirm: one action."""
    locked = _locked_flag(actor, flag, version)
    if locked.ledger_project_id:
        raise ServiceError(_("该项目已在台账中，无需列入"))
    d = locked.facts.get("dates", {})
    data = {
        "name": locked.name, "project_code": locked.project_code, "region": locked.region, "category": category,
        "department": category.default_department, "kind": Kind.IDLE if locked.reason == FlagReason.IDLE
        else Kind.STALLED, "total_investment": locked.total_investment,
        "completed_investment": locked.completed_investment if locked.total_investment is not None else None,
        "start_date": d.get("started", ""), "stop_date": d.get("stopped", ""),
        "completion_date": d.get("completed", ""), "causes": locked.detail,
    }
    watcher = Actor(user=actor.user, ip=actor.ip, via=VIA)
    project = ledger_services.project_create(actor=watcher, data=data)
    before = {"flag_status": locked.get_status_display()}
    locked.status, locked.ledger_project = FlagStatus.ADDED, project
    locked.handled_by, locked.handled_at, locked.note = actor.username, timezone.now(), source_text(locked)[:500]
    locked.version += 1
    locked.save()
    record_change(actor=watcher, action="flag_add", obj=locked, before=before,
                  after={"flag_status": locked.get_status_display(), "ledger_no": project.ledger_no},
                  reason=source_text(locked), project_id=project.pk, classified=project.classified)
    return project


@transaction.atomic
def dismiss(*, actor: Actor, flag: StallFlag | int, reason: str, version: int | None = None) -> StallFlag:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("排除预警须填写理由"), field="reason")
    locked = _locked_flag(actor, flag, version)
    before = {"flag_status": locked.get_status_display()}
    locked.status, locked.handled_by, locked.handled_at = FlagStatus.DISMISSED, actor.username, timezone.now()
    locked.note, locked.version = reason[:500], locked.version + 1
    locked.save()
    record_change(actor=actor, action="flag_dismiss", obj=locked, before=before,
                  after={"flag_status": locked.get_status_display()}, reason=reason)
    return locked
