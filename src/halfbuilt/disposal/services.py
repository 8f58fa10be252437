"""Writes to plans (一项目一方案). One function per business action; each locks the project, then the plan, and
checks the action and the user's scope in the plan's table (`workflow.PLAN_REVIEW`), changes state and records
the change in one transaction.

Revision of a confirmed plan (decided here, see docs): a reason is required, the plan as it stood is kept as a
`PlanRevision` with the changed fields, and `revision` goes up by one. A change of method, deadline or measures
changes what will be done, so it goes back through review (status → submitted: department, then office);
a change of people only (lead unit, responsible person and phone, cooperating units, leader) is recorded and the
plan stays confirmed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.audit.services import record_change
from halfbuilt.core import crypto, inputs
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.files.models import Attachment
from halfbuilt.ledger.contacts import PLAN_PERSONAL
from halfbuilt.ledger.models import Project, Stage, Status
from halfbuilt.ledger.stages import move_stage

from . import methods
from .models import Method, Milestone, Plan, PlanRevision, PlanStatus, Procedure, ProcedureKind
from .records import COMMON_FIELDS, log_snapshot, plan_record
from .workflow import PLAN_REVIEW, REVIEW_ACTIONS

REQUIRED = {
    "method": gettext_lazy("处置方式"), "lead_unit": gettext_lazy("主责单位"),
    "responsible_person": gettext_lazy("责任人"), "deadline": gettext_lazy("完成时限"),
}
MAX_LENGTHS = {f.name: f.max_length for f in Plan._meta.fields if f.name in COMMON_FIELDS and f.max_length}
TEXT_MAX = 5000  # the plan's long texts (introduction, problems, measures)
REVISABLE = [
    "method", "measures", "deadline", "lead_unit", "responsible_person", "responsible_phone", "cooperating_units",
    "leader_in_charge",
]
REVIEW_AGAIN = {"method", "deadline", "measures"}


# --- reading helpers ------------------------------------------------------------------------------

S = PlanStatus


def _save(plan: Plan, fields: list[str]) -> Plan:
    PLAN_REVIEW.save(plan, fields)
    return plan


def _log(actor: Actor, action: str, obj, plan: Plan, before, after, reason: str = "") -> None:
    record_change(
        actor=actor, action=action, obj=obj, before=before, after=after, reason=reason,
        project_id=plan.project_id, classified=plan.project.classified,
    )


def _clean_common(data: dict, current: Plan | None) -> dict:
    """Trimmed text, required parts present, lengths within the columns, the deadline a date."""
    clean: dict = {}
    for field in COMMON_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field == "deadline":
            if isinstance(value, str) and value.strip():
                try:
                    value = dt.date.fromisoformat(value.strip())
                except ValueError:
                    raise ServiceError(
                        _("完成时限“{value}”不是有效日期，应写作 2023-12-31").format(value=value), field="deadline",
                    ) from None
            elif not isinstance(value, dt.date):
                value = None
        else:
            limit = MAX_LENGTHS.get(field, TEXT_MAX)
            value = inputs.text(value, field=field, label=str(Plan._meta.get_field(field).verbose_name), limit=limit)
        clean[field] = value
    for field, label in REQUIRED.items():
        value = clean[field] if field in clean else (getattr(current, field) if current else None)
        if value in (None, ""):
            raise ServiceError(inputs.required_message(label), field=field)
    return clean


def _apply(plan: Plan, clean: dict, facts: dict | None) -> list[str]:
    """Set the cleaned parts and facts; returns the fields that changed."""
    changed = []
    for field, value in clean.items():
        if getattr(plan, field) != value:
            setattr(plan, field, value)
            changed.append(field)
    if facts is not None and facts != plan.facts:
        plan.facts = facts
        changed.append("facts")
    return changed


def _facts_for(plan: Plan, clean: dict, data: dict) -> dict | None:
    """The new facts when the method or the facts are given; facts kept by the system carry over within a method."""
    method = clean.get("method", plan.method)
    if method not in methods.METHODS:
        methods.rules_for(method)  # raises the Chinese message
    if "facts" not in data and method == plan.method:
        return None
    previous = plan.facts if method == plan.method else None
    raw = data.get("facts") if "facts" in data else {}
    if raw is not None and not isinstance(raw, dict):
        raise ServiceError(_("处置方式要素 facts 应为 JSON 对象"), field="facts")
    return methods.clean_facts(method, raw, previous)


# --- the plan -------------------------------------------------------------------------------------

@transaction.atomic
def plan_create(*, actor: Actor, project: Project, data: dict) -> Plan:
    """Draft the project's plan (unit or its region); the project moves to the planning stage."""
    locked = Project.objects.lock_for(actor.user, "plan_draft", project.pk)
    if locked is None:
        raise NotAllowed(_("您无权为该项目制定处置方案（由责任单位或属地政府草拟）"))
    if locked.status != Status.IN_LEDGER:
        raise ServiceError(
            _("项目当前为“{status}”，纳入台账后才能制定处置方案").format(status=locked.get_status_display()),
        )
    if Plan.objects.filter(project=locked).exists():
        raise ServiceError(_("该项目已有处置方案，一个项目只能有一个现行方案；请修改现有方案"))
    plan = Plan(project=locked)
    clean = _clean_common(data, None)
    facts = methods.clean_facts(clean["method"], data.get("facts") or {})
    _apply(plan, clean, facts)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise ServiceError(_("该项目已有处置方案，一个项目只能有一个现行方案；请修改现有方案")) from None
    _log(actor, "plan_create", plan, plan, None, log_snapshot(plan))
    move_stage(actor=actor, project=locked, to=Stage.PLANNING, reason=_("制定处置方案"))
    return plan


