"""Tip-off writes: a citizen's report (anonymous: the actor has no user), and the moderators' accept, link and
reject. Keyword-only, the actor explicit, each with its change-log entry in the same transaction; every state
change through the kernel (workflow.TIPOFF_FLOW); the project row is locked before the tip-off's."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.audit.services import record_change, record_personal_view
from halfbuilt.core import inputs
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.files import checks
from halfbuilt.files.models import AttachmentKind
from halfbuilt.ledger.models import Kind, Project
from halfbuilt.regions.models import Region
from halfbuilt.workflow.signals import transition_performed

from .models import PERSONAL, TipOff, TipOffPhoto
from .workflow import ANSWER_MAX, TIPOFF_FLOW, snapshot

LIMITS = {"what": 200, "address": 200, "description": 2000, "reporter_name": 50, "reporter_phone": 20}
LABELS = {"what": gettext_lazy("工程名称或描述"), "address": gettext_lazy("详细地址"),
          "description": gettext_lazy("情况描述"), "reporter_name": gettext_lazy("姓名"),
          "reporter_phone": gettext_lazy("联系电话")}


def _coordinate(value, *, field: str, label: str, low: int, high: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not low <= number <= high:
        message = _("{label}应为 {low} 到 {high} 之间的数").format(label=label, low=low, high=high)
        raise ServiceError(message, field=field)
    return number.quantize(Decimal("0.000001"))


OUTSIDE = gettext_lazy("位置不在{province}范围内（经度 {west}–{east}，纬度 {south}–{north}）：请在地图上重新选点，"
                       "或不填经纬度、只填所在地区和详细地址")


def _inside_province(lat: Decimal | None, lng: Decimal | None) -> None:
    """A position given must fall in the province's bounding box (settings.CAMPAIGN_PROVINCE_BOUNDS)."""
    west, south, east, north = settings.CAMPAIGN_PROVINCE_BOUNDS
    field = ("longitude" if lng is not None and not west <= lng <= east
             else "latitude" if lat is not None and not south <= lat <= north else None)
    if field is None:
        return
    province = Region.objects.filter(code=settings.CAMPAIGN_PROVINCE_CODE).values_list("name", flat=True).first()
    raise ServiceError(OUTSIDE.format(province=province or _("本省（自治区）"), west=west, east=east, south=south,
                                      north=north), field=field)


def _region(code) -> Region:
    region = Region.objects.filter(code=str(code or "").strip()).first()
    if region is None:
        raise ServiceError(inputs.required_message(_("所在地区")), field="region")
    return region


@transaction.atomic
def submit(*, actor: Actor, what: str, region, address: str = "", kind: str, description: str,
           latitude=None, longitude=None, reporter_name: str = "", reporter_phone: str = "",
           photos: Sequence[UploadedFile] = (), project_id: int | None = None) -> TipOff:
    """Take a citizen's tip-off: every field checked, photos checked and stripped of EXIF; nothing partial."""
    values = {key: inputs.text(value, field=key, label=LABELS[key], limit=LIMITS[key],
                               required=key in {"what", "description"})
              for key, value in (("what", what), ("address", address), ("description", description),
                                 ("reporter_name", reporter_name), ("reporter_phone", reporter_phone))}
    region = region if isinstance(region, Region) else _region(region)
    if kind not in Kind.values:
        raise ServiceError(inputs.required_message(_("类型")), field="kind")
    lat = _coordinate(latitude, field="latitude", label=_("纬度"), low=-90, high=90)
    lng = _coordinate(longitude, field="longitude", label=_("经度"), low=-180, high=180)
    _inside_province(lat, lng)
    if len(photos) > settings.TIPOFF_PHOTOS_MAX:
        raise ServiceError(_("照片最多 {max} 张").format(max=settings.TIPOFF_PHOTOS_MAX), field="photos")
    checked = [_check_photo(upload) for upload in photos]  # all before anything is written
    from halfbuilt.public.selectors import public_projects  # a hint only when the project is public

    suggested = public_projects().filter(pk=project_id).first() if project_id else None
    tipoff = TipOff.objects.create(
        region=region, prefecture=region.prefecture, kind=kind, latitude=lat, longitude=lng,
        suggested_project=suggested, **values)
    stored = []
    try:
        for item in checked:
            photo = TipOffPhoto(tipoff=tipoff, original_name=item.name, content_type=item.content_type,
                                size=len(item.data), sha256=hashlib.sha256(item.data).hexdigest(),
                                gps_latitude=item.latitude, gps_longitude=item.longitude, taken_at=item.taken_at)
            photo.file.save(f"{photo.id}.{item.extension}", ContentFile(item.data), save=False)
            stored.append(photo)
            photo.save()
        after = {**snapshot(tipoff), "what": tipoff.what, "code": tipoff.code,
                 "photos": "、".join(p.original_name for p in stored)}
        record_change(actor=actor, action="tipoff_receive", obj=tipoff, before=None, after=after)
    except Exception:
        for photo in stored:
            photo.file.storage.delete(photo.file.name)
        raise
    TIPOFF_FLOW.opened(actor=actor, obj=tipoff, action="receive")
    return tipoff


