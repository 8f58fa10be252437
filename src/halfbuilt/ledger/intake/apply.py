"""Write an ImportPlan all or nothing, following the house rules: one transaction, scope checked again,
a change-log row per created or updated project (the fields `record_change` writes, `batch` = the job).

PostgreSQL gets COPY for new projects and their log rows, and a temp table + UPDATE … FROM for changes;
other databases get bulk_create / bulk_update in batches. Per-row Python work is a tuple or two.
"""

import json
from collections import Counter

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from halfbuilt.accounts import scope
from halfbuilt.accounts.models import Organization, OrgKind
from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.errors import ConflictError, NotAllowed, ServiceError
from halfbuilt.ledger.dictionary import KEYS
from halfbuilt.ledger.models import Project, Stage, Status
from halfbuilt.ledger.services import next_ledger_numbers
from halfbuilt.regions.models import Region

from .plan import ATTRS, DICT_KEY, ImportContext, ImportPlan, chunk_size

NULLABLE = {"longitude", "latitude", "department_id", "total_investment", "completed_investment",
            "funds_in_place", "unpaid_amount"}
DEFAULTS = {a: (None if a in NULLABLE else "") for a in ATTRS} | {"classified": False}
# Keys whose values are Decimals in a create row (the rest are str, bool or None and go into JSON as they are).
MONEY_LOG_KEYS = ("longitude", "latitude", "total_investment", "completed_investment", "funds_in_place",
                  "unpaid_amount")
BATCH = 1000
LEDGER_NO_LOCK = 0x4842_4C4E  # advisory lock serialising ledger numbers between concurrent imports


class ApplyError(ServiceError):
    pass


def next_ledger_numbers_batch(counts: dict[str, int]) -> dict[str, list[str]]:
    """台账编号 for `count` new projects in each region: one indexed lookup per region, not per project."""
    return {code: next_ledger_numbers(code, n) for code, n in counts.items() if n}


def apply_plan(plan: ImportPlan, ctx: ImportContext, *, batch: str) -> dict:
    """Create and update what the plan says, or nothing at all. Returns the counts."""
    if plan.errors:
        raise ApplyError(f"文件有 {len(plan.errors)} 处错误，未导入任何数据")
    user = ctx.actor.user
    if user is not None and not scope.can_submit_in(user, ctx.region):
        raise NotAllowed(f"您无权在“{ctx.region.full_name}”填报项目")
    regions = {r.code: r for r in Region.objects.filter(code__in={c.values["region_id"] for c in plan.creates})}
    if any(not ctx.covers(regions[c.values["region_id"]]) for c in plan.creates):
        raise NotAllowed("导入的项目超出了您的填报范围")
    try:
        with transaction.atomic():
            now = timezone.now()
            postgres = connection.vendor == "postgresql"
            if postgres:
                with connection.cursor() as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", [LEDGER_NO_LOCK])
            rows = _create_rows(plan, regions)
            _attach_units(rows, plan)
            if postgres:
                _write_postgres(rows, plan, ctx, batch, now)
            else:
                _write_orm(rows, plan, ctx, batch, now)
    except IntegrityError as exc:
        raise ApplyError(
            "写入时与已有数据冲突（可能有人同时导入或登记了相同项目代码的项目），未导入任何数据，请重新导入"
        ) from exc
    return {"rows": plan.rows, "created": len(plan.creates), "updated": len(plan.updates),
            "unchanged": plan.unchanged, "errors": []}


def _create_rows(plan: ImportPlan, regions: dict[str, Region]) -> list[dict]:
    counts = Counter(c.values["region_id"] for c in plan.creates)
    numbers = {code: iter(nos) for code, nos in next_ledger_numbers_batch(counts).items()}
    rows = []
    for create in plan.creates:
        row = create.values = DEFAULTS | create.values  # replaces the plan's dict: one copy of each row, not two
        region = regions[row["region_id"]]
        prefecture = region.prefecture
        row["ledger_no"] = next(numbers[region.code])
        row["status"] = Status.CANDIDATE.value
        row["stage"] = Stage.NONE.value
        row["prefecture_id"] = prefecture.code if prefecture else None
        rows.append(row)
    return rows


