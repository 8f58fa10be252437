"""督办 services: issue, reply, accept, return. Keyword-only, the actor explicit; each writes its change-log
entry (with the project when the order is on one) in its own transaction. Transitions go through the kernel
(`ORDER_FLOW`): the project row, when there is one, is locked first, then the order's."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts.models import Organization
from halfbuilt.audit.services import record_change
from halfbuilt.core import inputs, workdays
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.files.models import Attachment, AttachmentKind
from halfbuilt.ledger.models import Project
from halfbuilt.workflow.signals import transition_performed

from . import numbering, reminders, targets
from .models import EventKind, OrderEvent, SupervisionOrder
from .workflow import ORDER_FLOW, snapshot

# Each refusal worded once (pages, API and services say the same).
NOT_FOUND = gettext_lazy("督办不存在，或您无权查看")
PROJECT_NOT_FOUND = gettext_lazy("项目不存在，或您无权查看")
NOT_ON_THIS_PROJECT = gettext_lazy("您无权对该项目下达督办")
NOT_AN_ISSUER = gettext_lazy("只有领导小组办公室和行业主管部门下达督办")

REASON_MAX = 2000
REQUIREMENTS_MAX = 2000
MEASURES_MAX = 4000
UPLOADS_MAX = 10


def _summary(order: SupervisionOrder) -> dict:
    return {
        "doc_no": order.doc_no, "target": order.target_name, "addressee": order.addressee.name,
        "reason": order.reason, "requirements": order.requirements,
        "deadline": deadline_text(order),
        "listed": _("是") if order.listed else _("否"), **snapshot(order),
    }


def deadline_text(order: SupervisionOrder) -> str:
    """The deadline both ways, as every page and the 督办单 show it: 2026年10月12日（5个工作日）."""
    return _("{date}（{days}个工作日）").format(
        date=_("{y}年{m}月{d}日").format(y=order.deadline.year, m=order.deadline.month, d=order.deadline.day),
        days=order.deadline_workdays)


def reply_deadline(issued_on: dt.date, *, workdays_count=None, deadline=None) -> tuple[dt.date, int]:
    """(deadline, working days) from either a number of working days after the issue, or a date."""
    has_days = workdays_count not in (None, "")
    has_date = deadline not in (None, "")
    if has_days == has_date:
        raise ServiceError(_("回复期限请填写工作日天数或截止日期，二者选其一"), field="deadline_workdays")
    if has_days:
        try:
            count = int(str(workdays_count).strip())
        except ValueError:
            raise ServiceError(_("回复期限（工作日）应为整数，现为“{value}”").format(value=str(workdays_count)[:20]),
                               field="deadline_workdays") from None
        if not 1 <= count <= workdays.MAX_WORKDAYS:
            raise ServiceError(_("回复期限（工作日）应在 1 到 {max} 之间").format(max=workdays.MAX_WORKDAYS),
                               field="deadline_workdays")
        return workdays.add_workdays(issued_on, count), count
    day = inputs.date(deadline, field="deadline", label=_("回复截止日期"))
    count = workdays.workdays_between(issued_on, day)
    if day <= issued_on or count == 0:
        raise ServiceError(_("回复截止日期应晚于督办日期，且至少包含一个工作日"), field="deadline")
    if count > workdays.MAX_WORKDAYS:
        raise ServiceError(_("回复截止日期太远：超过 {max} 个工作日").format(max=workdays.MAX_WORKDAYS),
                           field="deadline")
    return day, count


@transaction.atomic
def issue_order(
    *, actor: Actor, reason: str, requirements: str, addressee: Organization | int | None,
    project: Project | int | None = None, subject: Organization | int | None = None,
    deadline_workdays=None, deadline=None, listed: bool = False,
) -> SupervisionOrder:
    """下达督办 on a project or on an organisation (exactly one); numbered at issue (numbering.py)."""
    user = actor.user
    if (project is None) == (subject is None):
        raise ServiceError(_("请选择督办的项目或督办对象（组织），二者选其一"), field="project")
    addressee_pk = getattr(addressee, "pk", addressee)
    locked_project = None
    if project is not None:
        pk = getattr(project, "pk", project)
        locked_project = Project.objects.lock_for(user, "supervise", pk)
        if locked_project is None:
            if Project.objects.restrict(user).filter(pk=pk).exists():
                raise NotAllowed(NOT_ON_THIS_PROJECT)
            raise NotAllowed(PROJECT_NOT_FOUND)
        issuer = targets.issuer_for_project(user, locked_project)
        allowed = {o.pk: o for o in targets.addressees_for_project(locked_project)}
        subject_org = None
    else:
        issuer, _allowed_q = targets.subjects_for(user)
        if issuer is None:
            raise NotAllowed(NOT_AN_ISSUER)
        subject_org = targets.subject_choices(user).filter(pk=getattr(subject, "pk", subject)).first()
        if subject_org is None:
            raise ServiceError(_("督办对象不存在，或不在您可督办的范围内"), field="subject")
        allowed = {subject_org.pk: subject_org}
        addressee_pk = addressee_pk or subject_org.pk
    if issuer is None:
        raise NotAllowed(NOT_ON_THIS_PROJECT)
    chosen = allowed.get(_as_int(addressee_pk))
    if chosen is None:
        raise ServiceError(_("请选择主送单位（只能是项目的责任单位、所在地区或主管部门，或督办对象本身）"),
                           field="addressee")
    reason = inputs.text(reason, field="reason", label=_("督办事由"), limit=REASON_MAX, required=True)
    requirements = inputs.text(requirements, field="requirements", label=_("工作要求"), limit=REQUIREMENTS_MAX,
                               required=True)
    issued_on = timezone.localdate()
    due, count = reply_deadline(issued_on, workdays_count=deadline_workdays, deadline=deadline)
    number = numbering.next_number(issuer, issued_on.year)
    order = SupervisionOrder.objects.create(
        project=locked_project, subject=subject_org, issuer_org=issuer, addressee=chosen, issued_by=user,
        year=issued_on.year, number=number, doc_no=numbering.doc_no(issuer, issued_on.year, number),
        reason=reason, requirements=requirements, issued_on=issued_on, deadline=due, deadline_workdays=count,
        listed=bool(listed),
    )
    record_change(actor=actor, action="order_issue", obj=order, before=None, after=_summary(order),
                  project_id=locked_project.pk if locked_project else None,
                  classified=locked_project.classified if locked_project else False)
    reminders.order_issued(order, actor)
    return order


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@transaction.atomic
def reply_order(*, actor: Actor, order: SupervisionOrder | int, measures: str, uploads: Sequence = (),
                evidence_ids: Sequence = (), version: int | None = None) -> SupervisionOrder:
    """The addressee answers (again, after a return) with the measures taken and evidence: files uploaded now
    (checked by the files service; on an order on an organisation they belong to no project and are seen by whoever
    sees the order, see evidence.py) or, on an order on a project, attachments of that project uploaded before (the
    API's way). A refused file refuses the reply: nothing is stored."""
    step = ORDER_FLOW.begin(actor=actor, obj=order, action="reply", version=version)
    locked = step.obj
    measures = inputs.text(measures, field="measures", label=_("整改措施及成效"), limit=MEASURES_MAX, required=True)
    if len(uploads) > UPLOADS_MAX:
        raise ServiceError(_("证明材料最多 {max} 个文件").format(max=UPLOADS_MAX), field="files")
    if evidence_ids and step.project is None:
        raise ServiceError(_("对组织的督办没有所属项目，不能引用已上传的附件：请随回复上传证明材料文件"),
                           field="evidence")
    attachments = _existing_evidence(step.project, evidence_ids) if evidence_ids else []
    from halfbuilt.files.services import store_uploads  # the one way a file gets in (checked)

    # The step's right to reply was checked by `begin`: it is the right to add the reply's files.
    stored = store_uploads(actor=actor, project=step.project, uploads=uploads, kind=AttachmentKind.EVIDENCE)
    with stored.undone_on_failure():
        attachments += stored.attachments
        now = timezone.now()
        event = OrderEvent.objects.create(order=locked, kind=EventKind.REPLY, text=measures, by=actor.user, at=now,
                                          late=locked.is_overdue)
        event.evidence.set(attachments)
        locked.status, locked.replied_at = step.transition.target, now
        ORDER_FLOW.save(locked, ["status", "replied_at"])
        after = {**snapshot(locked), "measures": measures,
                 "evidence": "、".join(a.original_name for a in attachments)}
        record_change(actor=actor, action="order_reply", obj=locked, before=step.before, after=after,
                      project_id=step.project.pk if step.project else None,
                      classified=step.project.classified if step.project else False)
        transition_performed.send(sender=SupervisionOrder, workflow=ORDER_FLOW, obj=locked,
                                  transition=step.transition, actor=actor, comment=measures)
    return locked


def _existing_evidence(project: Project, ids: Sequence) -> list[Attachment]:
    wanted = [str(i).strip() for i in ids]
    found = {str(a.pk): a for a in Attachment.objects.filter(project=project, pk__in=_uuids(wanted))}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ServiceError(_("证明材料 {id} 不存在，或不是本项目的附件").format(id=missing[0][:40]), field="evidence")
    return [found[i] for i in dict.fromkeys(wanted)]


def _uuids(values: Sequence[str]) -> list[str]:
    valid = []
    for value in values:
        try:
            valid.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    return valid


def review_order(*, actor: Actor, order: SupervisionOrder | int, action: str, comment: str = "",
                 version: int | None = None) -> SupervisionOrder:
    """accept (办结 / 摘牌) or return (退回, comments required): the issuer's rows of `ORDER_FLOW`."""
    if action not in ("accept", "return"):
        raise ServiceError(_("未知操作：{action}").format(action=action))
    return ORDER_FLOW.perform(actor=actor, obj=order, action=action, comment=comment, version=version)
