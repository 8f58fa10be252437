"""Storing attachments. `store_upload` is the only way a file gets in: visibility check, validation
(`files/checks.py`), storage (the default storage: local MEDIA_ROOT or S3 by configuration) and the change log,
in one transaction. Callers (plans, progress reports, closure requests, 督办 replies) check their own action's
scope first. An attachment may belong to no project (a 督办 on an organisation): an owner of `owners.py` then
says who sees it."""

import hashlib
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from halfbuilt.audit.services import record_change
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project

from . import checks
from .models import Attachment

# Who may add attachments to a project from the files pages and API: those who write its plan, reports or
# closure request.
UPLOAD_ACTIONS = ("plan_draft", "report", "closure_request")


def attachments_visible_to(user) -> QuerySet[Attachment]:
    """What the downloads, `/files/` and the API read: `Attachment.objects.restrict(user)` (with a project: iff
    the project is visible; without: iff a registered owner grants it — default deny)."""
    return Attachment.objects.restrict(user)


def can_upload(user, project: Project) -> bool:
    return any(Project.objects.permits(user, action, project) for action in UPLOAD_ACTIONS)


def snapshot(attachment: Attachment) -> dict:
    return {
        "attachment_id": str(attachment.pk),
        "original_name": attachment.original_name,
        "kind": attachment.kind,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "gps_latitude": str(attachment.gps_latitude) if attachment.gps_latitude is not None else None,
        "gps_longitude": str(attachment.gps_longitude) if attachment.gps_longitude is not None else None,
        "file": attachment.file.name,
    }


@transaction.atomic
def store_upload(*, actor: Actor, project: Project | None, upload: UploadedFile, kind: str) -> Attachment:
    """Validate and store one uploaded file for `project`; size, content type and sha256 are the stored copy's
    (photos are re-encoded without EXIF).

    `project` None stores an attachment of an aggregate without a project, for an owner registered in
    `owners.py` (a 督办 on an organisation). The caller has then already checked the actor's right to act on
    that aggregate, and links the attachment to it in the same transaction: until something claims it, nobody
    sees it. The file is checked exactly as any other."""
    name = checks.clean_name(upload.name or "")
    if project is not None:
        if not Project.objects.permits(actor.user, "view", project):
            raise NotAllowed(_("文件“{name}”：您无权向该项目上传附件").format(name=name))
        project = Project.objects.get(pk=project.pk)
    if upload.size is None:
        raise ServiceError(_("文件“{name}”：无法确定文件大小").format(name=name), field="file")

    def read() -> bytes:
        upload.seek(0)
        return upload.read()

    checked = checks.check(name=name, size=upload.size, read=read, kind=kind)
    attachment = Attachment(
        project=project,
        kind=kind,
        original_name=checked.name,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        gps_latitude=checked.latitude,
        gps_longitude=checked.longitude,
        taken_at=checked.taken_at,
        uploaded_by=actor.user,
    )
    # Stored under a generated name: the user's name may hold anything; it is kept in original_name.
    attachment.file.save(f"{attachment.id}.{checked.extension}", ContentFile(checked.data), save=False)
    try:
        attachment.save()
        record_change(
            actor=actor, action="attach", obj=attachment, before=None, after=snapshot(attachment),
            project_id=project.pk if project else None, classified=project.classified if project else False,
        )
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


class StoredFiles:
    """The attachments one write stored (`store_uploads`), whose files are removed from storage again when that
    write fails: their rows go with the write's transaction, and so do their files."""

    def __init__(self) -> None:
        self.attachments: list[Attachment] = []

    @contextmanager
    def undone_on_failure(self):
        """Run the rest of the write: if it raises, the stored files are deleted (the rows roll back)."""
        try:
            yield self
        except BaseException:
            for attachment in self.attachments:
                attachment.file.storage.delete(attachment.file.name)
            raise


def store_uploads(*, actor: Actor, project: Project | None, uploads, kind: str) -> StoredFiles:
    """Store several uploads (each as `store_upload`) for one write: when one is refused, the files of those
    stored before it are deleted again; the caller keeps the rest of its write inside
    `with stored.undone_on_failure():`, so that a later failure deletes them too. Call it inside the caller's
    transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("store_uploads must run inside the business write's transaction")
    stored = StoredFiles()
    with stored.undone_on_failure():
        for upload in uploads:
            stored.attachments.append(store_upload(actor=actor, project=project, upload=upload, kind=kind))
    return stored
