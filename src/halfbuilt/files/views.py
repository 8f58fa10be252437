"""Attachment pages: my uploads, the upload form of a project, and downloads.

Thin views: a project the user may not see is a 404 (and so are its attachments); uploading needs one of
the writing roles (plan, progress report, closure request) on that project, else 403. Writes go through
`services.store_upload`.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from halfbuilt.accounts.guards import needs_action
from halfbuilt.accounts.people import people_for
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.forms import add_service_error
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project

from . import checks, services
from .models import AttachmentKind

QUEUE_SIZE = 100


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类别"), choices=AttachmentKind.choices, initial=AttachmentKind.PHOTO)
    file = forms.FileField(
        label=gettext_lazy("文件"),
        error_messages={"required": gettext_lazy("请选择要上传的文件"), "empty": gettext_lazy("上传的文件是空的")},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(f".{e}" for e in checks.CONTENT_TYPES))}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            _("照片：.jpg、.png、.webp；证明材料和文件另可为 .pdf、.docx、.xlsx、.doc、.xls、.ofd。"
              "不超过 {limit} MB。照片的定位信息保存为数据，文件中的 EXIF 信息会被去除。").format(
                limit=settings.ATTACHMENT_MAX_MB)
        )


def upload_form() -> UploadForm:
    return UploadForm(auto_id="attach_%s")


@require_GET
@needs_action("view")
def queue(request: HttpRequest) -> HttpResponse:
    """The user's own recent uploads (still visible to them)."""
    attachments = (
        services.attachments_visible_to(request.user).filter(uploaded_by=request.user)
        .select_related("project").order_by("-uploaded_at")[:QUEUE_SIZE]
    )
    return render(request, "files/queue.html", {"attachments": attachments})


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.restrict(request.user), pk=pk)
    if not services.can_upload(request.user, project):
        raise PermissionDenied(_("您无权向该项目上传附件"))
    form = UploadForm(request.POST, request.FILES, auto_id="attach_%s") if request.method == "POST" else upload_form()
    if form.is_bound and form.is_valid():
        try:
            attachment = services.store_upload(
                actor=Actor.from_request(request), project=project,
                upload=form.cleaned_data["file"], kind=form.cleaned_data["kind"],
            )
        except ServiceError as error:
            add_service_error(form, error, {"": "file"})
        else:
            messages.success(request, _("已上传附件“{name}”").format(name=attachment.original_name))
            return redirect(reverse("ledger:project_detail", args=[project.pk]) + "#attachments")
    status = 400 if request.method == "POST" else 200
    return render(request, "files/upload.html", {"project": project, "form": form}, status=status)


@require_GET
def download(request: HttpRequest, id) -> FileResponse:
    return file_response(get_object_or_404(services.attachments_visible_to(request.user), pk=id))


def file_response(attachment) -> FileResponse:
    """The stored file as a download that a browser never renders in place (pages and API alike)."""
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def project_panel(request: HttpRequest, project: Project) -> dict | None:
    """The project page already checked that the user sees `project`; its attachments follow it."""
    attachments = list(project.attachments.select_related("uploaded_by").order_by("-uploaded_at"))
    can_upload = services.can_upload(request.user, project)
    if not (attachments or can_upload):
        return None
    people_for(request).want(*(a.uploaded_by.get_username() for a in attachments))
    return {"project": project, "attachments": attachments, "form": upload_form() if can_upload else None}
