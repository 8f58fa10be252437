"""Import jobs: an uploaded file is analysed into a plan (preview), then applied all or nothing.

Both steps run inline for small files and on the huey worker for big ones (see `ledger/tasks.py`);
they record progress and results on the ImportJob, which the preview page polls.
"""

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from halfbuilt.core.errors import BUSY, ServiceError, is_busy
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import ImportJob
from halfbuilt.regions.models import Region

from .plan import ImportContext, build_plan
from .reader import EXTENSIONS, ReadError, check_file, estimate_rows, read_workbook, unsupported_type
from .stream import import_sheets

log = logging.getLogger(__name__)
State = ImportJob.State


def job_path(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / job.file


def save_upload(*, user, region: Region, upload: UploadedFile, ip: str = "") -> ImportJob:
    """Check the upload (size, extension, content) and keep it under MEDIA_ROOT/imports; ReadError if bad."""
    limit = settings.IMPORT_MAX_UPLOAD_MB
    if upload.size > limit * 1024 * 1024:
        raise ReadError(_("文件大小 {size:.1f} MB，超过 {limit} MB 的上限，请拆分后分批导入").format(
            size=upload.size / 1024 / 1024, limit=limit))
    ext = Path(upload.name).suffix.lower()
    if ext not in EXTENSIONS:
        raise unsupported_type(ext)
    job_id = uuid.uuid4()
    relative = f"imports/{job_id}{ext}"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        for chunk in upload.chunks():
            f.write(chunk)
    try:
        check_file(path, ext)
    except ReadError:
        path.unlink(missing_ok=True)
        raise
    return ImportJob.objects.create(
        id=job_id, user=user, region=region, file=relative, original_name=Path(upload.name).name[:200],
        ip=ip or None,
    )


def is_big(job: ImportJob) -> bool:
    rows = job.result.get("rows") if job.result else None
    if rows is None:
        rows = estimate_rows(job_path(job))
    return rows > settings.IMPORT_BACKGROUND_ROWS


def _actor(job: ImportJob) -> Actor:
    return Actor(user=job.user, ip=job.ip or "", via="import")


def _progress(job_id, fraction: float, low: int = 0, high: int = 100) -> None:
    ImportJob.objects.filter(pk=job_id).update(progress=low + int((high - low) * fraction))


def _failed(job_id, message: str, state: str = State.FAILED, result: dict | None = None) -> None:
    base = {"rows": 0, "created": 0, "updated": 0, "unchanged": 0, "errors": [], "message": message}
    ImportJob.objects.filter(pk=job_id).update(
        status=state, progress=100, result={**base, **(result or {})}, finished_at=timezone.now()
    )


def _plan(job: ImportJob, low: int, high: int):
    sheets = read_workbook(job_path(job), Path(job.file).suffix, job.original_name)
    ctx = ImportContext.for_user(_actor(job), job.region)
    return ctx, build_plan(sheets, ctx, progress=lambda f: _progress(job.pk, f, low, high))


def run_analysis(job_id) -> None:
    job = ImportJob.objects.select_related("user", "region__parent").get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(status=State.ANALYSING, progress=1)
    try:
        _, plan = _plan(job, 1, 99)
    except ReadError as exc:
        error = {"sheet": "", "row": 0, "column": "", "message": str(exc), "col": None}
        return _failed(job.pk, str(exc), State.INVALID, {"errors": [error]})
    except Exception as exc:
        if is_busy(exc):
            return _failed(job.pk, str(BUSY))
        log.exception("import analysis failed: %s", job_id)
        return _failed(job.pk, _("检查文件时出现内部错误，请联系管理员"))
    ImportJob.objects.filter(pk=job.pk).update(
        status=State.READY if plan.ok else State.INVALID, progress=100, result=plan.summary(stored=True),
        finished_at=timezone.now(),
    )


def start_apply(job: ImportJob) -> bool:
    """Mark a previewed job as being applied; False when it is not ready (e.g. a double click)."""
    return bool(ImportJob.objects.filter(pk=job.pk, status=State.READY).update(status=State.APPLYING, progress=0))


def run_apply(job_id) -> None:
    """Check the file again (the ledger may have changed since the preview) while writing it, all or nothing."""
    job = ImportJob.objects.select_related("user", "region__parent").get(pk=job_id)
    try:
        sheets = read_workbook(job_path(job), Path(job.file).suffix, job.original_name)
        ImportJob.objects.filter(pk=job.pk).update(progress=10)
        ctx = ImportContext.for_user(_actor(job), job.region)
        plan = import_sheets(sheets, ctx, batch=str(job.pk), progress=lambda f: _progress(job.pk, f, 10, 95))
    except (ReadError, ServiceError) as exc:
        return _failed(job.pk, getattr(exc, "message", str(exc)))
    except Exception as exc:
        if is_busy(exc):  # e.g. its progress could not be stored while another import held the database
            return _failed(job.pk, str(BUSY))
        log.exception("import apply failed: %s", job_id)
        return _failed(job.pk, _("导入时出现内部错误，未写入任何数据，请联系管理员"))
    ImportJob.objects.filter(pk=job.pk).update(
        status=State.DONE if plan.ok else State.INVALID, progress=100, result=plan.summary(stored=True),
        finished_at=timezone.now(),
    )
