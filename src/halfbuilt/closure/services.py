"""Closure (销号) and follow-up checks (回头看). One function per business action; each checks scope, changes
state, moves the project's disposal stage and writes the change log in one transaction.

Flow: the unit (or its region) requests closure with evidence → the competent department approves or
returns it → the office closes the project. The office then draws a random sample of closed projects;
a failed check reopens the project (closed → disposing) with its finding.
"""

import math
import random
import secrets
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts import scope
from halfbuilt.audit.services import record_change
from halfbuilt.core import inputs
from halfbuilt.core.errors import ConflictError, NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.files.models import Attachment, AttachmentKind
from halfbuilt.ledger.models import Project, Stage, Status
from halfbuilt.ledger.stages import move_stage

from .models import CheckResult, ClosureRequest, ClosureStatus, FollowUpCheck, FollowUpSample, Outcome
from .workflow import CLOSURE_REVIEW, FOLLOWUP_CHECK

OPEN_STATUSES = (ClosureStatus.REQUESTED, ClosureStatus.APPROVED)
DESCRIPTION_MAX = 2000
ACTIONS = CLOSURE_REVIEW.button_actions()


ACTION_LABELS = {
    "closure_request": gettext_lazy("申请销号"),
    **CLOSURE_REVIEW.log_labels(),
    "followup_draw": gettext_lazy("抽取回头看样本"),
    **FOLLOWUP_CHECK.log_labels(),
}
KEY_LABELS = {
    "outcome": gettext_lazy("处置结果"), "outcome_date": gettext_lazy("完成日期"),
    "description": gettext_lazy("情况说明"), "evidence": gettext_lazy("证明材料"),
    "closure_status": gettext_lazy("销号申请状态"), "review_comment": gettext_lazy("审核意见"),
    "share": gettext_lazy("抽取比例"), "population": gettext_lazy("已销号项目数"),
    "seed": gettext_lazy("随机种子"), "sampled": gettext_lazy("抽中项目数"), "note": gettext_lazy("说明"),
    "result": gettext_lazy("核查结果"), "finding": gettext_lazy("发现问题"),
}


# --- who may do what -----------------------------------------------------------------------------

def may(user, action: str) -> bool:
    """Whether any of the user's roles carries this scope action at all (for queues and menus)."""
    return scope.holds_action(user, action)


def visible_samples(user):
    """Samples are the office's working lists: whoever holds `followup` sees them (checks filtered by view)."""
    return FollowUpSample.objects.all() if may(user, "followup") else FollowUpSample.objects.none()


def requestable_projects(user):
    """Projects the user may request closure for now: in the ledger, disposing, no open request."""
    open_ids = ClosureRequest.objects.filter(status__in=OPEN_STATUSES).values("project_id")
    return (
        Project.objects.restrict(user, "closure_request")
        .filter(status=Status.IN_LEDGER, stage=Stage.DISPOSING)
        .exclude(pk__in=open_ids)
    )


def can_request(user, project: Project) -> bool:
    return requestable_projects(user).filter(pk=project.pk).exists()


# --- closure requests ---------------------------------------------------------------------------

def _labels(request: ClosureRequest) -> dict:
    # Choice values are logged as their Chinese labels: the timeline and the audit search show them as is.
    return {
        "outcome": request.get_outcome_display(),
        "outcome_date": request.outcome_date.isoformat(),
        "description": request.description,
        "evidence": "、".join(a.original_name for a in request.evidence.all()),
        "closure_status": request.get_status_display(),
    }


def _locked_project(user, project: Project | int, action: str, message: str) -> Project:
    pk = project.pk if isinstance(project, Project) else project
    locked = Project.objects.lock_for(user, action, pk)
    if locked is None:
        raise NotAllowed(message)
    return locked