@transaction.atomic
def plan_update(*, actor: Actor, plan: Plan, data: dict, version: int, reason: str = "") -> Plan:
    """Edit a draft or returned plan. On a confirmed plan only the method's facts and the descriptions change
    here; its method, deadline, measures and people change by `plan_revise`."""
    locked = PLAN_REVIEW.begin(actor=actor, obj=plan, action="update", version=version).obj
    if locked.status == S.CONFIRMED:
        blocked = [f for f in REVISABLE if f in data and _differs(locked, f, data[f])]
        if blocked:
            labels = "、".join(str(Plan._meta.get_field(f).verbose_name) for f in blocked)
            raise ServiceError(
                _("方案已确认，修改{labels}须通过“修订方案”并说明理由").format(labels=labels), field=blocked[0],
            )
    before = log_snapshot(locked)
    clean = _clean_common(data, locked)
    facts = _facts_for(locked, clean, data)
    changed = _apply(locked, clean, facts)
    if not changed:
        return locked
    _save(locked, changed)
    _log(actor, "plan_update", locked, locked, before, log_snapshot(locked), reason)
    return locked


def _differs(plan: Plan, field: str, value) -> bool:
    current = getattr(plan, field)
    if field == "deadline":
        return str(current) != str(value)
    return (current or "") != ((value or "").strip() if isinstance(value, str) else value)


def plan_transition(*, actor: Actor, plan: Plan, action: str, comment: str = "", version: int | None = None) -> Plan:
    """submit (unit/region), return (department when submitted, office when approved; comment required),
    approve (department), confirm (office; the project moves to disposing): the rows of `PLAN_REVIEW`."""
    if action not in REVIEW_ACTIONS:
        raise ServiceError(_("未知操作：{action}").format(action=action))
    return PLAN_REVIEW.perform(actor=actor, obj=plan, action=action, comment=comment, version=version)


def plan_submit(*, actor: Actor, plan: Plan, comment: str = "", version: int | None = None) -> Plan:
    return plan_transition(actor=actor, plan=plan, action="submit", comment=comment, version=version)


def plan_return(*, actor: Actor, plan: Plan, comment: str, version: int | None = None) -> Plan:
    return plan_transition(actor=actor, plan=plan, action="return", comment=comment, version=version)


def plan_approve(*, actor: Actor, plan: Plan, comment: str = "", version: int | None = None) -> Plan:
    return plan_transition(actor=actor, plan=plan, action="approve", comment=comment, version=version)


def plan_confirm(*, actor: Actor, plan: Plan, comment: str = "", version: int | None = None) -> Plan:
    return plan_transition(actor=actor, plan=plan, action="confirm", comment=comment, version=version)


