"""Writes to the ledger. One function per business action; each checks scope, changes state and records
the change in one transaction. Views, the API, the importer and the CLI call these and nothing else."""

from collections.abc import Iterator
from itertools import count, islice

from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from halfbuilt.accounts import scope
from halfbuilt.accounts.models import Organization, OrgKind
from halfbuilt.audit.services import record_change, reflag_history
from halfbuilt.core import pii
from halfbuilt.core.errors import Busy, ConflictError, NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.regions.models import Region

from . import rules
from .codes import announce_clashes, check_code_free
from .dictionary import PERSONAL, snapshot
from .models import Project
from .workflow import PROJECT_STATUS

EDITABLE_FIELDS = [
    "project_code", "name", "region", "address", "longitude", "latitude", "category", "department",
    "approval_level", "approval_date", "approval_doc", "high_impact", "high_impact_reason",
    "owner_unit", "owner_uscc", "content", "kind",
    "total_investment", "completed_investment", "funds_in_place", "unpaid_amount", "start_date",
    "stop_date", "completion_date", "causes", "responsible_unit", "responsible_person", "phone", "classified",
]


LEDGER_NO_LOCK = 0x4842_4C4E  # advisory lock serialising 台账编号 between every writer that hands them out
LEDGER_NO_LOCK_WAIT = "15s"  # how long a create waits behind an import before it says the database is busy


def lock_ledger_numbers() -> None:
    """Hold the 台账编号 lock until the transaction ends: forms, the API and imports hand numbers out one writer
    at a time, so none gets a number another is about to write. On SQLite every write transaction is already
    exclusive (BEGIN IMMEDIATE): a writer waits for the one before it up to the busy timeout (DB_BUSY_SECONDS),
    then gets OperationalError, which `core.errors.busy_as_message` and the pages, API and CLI make Busy."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute("SELECT current_setting('lock_timeout')")
        (previous,) = cur.fetchone()
        cur.execute("SELECT set_config('lock_timeout', %s, true)", [LEDGER_NO_LOCK_WAIT])
        try:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [LEDGER_NO_LOCK])
        except OperationalError as exc:  # lock_timeout: the transaction is aborted, the caller's atomic undoes it
            raise Busy() from exc
        cur.execute("SELECT set_config('lock_timeout', %s, true)", [previous])


CLASSIFIED_SERIES = "M"  # 涉密: classified projects are numbered apart, 150203-M00001 …


def ledger_numbers(region_code: str, classified: bool = False) -> Iterator[str]:
    """台账编号 of a region from the next free one on: the region code and a running number, e.g. 150203-00017.
    Classified projects have a series of their own (150203-M00001): nobody else's list shows a gap where one is."""
    prefix = f"{region_code}-{CLASSIFIED_SERIES if classified else ''}"
    # A range over numbers of one shape (not LIKE 'prefix%'), so the unique index serves it in any collation.
    last = (
        Project.objects.filter(ledger_no__gte=f"{prefix}00000", ledger_no__lte=f"{prefix}99999")
        .order_by("-ledger_no").values_list("ledger_no", flat=True).first()
    )
    start = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return (f"{prefix}{n:05d}" for n in count(start))


def next_ledger_numbers(region_code: str, how_many: int, classified: bool = False) -> list[str]:
    return list(islice(ledger_numbers(region_code, classified), how_many))


def renumber(project_ids: list[int]) -> None:
    """A project (de)classified after it was numbered moves to the other series, under the numbering lock: its
    new number shows nothing of where it was. (Its old number stays a gap in the series it left: classify at
    filing where possible.)"""
    if not project_ids:
        return
    lock_ledger_numbers()
    for project in Project.objects.filter(pk__in=project_ids).order_by("pk"):
        (number,) = next_ledger_numbers(project.region_id, 1, project.classified)
        Project.objects.filter(pk=project.pk).update(ledger_no=number)


def resolve_unit(name: str, region: Region) -> Organization | None:
    """The responsible unit named in the ledger, as an organization its staff can be given accounts in."""
    if not name:
        return None
    org, _ = Organization.objects.get_or_create(name=name, region=region, defaults={"kind": OrgKind.UNIT})
    return org


def check_rules(data: dict) -> dict[str, str]:
    """Cross-field rules of the data dictionary; returns {field: Chinese message}."""
    errors: dict[str, str] = {}
    if message := rules.investment_error(data.get("total_investment"), data.get("completed_investment")):
        errors["completed_investment"] = message
    code = data.get("project_code") or ""
    region = data.get("region")
    if code and region is not None and not Region.objects.filter(code=code[5:11]).exists():
        errors["project_code"] = _("项目代码的地区段 {code} 不是有效的行政区划代码").format(code=code[5:11])
    return errors


