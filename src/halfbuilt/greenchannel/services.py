"""Green-channel services: file a request, accept / ask for 补正 (kernel buttons), complete, refuse, supply what
is missing, record a 联审会, edit a procedure's time limit. Keyword-only, the actor explicit; each writes its
change-log entry in its transaction. Transitions go through the kernel (workflow.py): the project row first.

When an item is done, the plan's procedure it completes is marked done with the 文号 and date in the same
transaction (disposal.services.procedure_granted); when the request's last item is decided, the request is 办结
and the unit is told."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts.models import Organization
from halfbuilt.accounts.scope import assignments
from halfbuilt.audit.services import record_change
from halfbuilt.core import inputs, workdays
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.disposal.models import Procedure
from halfbuilt.disposal.services import procedure_granted
from halfbuilt.files.models import Attachment, AttachmentKind
from halfbuilt.files.services import StoredFiles
from halfbuilt.ledger.models import Project, Stage

from . import clocks, notices, routing
from .models import Conclusion, GreenRequest, Item, ItemEvent, JointReview, ProcedureType
from .states import FINAL, OPEN_ITEM
from .workflow import ITEM_FLOW, REQUEST_FLOW, item_snapshot

# Each refusal worded once (pages, API and services say the same).
NOT_FOUND = gettext_lazy("绿色通道申请不存在，或您无权查看")
ITEM_NOT_FOUND = gettext_lazy("事项不存在，或您无权查看")
PROJECT_NOT_FOUND = gettext_lazy("项目不存在，或您无权查看")
NOT_A_FILER = gettext_lazy("只有项目的责任单位或所在地区可以申请绿色通道")
NOT_A_CONVENER = gettext_lazy("只有领导小组办公室或项目所在地区可以登记联审会")
NOT_THE_OFFICE = gettext_lazy("只有领导小组办公室可以修改手续及办理时限")

NOTE_MAX = 2000
TEXT_MAX = 2000
UPLOADS_MAX = 10


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _store(actor: Actor, project: Project, uploads: Sequence, kind: str = AttachmentKind.DOCUMENT) -> StoredFiles:
    if len(uploads) > UPLOADS_MAX:
        raise ServiceError(_("材料最多 {max} 个文件").format(max=UPLOADS_MAX), field="files")
    from halfbuilt.files.services import store_uploads  # the one way a file gets in (checked)

    # A refused file deletes those stored before it; the caller runs the rest of its write in
    # `undone_on_failure()`, so a later failure deletes them too.
    return store_uploads(actor=actor, project=project, uploads=uploads, kind=kind)


def _existing(project: Project, ids: Sequence[str]) -> list[Attachment]:
    found = []
    for raw in ids:
        try:
            pk = uuid.UUID(str(raw).strip())
        except ValueError:
            pk = None
        attachment = Attachment.objects.filter(pk=pk, project=project).first() if pk else None
        if attachment is None:
            raise ServiceError(_("申请材料 {id} 不存在，或不是本项目的附件").format(id=str(raw)[:40]),
                               field="documents")
        found.append(attachment)
    return found


def _filer_org(user, project: Project) -> Organization:
    """The organisation the request is filed for: the user's unit, else its region's government."""
    held = [a for a in assignments(user) if a.role in ("unit", "region")]
    unit = next((a.organization for a in held if a.organization_id == project.responsible_org_id), None)
    return unit or held[0].organization


def proposed(project: Project) -> list[ProcedureType]:
    """The procedures a request for `project` proposes: those its plan still lists as not done."""
    plan = getattr(project, "plan", None)
    if plan is None:
        return []
    kinds = set(plan.procedures.filter(done_date__isnull=True).values_list("kind", flat=True))
    return list(ProcedureType.objects.filter(active=True, plan_kind__in=kinds))


def request_summary(request: GreenRequest, items: list[Item]) -> dict:
    return {
        "project": request.project.name, "filer": request.filer_org.name, "note": request.note,
        "items": "；".join(f"{i.procedure_type.name}→{i.authority.name}（{i.deadline.isoformat()}）" for i in items),
        "documents": "、".join(a.original_name for a in request.documents.all()),
    }


@transaction.atomic
def file_request(*, actor: Actor, project: Project | int, procedures: Sequence[str], note: str = "",
                 uploads: Sequence = (), document_ids: Sequence[str] = ()) -> GreenRequest:
    """One request naming the missing procedures (codes of the reference table): one item per procedure, each to
    its authority at once, its clock started today. Documents: files uploaded now, or attachments of the project
    uploaded before (by id: the API's way)."""
    user = actor.user
    pk = getattr(project, "pk", project)
    locked = Project.objects.lock_for(user, "green_file", pk)
    seen = locked or Project.objects.restrict(user).filter(pk=pk).first()
    if seen is not None and seen.classified:  # only its owning department sees it: it may be told why
        raise ServiceError(_("涉密项目不通过绿色通道办理，请按保密规定由主管部门办理手续"))
    if locked is None:
        raise NotAllowed(NOT_A_FILER if seen is not None else PROJECT_NOT_FOUND)
    if locked.stage != Stage.DISPOSING:
        raise ServiceError(_("项目处置方案确认后（处置中）才能申请绿色通道，项目当前为“{stage}”").format(
            stage=locked.get_stage_display()))
    codes = list(dict.fromkeys(str(c).strip() for c in procedures if str(c).strip()))
    if not codes:
        raise ServiceError(_("请至少选择一项需要办理的手续"), field="procedures")
    types = {t.code: t for t in ProcedureType.objects.filter(code__in=codes, active=True)}
    if unknown := [c for c in codes if c not in types]:
        raise ServiceError(_("手续“{code}”不存在或已停用").format(code=unknown[0][:40]), field="procedures")
    already = set(Item.objects.filter(project=locked, status__in=OPEN_ITEM, procedure_type_id__in=codes)
                  .values_list("procedure_type__name", flat=True))
    if already:
        raise ServiceError(_("手续“{name}”已在绿色通道办理中，不能重复申请").format(name=sorted(already)[0]),
                           field="procedures")
    routed = {}
    for code in codes:
        authority = routing.authority_for(locked, types[code])
        if authority is None:
            raise ServiceError(_("手续“{name}”找不到办理的审批部门（{kind}），请联系系统管理员").format(
                name=types[code].name, kind=types[code].authority_kind.name), field="procedures")
        routed[code] = authority
    note = inputs.text(note, field="note", label=_("申请说明"), limit=NOTE_MAX)
    today = timezone.localdate()
    request = GreenRequest.objects.create(project=locked, filer_org=_filer_org(user, locked), filed_by=user,
                                          filed_on=today, note=note)
    existing = _existing(locked, document_ids)
    stored = _store(actor, locked, uploads)
    with stored.undone_on_failure():  # a failure below deletes the stored files again (their rows roll back)
        request.documents.set([*existing, *stored.attachments])
        taken = set(Item.objects.filter(project=locked, status__in=OPEN_ITEM).values_list("plan_procedure", flat=True))
        plan_procedures = list(Procedure.objects.filter(plan__project=locked, done_date__isnull=True)
                               .exclude(pk__in=[t for t in taken if t]))
        items = []
        for code in codes:
            kind = types[code]
            linked = next((p for p in plan_procedures if kind.plan_kind and p.kind == kind.plan_kind), None)
            if linked is not None:
                plan_procedures.remove(linked)
            items.append(Item.objects.create(
                request=request, project=locked, procedure_type=kind, authority=routed[code], plan_procedure=linked,
                time_limit=kind.time_limit, received_on=today, clock_from=today,
                deadline=clocks.first_deadline(today, kind.time_limit)))
        record_change(actor=actor, action="green_request_file", obj=request, before=None,
                      after=request_summary(request, items), project_id=locked.pk, classified=False)
        REQUEST_FLOW.opened(actor=actor, obj=request, action="file")
        for item in items:
            notices.item_received(item, actor)
    return request


def act(*, actor: Actor, item: Item | int, action: str, comment: str = "", version: int | None = None) -> Item:
    """受理 (accept) or 需补正 (supplement, what is missing required): the authority's buttons."""
    if action not in ("accept", "supplement"):
        raise ServiceError(_("未知操作：{action}").format(action=action))
    with transaction.atomic():
        done = ITEM_FLOW.perform(actor=actor, obj=item, action=action, comment=comment, version=version)
        if action == "supplement":
            notices.item_to_filer(done, "green_item_supplement", actor)
    return done


def _decide(step, actor: Actor, fields: list[str], after: dict, reason: str = "") -> Item:
    locked, today = step.obj, timezone.localdate()
    clocks.stop(locked, min(locked.done_on or today, today))
    locked.status = step.transition.target
    ITEM_FLOW.save(locked, [*fields, "status", "used", "clock_from"])
    record_change(actor=actor, action=f"green_item_{step.transition.action}", obj=locked, before=step.before,
                  after={**item_snapshot(locked), **after}, reason=reason, project_id=step.project.pk,
                  classified=False)
    notices.item_to_filer(locked, "green_item_decided", actor)
    _maybe_conclude(actor, locked.request_id)
    return locked


@transaction.atomic
def complete(*, actor: Actor, item: Item | int, doc_no: str, done_on, document=None, version: int | None = None,
             ) -> Item:
    """办结: the 文号, the date and the document (a file uploaded now). The plan's procedure is marked done."""
    step = ITEM_FLOW.begin(actor=actor, obj=item, action="complete", version=version)
    locked = step.obj
    doc_no = inputs.text(doc_no, field="doc_no", label=_("批准文号"), limit=100, required=True)
    done_on = inputs.date(done_on, field="done_on", label=_("办结日期"), not_after_today=True)
    if done_on < locked.received_on:
        raise ServiceError(_("办结日期不能早于收件日期 {day}").format(day=locked.received_on.isoformat()),
                           field="done_on")
    if document is None:
        raise ServiceError(_("办结须上传批准文件"), field="document")
    stored = _store(actor, step.project, [document])
    with stored.undone_on_failure():
        locked.document = stored.attachments[0]
        locked.doc_no, locked.done_on = doc_no, done_on
        ItemEvent.objects.create(item=locked, action="complete", text=doc_no, by=actor.user)
        if locked.plan_procedure_id:
            procedure_granted(actor=actor, procedure_id=locked.plan_procedure_id, done_date=done_on,
                              document_no=doc_no)
        return _decide(step, actor, ["document", "doc_no", "done_on"],
                       {"doc_no": doc_no, "done_on": done_on.isoformat(), "document": locked.document.original_name})


@transaction.atomic
def refuse(*, actor: Actor, item: Item | int, reason: str, legal_basis: str, version: int | None = None) -> Item:
    """不予办理, with the reason and its legal basis (both required)."""
    step = ITEM_FLOW.begin(actor=actor, obj=item, action="refuse", version=version)
    locked = step.obj
    locked.refusal_reason = inputs.text(reason, field="reason", label=_("不予办理理由"), limit=TEXT_MAX,
                                        required=True)
    locked.legal_basis = inputs.text(legal_basis, field="legal_basis", label=_("法律依据"), limit=300,
                                     required=True)
    locked.done_on = timezone.localdate()
    ItemEvent.objects.create(item=locked, action="refuse", text=locked.refusal_reason, by=actor.user)
    return _decide(step, actor, ["refusal_reason", "legal_basis", "done_on"],
                   {"refusal_reason": locked.refusal_reason, "legal_basis": locked.legal_basis},
                   reason=locked.refusal_reason)


def _maybe_conclude(actor: Actor, request_id: int) -> None:
    """The request is 办结 when none of its items is open; the unit is told."""
    if Item.objects.filter(request_id=request_id).exclude(status__in=FINAL).exists():
        return
    step = REQUEST_FLOW.begin(actor=actor, obj=request_id, action="conclude")
    request = step.obj
    request.status, request.concluded_on = step.transition.target, timezone.localdate()
    REQUEST_FLOW.save(request, ["status", "concluded_on"])
    record_change(actor=actor, action="green_request_conclude", obj=request, before=step.before,
                  after=REQUEST_FLOW.snapshot(request), project_id=request.project_id, classified=False)
    notices.request_done(request, actor)


@transaction.atomic
def supply(*, actor: Actor, item: Item | int, note: str, uploads: Sequence = (), version: int | None = None) -> Item:
    """The unit supplies what the 补正 asked: the clock runs again from today for the days left."""
    step = ITEM_FLOW.begin(actor=actor, obj=item, action="supply", version=version)
    locked = step.obj
    note = inputs.text(note, field="note", label=_("补正说明"), limit=TEXT_MAX, required=True)
    stored = _store(actor, step.project, uploads)
    with stored.undone_on_failure():
        files = stored.attachments
        event = ItemEvent.objects.create(item=locked, action="supply", text=note, by=actor.user)
        event.files.set(files)
        clocks.restart(locked, timezone.localdate())
        locked.status = step.transition.target
        ITEM_FLOW.save(locked, ["status", "clock_from", "deadline"])
        record_change(actor=actor, action="green_item_supply", obj=locked, before=step.before,
                      after={**item_snapshot(locked), "supply_note": note,
                             "files": "、".join(f.original_name for f in files)},
                      project_id=step.project.pk, classified=False)
        notices.item_supplied(locked, actor)
    return locked


@transaction.atomic
def record_review(*, actor: Actor, request: GreenRequest | int, held_on, attendees: str,
                  conclusions: Mapping[int | str, str]) -> JointReview:
    """联审会: date, attendees and a conclusion per item (at least one; the items of this request)."""
    user = actor.user
    pk = getattr(request, "pk", request)
    project_id = GreenRequest.objects.restrict(user).filter(pk=pk).values_list("project_id", flat=True).first()
    if project_id is None:
        raise NotAllowed(NOT_FOUND)
    project = Project.objects.lock_for(user, "green_convene", project_id)
    if project is None:
        raise NotAllowed(NOT_A_CONVENER)
    locked = GreenRequest.objects.select_for_update().get(pk=pk)
    held_on = inputs.date(held_on, field="held_on", label=_("会议日期"), not_after_today=True)
    attendees = inputs.text(attendees, field="attendees", label=_("参会单位及人员"), limit=TEXT_MAX, required=True)
    items = {i.pk: i for i in locked.items.select_related("procedure_type")}
    texts = {}
    for key, text in conclusions.items():
        item = items.get(_as_int(key))
        if item is None:
            raise ServiceError(_("事项 {id} 不属于该申请").format(id=str(key)[:20]), field="conclusions")
        text = inputs.text(text, field=f"conclusion_{item.pk}", label=_("“{name}”的会议结论").format(
            name=item.procedure_type.name), limit=TEXT_MAX)
        if text:
            texts[item] = text
    if not texts:
        raise ServiceError(_("请至少填写一个事项的会议结论"), field="conclusions")
    convener = next(a.organization for a in assignments(user) if a.role in ("office", "region"))
    review = JointReview.objects.create(request=locked, held_on=held_on, convener=convener, attendees=attendees,
                                        recorded_by=user)
    Conclusion.objects.bulk_create([Conclusion(review=review, item=i, text=t) for i, t in texts.items()])
    record_change(actor=actor, action="green_review", obj=review, before=None, after={
        "held_on": held_on.isoformat(), "attendees": attendees,
        "conclusions": "；".join(f"{i.procedure_type.name}：{t}" for i, t in texts.items())},
        project_id=project.pk, classified=False)
    return review


@transaction.atomic
def update_procedure(*, actor: Actor, procedure: ProcedureType | str, time_limit, active: bool,
                     version: int | None = None) -> ProcedureType:
    """The office edits a procedure's time limit (working days) or switches it off; items already filed keep
    the limit they were filed with."""
    from halfbuilt.accounts.scope import carries

    if not carries(actor.user, "green_configure"):
        raise NotAllowed(NOT_THE_OFFICE)
    code = getattr(procedure, "code", procedure)
    locked = ProcedureType.objects.select_for_update().filter(code=code).first()
    if locked is None:
        raise NotAllowed(_("手续不存在"))
    if version is not None and locked.version != version:
        raise ServiceError(_("该手续已被他人修改，请刷新后再改"))
    limit = _as_int(str(time_limit).strip())
    if limit is None or not 1 <= limit <= workdays.MAX_WORKDAYS:
        raise ServiceError(_("办理时限应为 1 到 {max} 之间的整数（工作日），现为“{value}”").format(
            max=workdays.MAX_WORKDAYS, value=str(time_limit)[:20]), field="time_limit")
    before = {"procedure_name": locked.name, "time_limit": locked.time_limit, "active": locked.active}
    locked.time_limit, locked.active, locked.version = limit, bool(active), locked.version + 1
    locked.save(update_fields=["time_limit", "active", "version"])
    record_change(actor=actor, action="green_procedure_update", obj=locked, before=before,
                  after={"procedure_name": locked.name, "time_limit": limit, "active": locked.active})
    return locked


def today_clock(item: Item, today: dt.date | None = None) -> clocks.Clock:
    return clocks.clock_of(item, today)