@transaction.atomic
def plan_revise(*, actor: Actor, plan: Plan, data: dict, reason: str, version: int) -> tuple[Plan, PlanRevision]:
    """Change a confirmed plan's method, deadline, measures or people, with a reason (see the module's note)."""
    reason = inputs.text(reason, field="reason", label=_("修订理由"), limit=500)
    if not reason:
        raise ServiceError(_("修订已确认的方案须填写修订理由"), field="reason")
    locked = PLAN_REVIEW.begin(actor=actor, obj=plan, action="revise", version=version).obj
    unknown = [k for k in data if k not in REVISABLE and k != "facts"]
    if unknown:
        message = _(
            "修订只能修改处置方式、处置措施、完成时限和责任分工，不能修改“{unknown}”",
        ).format(unknown=unknown[0])
        raise ServiceError(message, field=unknown[0])
    old_record, before = plan_record(locked), log_snapshot(locked)
    clean = _clean_common(data, locked)
    facts = _facts_for(locked, clean, data)
    changed = _apply(locked, clean, facts)
    if not changed:
        raise ServiceError(_("修订内容与现行方案相同，没有需要修订的内容"))
    new_record = plan_record(locked)
    changes = {f: [old_record[f], new_record[f]] for f in changed}
    goes_back = bool(REVIEW_AGAIN & set(changed))
    if goes_back:
        locked.status = PLAN_REVIEW.table[(S.CONFIRMED, "revise_for_review")].target
        locked.review_comment = ""
        changed += ["status", "review_comment"]
    locked.revision = F("revision") + 1
    _save(locked, [*changed, "revision"])
    revision = PlanRevision.objects.create(  # the contact kept encrypted in the history too
        plan=locked, number=locked.revision, snapshot=crypto.seal(old_record, PLAN_PERSONAL),
        changes=crypto.seal(changes, PLAN_PERSONAL), reason=reason,
        changed_by=actor.username,
    )
    _log(actor, "plan_revise", locked, locked, before, log_snapshot(locked), reason)
    return locked, revision


@transaction.atomic
def record_resumption(*, actor: Actor, plan: Plan, date: dt.date) -> Plan:
    """复工续建: record the day work resumed — only after a passing appraisal confirmed by the authority."""
    locked = PLAN_REVIEW.begin(
        actor=actor, obj=plan, action="record", label=_("登记复工"),
        refused=_("处置方案经领导小组办公室确认后才能复工续建"),
    ).obj
    if locked.method != Method.RESUME:
        raise ServiceError(_("该方案的处置方式为“{method}”，不是复工续建").format(method=locked.get_method_display()))
    date = inputs.date(date, field="date", label=_("复工日期"))
    problems = methods.METHODS[Method.RESUME].resumption_errors(locked.facts, date)
    if problems:
        raise ServiceError(problems[0].message, field=problems[0].field)
    before = log_snapshot(locked)
    locked.facts = {**locked.facts, "resumed_date": date.isoformat()}
    _save(locked, ["facts"])
    _log(actor, "plan_resume", locked, locked, before, log_snapshot(locked))
    return locked


# --- milestones and procedures --------------------------------------------------------------------

def _lock_for_parts(actor: Actor, plan_id: int, label: str) -> Plan:
    """Milestones and procedures are arranged while the plan is drafted and after it is confirmed, not in review."""
    def refused(plan: Plan) -> str:
        return _("方案当前为“{status}”，审核期间不能{label}").format(status=PLAN_REVIEW.state_label(plan), label=label)

    return PLAN_REVIEW.begin(actor=actor, obj=plan_id, action="parts", label=label, refused=refused).obj


def _lock_for_record(actor: Actor, plan_id: int, label: str) -> Plan:
    """What was done (a milestone met, a procedure completed) is recorded once the plan is confirmed."""
    def refused(plan: Plan) -> str:
        if plan.status in (S.SUBMITTED, S.APPROVED):
            return _("方案当前为“{status}”，审核期间不能{label}").format(status=plan.get_status_display(), label=label)
        return _("方案确认后才能{label}").format(label=label)

    return PLAN_REVIEW.begin(actor=actor, obj=plan_id, action="record", label=label, refused=refused).obj