def _attach_units(rows: list[dict], plan: ImportPlan) -> None:
    """The responsible unit named in each row, as an organization (created once per name and region)."""
    wanted = {(r["responsible_unit"], r["region_id"]) for r in rows if r["responsible_unit"]}
    wanted |= {(u.values["responsible_unit"], u.values["region_id"]) for u in plan.updates
               if u.unit_changed and u.values["responsible_unit"]}
    ids = _unit_ids(wanted)
    for row in rows:
        row["responsible_org_id"] = ids.get((row["responsible_unit"], row["region_id"]))
    for update in plan.updates:
        if update.unit_changed:
            update.values["responsible_org_id"] = ids.get((update.values["responsible_unit"],
                                                          update.values["region_id"]))


def _unit_ids(wanted: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    if not wanted:
        return {}
    names = sorted({n for n, _ in wanted})
    chunk = chunk_size()

    def existing() -> dict:
        found = {}
        for i in range(0, len(names), chunk):
            for name, region_id, pk in Organization.objects.filter(name__in=names[i:i + chunk]).values_list(
                "name", "region_id", "pk"
            ):
                found[(name, region_id)] = pk
        return found

    found = existing()
    missing = [Organization(name=n, region_id=r, kind=OrgKind.UNIT) for n, r in wanted if (n, r) not in found]
    if missing:
        Organization.objects.bulk_create(missing, batch_size=BATCH, ignore_conflicts=True)
        found = existing()
    return found


# Dictionary key → the create row's attribute, in snapshot order.
_LOG_SOURCES = [(key, {v: k for k, v in DICT_KEY.items()}.get(key, key)) for key in KEYS]


def _create_log(row: dict) -> dict:
    """What `snapshot()` records for a new project (money as exact strings, as `log_value` does)."""
    log = {key: row[attr] for key, attr in _LOG_SOURCES}
    for key in MONEY_LOG_KEYS:
        if log[key] is not None:
            log[key] = str(log[key])
    return log


def _log_common(ctx: ImportContext, batch: str) -> dict:
    actor = ctx.actor
    return {"user_id": actor.user.pk if actor.user else None, "username": actor.username,
            "ip": actor.ip or None, "via": actor.via, "reason": "", "batch": batch}


# -- PostgreSQL: COPY ------------------------------------------------------------------------------------

PROJECT_COLUMNS = ["id", "ledger_no", *ATTRS, "prefecture_id", "responsible_org_id", "status", "status_reason",
                   "version", "created_at", "updated_at", "stage"]
LOG_COLUMNS = ["at", "user_id", "username", "ip", "via", "action", "object_type", "object_id", "object_repr",
               "project_id", "classified", "before", "after", "reason", "batch"]


def _write_postgres(rows: list[dict], plan: ImportPlan, ctx: ImportContext, batch: str, now) -> None:
    connection.ensure_connection()
    raw = connection.connection  # the psycopg connection, inside Django's transaction
    project_table = Project._meta.db_table
    log_table = ChangeLog._meta.db_table
    c = _log_common(ctx, batch)
    who = (now, c["user_id"], c["username"], c["ip"], c["via"])
    stage = Project._meta.get_field("stage").get_default()
    with raw.cursor() as cur:
        if rows:
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [project_table, len(rows)],
            )
            ids = [r[0] for r in cur.fetchall()]
            tail = (Status.CANDIDATE.value, "", 1, now, now, stage)
            with cur.copy(f"COPY {project_table} ({', '.join(PROJECT_COLUMNS)}) FROM STDIN") as copy:
                for pk, row in zip(ids, rows, strict=True):
                    row["id"] = pk
                    copy.write_row((pk, row["ledger_no"], *[row[a] for a in ATTRS], row["prefecture_id"],
                                    row["responsible_org_id"], *tail))
        if plan.updates:
            _update_postgres(cur, plan, now)
        if rows or plan.updates:
            # Log rows are made while they are copied, never held all at once (one JSON text each).
            with cur.copy(f"COPY {log_table} ({', '.join(LOG_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*who, "import_create", "project", row["id"], row["name"][:200], row["id"],
                                    row["classified"], None, json.dumps(_create_log(row), ensure_ascii=False),
                                    "", batch))
                for u in plan.updates:
                    copy.write_row((*who, "import_update", "project", u.id, u.name[:200], u.id,
                                    u.values["classified"], json.dumps(u.before, ensure_ascii=False),
                                    json.dumps(u.after, ensure_ascii=False), "", batch))


