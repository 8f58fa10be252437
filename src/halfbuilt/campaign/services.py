"""Writes to the campaign: the office's configuration (campaign, phases, targets, scope rule), the filers'
实施方案 and the office's review of it, and the departments' criteria. Keyword-only, the actor explicit, one
change-log entry per write in the same transaction."""

import datetime as dt
import hashlib
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts import scope
from halfbuilt.audit.services import record_change
from halfbuilt.core import inputs
from halfbuilt.core.errors import ConflictError, NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.files import checks
from halfbuilt.ledger.models import ApprovalLevel
from halfbuilt.regions.models import Department

from .managers import criteria_lines
from .models import Campaign, CriteriaVersion, Document, Phase, PlanFiling, Target
from .workflow import FILING, snapshot

ACTION_LABELS = {
    "campaign_update": gettext_lazy("修改起底行动"),
    "phase_update": gettext_lazy("修改阶段"),
    "target_update": gettext_lazy("修改目标"),
    "filing_file": gettext_lazy("报送实施方案"),
    **FILING.log_labels(),
    "criteria_record": gettext_lazy("记录行业标准"),
}
KEY_LABELS = {
    "scope_since": gettext_lazy("起底审批时间起"), "scope_levels": gettext_lazy("起底审批层级"),
    "scope_text": gettext_lazy("起底范围说明"), "starts": gettext_lazy("开始日期"), "ends": gettext_lazy("结束日期"),
    "due": gettext_lazy("截止日期"), "due_label": gettext_lazy("截止事项"), "text": gettext_lazy("内容"),
    "metric": gettext_lazy("指标"), "value": gettext_lazy("目标值"), "filing_status": gettext_lazy("实施方案状态"),
    "title": gettext_lazy("方案名称"), "targets": gettext_lazy("工作目标"), "deadline": gettext_lazy("完成时限"),
    "comment": gettext_lazy("审核意见"), "documents": gettext_lazy("文件"), "number": gettext_lazy("版本号"),
}
NO_RIGHT = gettext_lazy("只有领导小组办公室可以配置起底行动")
NOT_YOUR_LINE = gettext_lazy("只有{department}可以记录本行业标准")


def _office_only(actor: Actor) -> None:
    if not scope.carries(actor.user, "campaign_configure"):
        raise NotAllowed(NO_RIGHT)