def _title(title: str, label: str, limit: int) -> str:
    return inputs.text(title, field="title", label=label, limit=limit, required=True)


def _milestone_record(m: Milestone) -> dict:
    return {
        "title": m.title, "due_date": m.due_date.isoformat() if m.due_date else None,
        "met_date": m.met_date.isoformat() if m.met_date else None,
        "evidence": [a.original_name for a in m.evidence.all()] if m.pk else [],
    }


@transaction.atomic
def milestone_add(*, actor: Actor, plan: Plan, title: str, due_date: dt.date) -> Milestone:
    locked = _lock_for_parts(actor, plan.pk, _("安排节点"))
    due_date = inputs.date(due_date, field="due_date", label=_("节点的计划完成日期"))
    milestone = Milestone.objects.create(plan=locked, title=_title(title, _("节点名称"), 200), due_date=due_date)
    _log(actor, "milestone_add", milestone, locked, None, _milestone_record(milestone))
    return milestone


@transaction.atomic
def milestone_update(*, actor: Actor, milestone: Milestone, title: str, due_date: dt.date) -> Milestone:
    locked = _lock_for_parts(actor, milestone.plan_id, _("调整节点"))
    milestone = Milestone.objects.get(pk=milestone.pk, plan=locked)
    due_date = inputs.date(due_date, field="due_date", label=_("节点的计划完成日期"))
    before = _milestone_record(milestone)
    milestone.title, milestone.due_date = _title(title, _("节点名称"), 200), due_date
    milestone.save(update_fields=["title", "due_date"])
    _log(actor, "milestone_update", milestone, locked, before, _milestone_record(milestone))
    return milestone


@transaction.atomic
def milestone_meet(
    *, actor: Actor, milestone: Milestone, met_date: dt.date, evidence_ids: Iterable[str] = (), uploads=(),
) -> Milestone:
    """Mark a milestone met on `met_date`, with evidence: attachments of the same project already uploaded
    (by id) and/or files uploaded now (validated and stored by the files app)."""
    locked = _lock_for_record(actor, milestone.plan_id, _("登记节点完成情况"))
    milestone = Milestone.objects.get(pk=milestone.pk, plan=locked)
    met_date = inputs.date(met_date, field="met_date", label=_("实际完成日期"), not_after_today=True)
    attachments = _attachments(locked, list(evidence_ids))
    if not attachments and not uploads and not milestone.evidence.exists():
        raise ServiceError(_("登记节点完成须附佐证材料"), field="evidence")
    from halfbuilt.files.services import store_uploads

    stored = store_uploads(actor=actor, project=locked.project, uploads=uploads, kind="evidence")
    with stored.undone_on_failure():  # a failure below deletes the stored files again (their rows roll back)
        before = _milestone_record(milestone)
        milestone.met_date = met_date
        milestone.save(update_fields=["met_date"])
        milestone.evidence.add(*attachments, *stored.attachments)
        _log(actor, "milestone_meet", milestone, locked, before, _milestone_record(milestone))
    return milestone


def _attachments(plan: Plan, ids: list[str]) -> list[Attachment]:
    found = []
    for raw in ids:
        attachment = Attachment.objects.filter(pk=_uuid(raw), project_id=plan.project_id).first()
        if attachment is None:
            raise ServiceError(_("佐证材料“{id}”不存在或不属于该项目").format(id=raw), field="evidence")
        found.append(attachment)
    return found


def _uuid(raw: str):
    import uuid

    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None


def _procedure_record(p: Procedure) -> dict:
    return {
        "procedure_kind": p.get_kind_display(), "procedure_name": p.name, "authority": p.authority,
        "done_date": p.done_date.isoformat() if p.done_date else None, "document_no": p.document_no,
    }