def _check_submit_scope(user, data: dict) -> None:
    region = data["region"]
    if not scope.can_submit_in(user, region):
        raise NotAllowed(_("您无权在“{region}”填报项目").format(region=region.full_name), field="region")
    lines = scope.submit_departments(user)
    department = data.get("department")
    if lines is not None and (department is None or department.code not in lines):
        raise NotAllowed(str(rules.OTHER_LINE), field="department")


def _apply(project: Project, data: dict) -> None:
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(project, field, data[field])
    project.prefecture = project.region.prefecture
    if "responsible_unit" in data:
        project.responsible_org = resolve_unit(project.responsible_unit, project.region)


@transaction.atomic
def project_create(*, actor: Actor, data: dict) -> Project:
    _check_submit_scope(actor.user, data)
    if errors := check_rules(data):
        field, message = next(iter(errors.items()))
        raise ServiceError(message, field=field)
    check_code_free(data.get("project_code") or "", None, actor.user)
    lock_ledger_numbers()
    project = Project(ledger_no=next_ledger_numbers(data["region"].code, 1, bool(data.get("classified")))[0])
    _apply(project, data)
    project.save()
    if not Project.objects.permits(actor.user, "view", project):
        raise NotAllowed(_("保存后的项目不在您的管辖范围内"))
    record_change(
        actor=actor, action="create", obj=project, before=None, after=snapshot(project),
        project_id=project.pk, classified=project.classified,
    )
    announce_clashes(actor=actor, codes=[project.project_code])
    return project


@transaction.atomic
def project_update(*, actor: Actor, project: Project, data: dict, version: int, reason: str = "") -> Project:
    """Save an edit made on `version`; refuse it when someone else saved in between (nothing is lost:
    the caller keeps the user's input and shows the current values)."""
    locked = Project.objects.lock_for(actor.user, "change", project.pk)
    if locked is None:
        raise NotAllowed(_("您无权修改该项目"))
    if locked.version != version:
        raise ConflictError(
            _("该项目已被 {editor} 修改（当前版本 {version}，您编辑的是版本 {yours}）。"
              "您填写的内容仍保留在表单中，请对照最新内容后重新保存。").format(
                editor=last_editor(locked), version=locked.version, yours=version)
        )
    # A masked contact sent back as read (an API client's GET then PATCH) leaves the stored one as it is.
    data = {key: value for key, value in data.items()
            if not (key in PERSONAL and pii.is_mask_of(PERSONAL[key], value, getattr(locked, key)))}
    if "region" in data and data["region"].code != locked.region_id:
        _check_submit_scope(actor.user, {**data, "department": data.get("department", locked.department)})
    if errors := check_rules({**_current(locked), **data}):
        field, message = next(iter(errors.items()))
        raise ServiceError(message, field=field)
    code_changed = "project_code" in data and (data["project_code"] or "") != locked.project_code
    if code_changed:  # a project already sharing its code (a clash) is still edited for its other fields
        check_code_free(data["project_code"] or "", locked.pk, actor.user)
    before, project_was_classified = snapshot(locked), locked.classified
    _apply(locked, data)
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    if not Project.objects.permits(actor.user, "view", locked):
        raise NotAllowed(_("修改后的项目将超出您的管辖范围"))
    record_change(
        actor=actor, action="update", obj=locked, before=before, after=snapshot(locked), reason=reason,
        project_id=locked.pk, classified=locked.classified,
    )
    if locked.classified != project_was_classified:
        reflag_history(project_ids=[locked.pk], classified=locked.classified)
        renumber([locked.pk])
        locked.refresh_from_db(fields=["ledger_no"])
    if code_changed:
        announce_clashes(actor=actor, codes=[locked.project_code])
    return locked


def _current(project: Project) -> dict:
    return {f: getattr(project, f) for f in EDITABLE_FIELDS}


def last_editor(project: Project) -> str:
    from halfbuilt.audit.models import ChangeLog

    entry = ChangeLog.objects.filter(project_id=project.pk, object_type="project").order_by("-id").first()
    return entry.username if entry else _("他人")


def project_transition(*, actor: Actor, project: Project, action: str, reason: str = "") -> Project:
    """confirm (纳入台账), reject (不予认定, reason required) or void (作废, reason required)."""
    return PROJECT_STATUS.perform(actor=actor, obj=project, action=action, comment=reason)