def _optional_date(value, *, field: str, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    return inputs.date(value, field=field, label=label)


def _campaign_snapshot(c: Campaign) -> dict:
    return {"name": c.name, "scope_since": c.scope_since, "scope_levels": c.scope_levels, "scope_text": c.scope_text}


@transaction.atomic
def campaign_update(*, actor: Actor, campaign: Campaign, name: str, scope_since: str, scope_levels: list[str],
                    scope_text: str, version: int) -> Campaign:
    _office_only(actor)
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.version != version:
        raise ConflictError(_("起底行动已被他人修改，请刷新后核对最新内容再保存"))
    name = inputs.text(name, field="name", label=_("名称"), limit=100, required=True)
    since = inputs.text(scope_since, field="scope_since", label=_("起底审批时间起"), limit=10, required=True)
    if not (len(since) == 4 and since.isdigit()):
        raise ServiceError(_("起底审批时间起应为四位年份，如 2016"), field="scope_since")
    if not scope_levels or any(level not in ApprovalLevel.values for level in scope_levels):
        raise ServiceError(_("请至少选择一个起底审批层级"), field="scope_levels")
    before = _campaign_snapshot(locked)
    locked.name, locked.scope_since = name, since
    locked.scope_levels = ",".join(level for level in ApprovalLevel.values if level in scope_levels)
    locked.scope_text = inputs.text(scope_text, field="scope_text", label=_("起底范围说明"), limit=300)
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    record_change(actor=actor, action="campaign_update", obj=locked, before=before, after=_campaign_snapshot(locked))
    return locked


def _phase_snapshot(p: Phase) -> dict:
    return {"name": p.name, "starts": p.starts.isoformat() if p.starts else None, "ends": p.ends.isoformat(),
            "due": p.due.isoformat() if p.due else None, "due_label": p.due_label, "note": p.note}


@transaction.atomic
def phase_update(*, actor: Actor, phase: Phase, name: str, starts, ends, due, due_label: str, note: str) -> Phase:
    """A phase's name, dates, deadline and description; the deadlines of every warning follow at once."""
    _office_only(actor)
    locked = Phase.objects.select_for_update().get(pk=phase.pk)
    before = _phase_snapshot(locked)
    locked.name = inputs.text(name, field="name", label=_("阶段"), limit=40, required=True)
    locked.starts = _optional_date(starts, field="starts", label=_("开始日期"))
    locked.ends = inputs.date(ends, field="ends", label=_("结束日期"))
    locked.due = _optional_date(due, field="due", label=_("截止日期"))
    if locked.starts and locked.starts > locked.ends:
        raise ServiceError(_("结束日期不能早于开始日期"), field="ends")
    if locked.due and not ((locked.starts or locked.due) <= locked.due <= locked.ends):
        raise ServiceError(_("截止日期应在本阶段的开始和结束日期之间"), field="due")
    locked.due_label = inputs.text(due_label, field="due_label", label=_("截止事项"), limit=40)
    locked.note = inputs.text(note, field="note", label=_("工作内容"), limit=300)
    locked.save()
    record_change(actor=actor, action="phase_update", obj=locked, before=before, after=_phase_snapshot(locked))
    return locked


def _target_snapshot(t: Target) -> dict:
    return {"text": t.text, "metric": t.metric, "value": str(t.value) if t.value is not None else None,
            "due": t.due.isoformat() if t.due else None}


@transaction.atomic
def target_update(*, actor: Actor, target: Target, text: str, metric: str, value, due) -> Target:
    _office_only(actor)
    locked = Target.objects.select_for_update().get(pk=target.pk)
    before = _target_snapshot(locked)
    locked.text = inputs.text(text, field="text", label=_("目标"), limit=200, required=True)
    if metric not in Target.Metric.values:
        raise ServiceError(_("请选择列表中的指标"), field="metric")
    locked.metric = metric
    locked.value = None
    if str(value or "").strip():
        try:
            locked.value = Decimal(str(value).strip().rstrip("%"))
        except InvalidOperation:
            raise ServiceError(_("目标值应为数字，如 100"), field="value") from None
        if not locked.value.is_finite() or not (0 <= locked.value <= 100):
            raise ServiceError(_("目标值应在 0 到 100 之间（百分比）"), field="value")
    if locked.metric and locked.value is None:
        raise ServiceError(_("数值目标须填写目标值"), field="value")
    locked.due = _optional_date(due, field="due", label=_("完成时限"))
    locked.save()
    record_change(actor=actor, action="target_update", obj=locked, before=before, after=_target_snapshot(locked))
    return locked


def _store(actor: Actor, upload: UploadedFile, **owner) -> Document:
    """One checked file (type, size, content: the checks of every attachment) stored for a filing or criteria."""
    name = checks.clean_name(upload.name or "")
    if upload.size is None:
        raise ServiceError(_("文件“{name}”：无法确定文件大小").format(name=name), field="file")

    def read() -> bytes:
        upload.seek(0)
        return upload.read()

    checked = checks.check(name=name, size=upload.size, read=read, kind="document")
    document = Document(original_name=checked.name, content_type=checked.content_type, size=len(checked.data),
                        sha256=hashlib.sha256(checked.data).hexdigest(), uploaded_by=actor.user, **owner)
    document.file.save(f"{document.id}.{checked.extension}", ContentFile(checked.data), save=False)
    document.save()
    return document


@transaction.atomic
def file_plan(*, actor: Actor, filing: PlanFiling | int, title: str, targets: str, deadline,
              upload: UploadedFile | None, version: int | None = None) -> PlanFiling:
    """The filer files its 实施方案 (first time, or again after a return): the document, targets, deadline."""
    step = FILING.begin(actor=actor, obj=filing, action="file", version=version)
    locked = step.obj
    locked.title = inputs.text(title, field="title", label=_("方案名称"), limit=200, required=True)
    locked.targets = inputs.text(targets, field="targets", label=_("工作目标"), limit=5000, required=True)
    locked.deadline = inputs.date(deadline, field="deadline", label=_("完成时限"))
    if upload is None and not locked.documents.exists():
        raise ServiceError(_("请上传实施方案文件"), field="file")
    stored = _store(actor, upload, filing=locked) if upload is not None else None
    locked.status = step.transition.target
    locked.submitted_at, locked.submitted_by, locked.comment = timezone.now(), actor.user, ""
    FILING.save(locked, ["title", "targets", "deadline", "status", "submitted_at", "submitted_by", "comment"])
    after = {**snapshot(locked), "documents": [stored.original_name] if stored else []}
    record_change(actor=actor, action="filing_file", obj=locked, before=step.before, after=after)
    return locked


def review_plan(*, actor: Actor, filing: PlanFiling | int, action: str, comment: str = "",
                version: int | None = None) -> PlanFiling:
    """The office accepts (`accept`) or returns (`return`, comments required) a filed 实施方案."""
    return FILING.perform(actor=actor, obj=filing, action=action, comment=comment, version=version)


@transaction.atomic
def record_criteria(*, actor: Actor, department: Department, text: str, note: str = "",
                    uploads: list[UploadedFile] = ()) -> CriteriaVersion:
    """A new version of the line's criteria (the older ones stay readable)."""
    if department.code not in criteria_lines(actor.user):
        raise NotAllowed(str(NOT_YOUR_LINE).format(department=department.name))
    text = inputs.text(text, field="text", label=_("标准"), limit=20000, required=True)
    note = inputs.text(note, field="note", label=_("修订说明"), limit=200)
    Department.objects.select_for_update().filter(pk=department.pk).first()  # one numbering at a time
    last = CriteriaVersion.objects.filter(department=department).aggregate(n=Max("number"))["n"] or 0
    version = CriteriaVersion.objects.create(department=department, number=last + 1, text=text, note=note,
                                             created_by=actor.user)
    names = [_store(actor, upload, criteria=version).original_name for upload in uploads]
    record_change(actor=actor, action="criteria_record", obj=version, before=None,
                  after={"number": version.number, "text": text, "note": note, "documents": names})
    return version