def _update_postgres(cur, plan: ImportPlan, now) -> None:
    table = Project._meta.db_table
    temp = "import_update"
    columns = ["id", "old_version", *ATTRS, "prefecture_id", "responsible_org_id", "unit_changed"]
    cur.execute(f"DROP TABLE IF EXISTS {temp}")
    cur.execute(
        f"CREATE TEMP TABLE {temp} ON COMMIT DROP AS SELECT id, version AS old_version, {', '.join(ATTRS)}, "
        f"prefecture_id, responsible_org_id, false AS unit_changed FROM {table} WITH NO DATA"
    )
    with cur.copy(f"COPY {temp} ({', '.join(columns)}) FROM STDIN") as copy:
        for u in plan.updates:
            copy.write_row((u.id, u.version, *[u.values[a] for a in ATTRS], u.prefecture_id,
                            u.values.get("responsible_org_id"), u.unit_changed))
    assignments = ", ".join(f"{a} = t.{a}" for a in ATTRS)
    cur.execute(
        f"UPDATE {table} AS p SET {assignments}, prefecture_id = t.prefecture_id, "
        f"responsible_org_id = CASE WHEN t.unit_changed THEN t.responsible_org_id ELSE p.responsible_org_id END, "
        f"version = p.version + 1, updated_at = %s FROM {temp} AS t WHERE p.id = t.id AND p.version = t.old_version",
        [now],
    )
    if cur.rowcount != len(plan.updates):
        raise ConflictError("导入期间有项目被他人修改，未导入任何数据，请重新导入以核对最新内容")


# -- other databases: bulk_create / bulk_update ---------------------------------------------------------

def _write_orm(rows: list[dict], plan: ImportPlan, ctx: ImportContext, batch: str, now) -> None:
    common = _log_common(ctx, batch)
    logs = []
    projects = [Project(**row, version=1) for row in rows]
    Project.objects.bulk_create(projects, batch_size=BATCH)
    for project, row in zip(projects, rows, strict=True):
        logs.append(ChangeLog(**common, action="import_create", object_type="project", object_id=project.pk,
                              object_repr=row["name"][:200], project_id=project.pk, classified=row["classified"],
                              before=None, after=_create_log(row)))
    if plan.updates:
        current = {}
        ids = [u.id for u in plan.updates]
        chunk = chunk_size()
        for i in range(0, len(ids), chunk):
            for pk, version, org_id in Project.objects.filter(pk__in=ids[i:i + chunk]).values_list(
                "pk", "version", "responsible_org_id"
            ):
                current[pk] = (version, org_id)
        objects = []
        for u in plan.updates:
            version, org_id = current.get(u.id, (None, None))
            if version != u.version:
                raise ConflictError("导入期间有项目被他人修改，未导入任何数据，请重新导入以核对最新内容")
            fields = {a: u.values[a] for a in ATTRS}
            objects.append(Project(
                pk=u.id, **fields, prefecture_id=u.prefecture_id, version=version + 1, updated_at=now,
                responsible_org_id=u.values.get("responsible_org_id") if u.unit_changed else org_id,
            ))
            logs.append(ChangeLog(**common, action="import_update", object_type="project", object_id=u.id,
                                  object_repr=u.name[:200], project_id=u.id, classified=u.values["classified"],
                                  before=u.before, after=u.after))
        Project.objects.bulk_update(
            objects, [*ATTRS, "prefecture_id", "responsible_org_id", "version", "updated_at"], batch_size=BATCH
        )
    ChangeLog.objects.bulk_create(logs, batch_size=BATCH)