@transaction.atomic
def procedure_add(*, actor: Actor, plan: Plan, kind: str, name: str = "", authority: str = "") -> Procedure:
    locked = _lock_for_parts(actor, plan.pk, _("登记待补手续"))
    if locked.method != Method.PROCEDURES:
        raise ServiceError(_("只有“完善手续”方案需要逐项登记待补手续"), field="kind")
    if kind not in ProcedureKind.values:
        by_label = {label: code for code, label in ProcedureKind.choices}
        if kind not in by_label:
            allowed = "、".join(map(str, ProcedureKind.labels))
            raise ServiceError(
                _("手续类别“{kind}”无效，应为：{allowed}").format(kind=kind, allowed=allowed), field="kind",
            )
        kind = by_label[kind]
    name = inputs.text(name, field="name", label=_("手续名称"), limit=100)
    authority = inputs.text(authority, field="authority", label=_("办理部门"), limit=100)
    if kind == ProcedureKind.OTHER and not name:
        raise ServiceError(_("手续类别为“其他”时须填写手续名称"), field="name")
    procedure = Procedure.objects.create(plan=locked, kind=kind, name=name, authority=authority)
    _log(actor, "procedure_add", procedure, locked, None, _procedure_record(procedure))
    return procedure


@transaction.atomic
def procedure_done(*, actor: Actor, procedure: Procedure, done_date: dt.date, document_no: str = "") -> Procedure:
    locked = _lock_for_record(actor, procedure.plan_id, _("登记手续办结"))
    procedure = Procedure.objects.get(pk=procedure.pk, plan=locked)
    done_date = inputs.date(done_date, field="done_date", label=_("办结日期"), not_after_today=True)
    document_no = inputs.text(document_no, field="document_no", label=_("批准文号"), limit=100)
    before = _procedure_record(procedure)
    procedure.done_date, procedure.document_no = done_date, document_no
    procedure.save(update_fields=["done_date", "document_no"])
    _log(actor, "procedure_done", procedure, locked, before, _procedure_record(procedure))
    return procedure


def procedure_granted(*, actor: Actor, procedure_id: int, done_date: dt.date, document_no: str) -> Procedure | None:
    """A procedure granted by its approval authority through the green channel: recorded done with the
    authority's 文号 and date, logged as `procedure_done`. Called by greenchannel.services inside its transaction,
    the project row already locked by the kernel; the authority holds no right on the plan, the grant is the
    proof. A procedure already recorded done is left as it is (None when it no longer exists)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("procedure_granted must run inside the caller's transaction")
    procedure = (Procedure.objects.select_for_update(of=("self",)).select_related("plan__project")
                 .filter(pk=procedure_id).first())
    if procedure is None or procedure.done_date:
        return procedure
    before = _procedure_record(procedure)
    procedure.done_date, procedure.document_no = done_date, document_no[:100]
    procedure.save(update_fields=["done_date", "document_no"])
    _log(actor, "procedure_done", procedure, procedure.plan, before, _procedure_record(procedure))
    return procedure


def procedures_complete(plan: Plan) -> bool:
    """完善手续 is done when every missing procedure listed is done (and at least one was listed)."""
    procedures = list(plan.procedures.all())
    return bool(procedures) and all(p.done_date for p in procedures)


LOG_ACTIONS = {
    **PLAN_REVIEW.log_labels(),
    "plan_create": gettext_lazy("新建处置方案"), "plan_update": gettext_lazy("修改处置方案"),
    "plan_revise": gettext_lazy("修订处置方案"),
    "plan_resume": gettext_lazy("登记复工"), "milestone_add": gettext_lazy("新增节点"),
    "milestone_update": gettext_lazy("调整节点"), "milestone_meet": gettext_lazy("节点完成"),
    "procedure_add": gettext_lazy("登记待补手续"),
    "procedure_done": gettext_lazy("手续办结"),
}
LOG_KEYS = {
    **{f: str(Plan._meta.get_field(f).verbose_name) for f in COMMON_FIELDS},
    "status": gettext_lazy("审核状态"), "revision": gettext_lazy("修订次数"), "title": gettext_lazy("节点"),
    "due_date": gettext_lazy("计划完成日期"),
    "met_date": gettext_lazy("实际完成日期"), "evidence": gettext_lazy("佐证材料"),
    "procedure_kind": gettext_lazy("手续"), "procedure_name": gettext_lazy("手续名称"),
    "authority": gettext_lazy("办理部门"),
    "done_date": gettext_lazy("办结日期"), "document_no": gettext_lazy("批准文号"),
    **methods.all_fact_labels(),
}