def _check_photo(upload: UploadedFile) -> checks.Checked:
    def read() -> bytes:
        upload.seek(0)
        return upload.read()

    name = checks.clean_name(upload.name or "")
    if upload.size is None:
        raise ServiceError(_("文件“{name}”：无法确定文件大小").format(name=name), field="photos")
    try:
        return checks.check(name=name, size=upload.size, read=read, kind=AttachmentKind.PHOTO)
    except ServiceError as error:
        raise ServiceError(error.message, field="photos") from error


def _answer(text: str) -> str:
    return inputs.text(text, field="answer", label=_("公开答复"), limit=ANSWER_MAX)


def _finish(*, actor: Actor, step, project: Project, answer: str) -> TipOff:
    tipoff = step.obj
    tipoff.status, tipoff.project = step.transition.target, project
    tipoff.public_answer, tipoff.decided_by, tipoff.decided_at = answer, actor.user, timezone.now()
    TIPOFF_FLOW.save(tipoff, ["status", "project", "public_answer", "decided_by", "decided_at"])
    record_change(actor=actor, action=TIPOFF_FLOW.log_action(step.transition), obj=tipoff, before=step.before,
                  after=snapshot(tipoff), reason=answer, project_id=project.pk, classified=project.classified)
    transition_performed.send(sender=TipOff, workflow=TIPOFF_FLOW, obj=tipoff, transition=step.transition,
                              actor=actor, comment=answer)
    return tipoff


@transaction.atomic
def accept(*, actor: Actor, tipoff_id: int, name: str, category, department=None, answer: str = "",
           version: int | None = None) -> TipOff:
    """A new candidate project (待核实) made from the tip-off, through the ledger's own create; its source (the
    tip-off and its code) is in the project's change log."""
    from halfbuilt.ledger.services import project_create

    visible = TipOff.objects.restrict(actor.user, "moderate").filter(pk=tipoff_id).first()
    if visible is None:
        raise NotAllowed(_("线索不存在，或您无权查看"))
    answer = _answer(answer) or _("您反映的情况已受理，列入待核实项目。")
    name = inputs.text(name, field="name", label=_("项目名称"), limit=200, required=True)
    if category is None:
        raise ServiceError(inputs.required_message(_("项目类别")), field="category")
    step = TIPOFF_FLOW.begin(actor=actor, obj=tipoff_id, action="accept", version=version)
    project = project_create(actor=actor, data={
        "name": name, "region": visible.region, "address": visible.address, "longitude": visible.longitude,
        "latitude": visible.latitude, "kind": visible.kind, "category": category, "department": department,
        "content": visible.description[:2000]})
    record_change(actor=actor, action="tipoff_source", obj=project, before=None,
                  after={"source": _("线索举报 {code}").format(code=step.obj.code)}, project_id=project.pk)
    return _finish(actor=actor, step=step, project=project, answer=answer)


@transaction.atomic
def link(*, actor: Actor, tipoff_id: int, project_id: int, answer: str = "", version: int | None = None) -> TipOff:
    """The tip-off is about a project already in the ledger (or a candidate): linked to it."""
    project = Project.objects.lock_for(actor.user, "view", project_id) if project_id else None
    if project is None:
        raise ServiceError(_("关联项目不存在，或您无权查看"), field="project")
    step = TIPOFF_FLOW.begin(actor=actor, obj=tipoff_id, action="link", version=version)
    answer = _answer(answer) or _("您反映的项目已在台账中，正在处置。")
    return _finish(actor=actor, step=step, project=project, answer=answer)


def reject(*, actor: Actor, tipoff_id: int, answer: str, version: int | None = None) -> TipOff:
    """Not a half-built work (or not one we handle): the reason is the public answer."""
    return TIPOFF_FLOW.perform(actor=actor, obj=tipoff_id, action="reject", comment=answer, version=version)


@transaction.atomic
def reveal_contact(*, actor: Actor, tipoff_id: int) -> TipOff:
    """A moderator asks for the reporter's name and phone in full: logged (查看个人信息) as the ledger's contacts
    are, in this transaction. Whoever does not moderate the tip-off is refused."""
    tipoff = TipOff.objects.restrict(actor.user).filter(pk=tipoff_id).first()
    if tipoff is None:
        raise NotAllowed(_("线索不存在，或您无权查看"))
    record_personal_view(actor=actor, obj=tipoff, fields=[key for key in PERSONAL if getattr(tipoff, key)])
    return tipoff
