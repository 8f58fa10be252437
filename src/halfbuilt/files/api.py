"""The /api/v1/files endpoints: list and read the attachments the user may see (those of visible projects, and the
evidence of the 督办 on an organisation the user may see), upload one to a project (multipart).

Same rules as the pages: an invisible project or attachment is a 404; uploading needs a writing role on the
project (403); a refused file is a 422 naming it.
"""

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from halfbuilt.api.common import user
from halfbuilt.api.pagination import Order, Page, PageParams, cursor_page
from halfbuilt.api.schemas import Id
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project

from . import services
from .models import Attachment, AttachmentKind
from .views import file_response

router = Router(tags=["files"])


class FilesError(Schema):
    detail: str | list


Error = FilesError  # named apart in the OpenAPI schema: a second "Error" component replaced the API's own


class AttachmentOut(Schema):
    id: UUID
    project: int | None = Field(description="所属项目 id；对组织的督办回复所附的证明材料不属于项目，为 null")
    kind: str = Field(description="photo 照片 / evidence 证明材料 / document 文件")
    original_name: str
    content_type: str
    size: int = Field(description="存储副本的字节数（照片为去除 EXIF 后的副本）")
    sha256: str
    gps_latitude: Decimal | None
    gps_longitude: Decimal | None
    taken_at: datetime | None
    uploaded_by: str
    uploaded_at: datetime
    download_url: str


NEWEST_UPLOAD = Order("uploaded", "uploaded_at")


class ListParams(PageParams):
    project: Id | None = Field(None, description="项目 id；不填则列出您可见的全部附件")
    kind: AttachmentKind | None = Field(None, description="photo / evidence / document")



def _out(request: HttpRequest, attachment: Attachment) -> dict:
    return {
        "id": attachment.pk,
        "project": attachment.project_id,
        "kind": attachment.kind,
        "original_name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "gps_latitude": attachment.gps_latitude,
        "gps_longitude": attachment.gps_longitude,
        "taken_at": timezone.localtime(attachment.taken_at) if attachment.taken_at else None,
        "uploaded_by": attachment.uploaded_by.get_username(),
        "uploaded_at": timezone.localtime(attachment.uploaded_at),
        # The API's own address, so a bearer token can fetch it (the page address needs a signed-in session).
        "download_url": request.build_absolute_uri(reverse("api:attachment_content", args=[attachment.pk])),
    }


def _project(request: HttpRequest, project_id: int) -> Project:
    project = Project.objects.restrict(user(request)).filter(pk=project_id).first()
    if project is None:
        raise HttpError(404, _("项目不存在，或您无权查看"))
    return project


@router.get("", response={200: Page[AttachmentOut], 400: Error, 401: Error, 404: Error}, summary="附件列表")
def attachment_list(request: HttpRequest, params: Query[ListParams]):
    """Attachments you may see (of the projects you see, and the evidence of the orders on an organisation you see),
    newest first."""
    queryset = services.attachments_visible_to(user(request)).select_related("uploaded_by")
    if params.project is not None:
        queryset = queryset.filter(project=_project(request, params.project))
    if params.kind:
        queryset = queryset.filter(kind=params.kind)
    rows, envelope = cursor_page(request, queryset, params, NEWEST_UPLOAD)
    return {"results": [_out(request, a) for a in rows], **envelope}


@router.get("/{uuid:attachment_id}", response={200: AttachmentOut, 401: Error, 404: Error}, summary="附件信息")
def attachment_detail(request: HttpRequest, attachment_id: UUID):
    queryset = services.attachments_visible_to(user(request)).select_related("uploaded_by")
    return _out(request, get_object_or_404(queryset, pk=attachment_id))


@router.get("/{uuid:attachment_id}/content", response={401: Error, 404: Error}, url_name="attachment_content",
            summary="下载附件内容")
def attachment_content(request: HttpRequest, attachment_id: UUID):
    return file_response(get_object_or_404(services.attachments_visible_to(user(request)), pk=attachment_id))


@router.post(
    "", response={201: AttachmentOut, 400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error},
    summary="上传附件（multipart/form-data：project、kind、file）",
)
def attachment_create(
    request: HttpRequest,
    project: Form[int],
    kind: Form[AttachmentKind],
    file: File[UploadedFile],
):
    """The file is checked (type, size, content, zip bombs) before it is stored; photos lose their EXIF and keep
    their GPS position as data."""
    target = _project(request, project)
    if not services.can_upload(user(request), target):
        raise HttpError(403, _("您无权向该项目上传附件"))
    attachment = services.store_upload(
        actor=Actor.from_request(request, via="api"), project=target, upload=file, kind=kind
    )
    return Status(201, _out(request, attachment))