def _existing_evidence(project: Project, evidence_ids: Iterable) -> list[Attachment]:
    """Attachments of the same project uploaded before, by id."""
    ids = [str(i).strip() for i in evidence_ids if str(i).strip()]
    found = {str(a.pk): a for a in Attachment.objects.filter(project=project, pk__in=_valid_uuids(ids))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ServiceError(
            _("证明材料 {missing} 不存在，或不是本项目的附件").format(missing=missing[0]), field="evidence",
        )
    return [found[i] for i in dict.fromkeys(ids)]


def _valid_uuids(ids: list[str]) -> list[str]:
    import uuid

    valid = []
    for i in ids:
        try:
            valid.append(str(uuid.UUID(i)))
        except ValueError:
            continue
    return valid


def _check_request_fields(outcome: str, outcome_date, description: str) -> tuple[date, str]:
    if outcome not in Outcome.values:
        choices = "、".join(f"{v}（{label}）" for v, label in Outcome.choices)
        raise ServiceError(
            _("处置结果“{outcome}”无效，应为：{choices}").format(outcome=outcome, choices=choices), field="outcome",
        )
    outcome_date = inputs.date(outcome_date, field="outcome_date", label=_("完成日期"), not_after_today=True)
    description = inputs.text(
        description, field="description", label=_("情况说明"), limit=DESCRIPTION_MAX, required=True,
    )
    return outcome_date, description


@transaction.atomic
def closure_request(
    *, actor: Actor, project: Project | int, outcome: str, outcome_date: date | str, description: str,
    evidence_ids: Iterable = (), uploads: Sequence = (),
) -> ClosureRequest:
    """申请销号: the project must be in the ledger and disposing, with no open request; evidence required."""
    locked = _locked_project(actor.user, project, "closure_request", _("您无权为该项目申请销号"))
    if locked.status != Status.IN_LEDGER:
        raise ServiceError(_("只有已纳入台账的项目才能申请销号"))
    if ClosureRequest.objects.filter(project=locked, status__in=OPEN_STATUSES).exists():
        raise ConflictError(_("该项目已有办理中的销号申请，请等待审核结果"))
    if locked.stage != Stage.DISPOSING:
        raise ServiceError(
            _("项目处于“{stage}”阶段，只有处置中的项目才能申请销号").format(stage=locked.get_stage_display()),
        )
    outcome_date, description = _check_request_fields(outcome, outcome_date, description)
    attachments = _existing_evidence(locked, evidence_ids)
    if not attachments and not uploads:
        raise ServiceError(_("请上传至少一份证明材料（验收证书、现场照片等）"), field="evidence")
    from halfbuilt.files.services import store_uploads  # written by the files app

    stored = store_uploads(actor=actor, project=locked, uploads=uploads, kind=AttachmentKind.EVIDENCE)
    with stored.undone_on_failure():  # a failure below deletes the stored files again (their rows roll back)
        try:
            with transaction.atomic():
                request = ClosureRequest.objects.create(
                    project=locked, outcome=outcome, outcome_date=outcome_date, description=description,
                    requested_by=actor.username,
                )
        except IntegrityError:  # a concurrent request won the race for the one open slot
            raise ConflictError(_("该项目已有办理中的销号申请，请等待审核结果")) from None
        request.evidence.set([*attachments, *stored.attachments])
        record_change(
            actor=actor, action="closure_request", obj=request, before=None, after=_labels(request),
            project_id=locked.pk, classified=locked.classified,
        )
        CLOSURE_REVIEW.opened(actor=actor, obj=request, action="request")
        move_stage(actor=actor, project=locked, to=Stage.CLOSING, reason=_("申请销号"))  # the cause, then the move
    return request


def closure_transition(
    *, actor: Actor, request: ClosureRequest | int, action: str, comment: str = ""
) -> ClosureRequest:
    """approve / return (the department) and close (the office): the rows of `CLOSURE_REVIEW`."""
    if action not in ACTIONS:
        raise ServiceError(_("未知操作“{action}”，应为 {allowed}").format(action=action, allowed="、".join(ACTIONS)))
    return CLOSURE_REVIEW.perform(actor=actor, obj=request, action=action, comment=comment)


def closure_review(*, actor: Actor, request: ClosureRequest | int, approve: bool, comment: str = "") -> ClosureRequest:
    return closure_transition(actor=actor, request=request, action="approve" if approve else "return", comment=comment)


def closure_close(*, actor: Actor, request: ClosureRequest | int, comment: str = "") -> ClosureRequest:
    return closure_transition(actor=actor, request=request, action="close", comment=comment)


# --- 回头看 -----------------------------------------------------------------------------------------

def parse_share(share) -> Decimal:
    if share is None or share == "":
        share = settings.FOLLOWUP_SHARE
    try:
        value = Decimal(str(share).strip().rstrip("%")) / (100 if str(share).strip().endswith("%") else 1)
    except InvalidOperation:
        raise ServiceError(
            _("抽取比例“{share}”不是数字，应为 0 到 1 之间的小数，如 0.1").format(share=share), field="share",
        ) from None
    if not value.is_finite() or not Decimal(0) < value <= Decimal(1):
        raise ServiceError(
            _("抽取比例应大于 0 且不超过 1（如 0.1 表示 10%），现为 {share}").format(share=share), field="share",
        )
    if value != value.quantize(Decimal("0.0001")):
        raise ServiceError(_("抽取比例最多保留四位小数"), field="share")
    return value


def sample_size(population: int, share: Decimal) -> int:
    """ceil(population × share): the share is a floor, and any closed project gives a sample of at least one."""
    return min(population, math.ceil(population * share)) if population else 0


def draw(seed: str, population_ids: Sequence[int], size: int) -> list[int]:
    """The draw itself: deterministic given the seed and the sorted population."""
    return sorted(random.Random(seed).sample(sorted(population_ids), size))


def reproduce(sample: FollowUpSample) -> list[int]:
    """Redo a stored draw (for audit): equals the sample's project ids when nothing was tampered with."""
    return draw(sample.seed, sample.population_ids, sample.checks.count())


def sample_population(user):
    """Closed projects the office may check, minus those still pending in an earlier sample (a project is in
    at most one open check, so two samples never check it at the same time)."""
    pending = FollowUpCheck.objects.filter(result=CheckResult.PENDING).values("project_id")
    return (
        Project.objects.restrict(user, "followup")
        .filter(status=Status.IN_LEDGER, stage=Stage.CLOSED)
        .exclude(pk__in=pending)
    )


@transaction.atomic
def draw_sample(*, actor: Actor, share=None, note: str = "") -> FollowUpSample:
    if not may(actor.user, "followup"):
        raise NotAllowed(_("只有领导小组办公室可以抽取回头看样本"))
    value = parse_share(share)
    note = inputs.text(note, field="note", label=_("说明"), limit=200)
    population = list(sample_population(actor.user).select_for_update().values_list("pk", flat=True))
    if not population:
        raise ServiceError(_("目前没有可抽取的已销号项目（或均已在待核查的样本中）"))
    seed = secrets.token_hex(16)
    chosen = draw(seed, population, sample_size(len(population), value))
    sample = FollowUpSample.objects.create(
        drawn_by=actor.user, share=value, population=len(population), seed=seed,
        population_ids=sorted(population), note=note,
    )
    try:
        with transaction.atomic():
            FollowUpCheck.objects.bulk_create([FollowUpCheck(sample=sample, project_id=pk) for pk in chosen])
    except IntegrityError:  # another draw took some of these projects a moment ago
        raise ConflictError(_("另一次抽样刚刚完成，部分项目已在待核查样本中，请重新抽取")) from None
    record_change(
        actor=actor, action="followup_draw", obj=sample, before=None,
        after={"share": str(value), "population": len(population), "sampled": len(chosen), "seed": seed,
               "note": note},
    )
    for project in Project.objects.filter(pk__in=chosen).only("pk", "classified", "name"):
        record_change(
            actor=actor, action="followup_draw", obj=sample, before=None,
            after={"result": str(CheckResult.PENDING.label)}, reason=note,
            project_id=project.pk, classified=project.classified,
        )
    return sample


CHECK_PHOTOS_MAX = 9


@transaction.atomic
def record_check(
    *, actor: Actor, check: FollowUpCheck | int, passed: bool, finding: str = "", photos: Sequence = (),
) -> FollowUpCheck:
    """A passed check leaves the project closed; a failed one needs a finding and reopens the project. The on-site
    photos are stored with the result, in its transaction (their GPS position and time taken kept as data)."""
    if len(photos) > CHECK_PHOTOS_MAX:
        raise ServiceError(_("每次最多上传 {limit} 张现场照片").format(limit=CHECK_PHOTOS_MAX), field="photos")
    checked = FOLLOWUP_CHECK.perform(actor=actor, obj=check, action="pass" if passed else "fail", comment=finding)
    if photos:
        from halfbuilt.files.services import store_uploads  # written by the files app

        stored = store_uploads(actor=actor, project=checked.project, uploads=photos, kind=AttachmentKind.PHOTO)
        with stored.undone_on_failure():
            checked.photos.add(*stored.attachments)
    return checked
