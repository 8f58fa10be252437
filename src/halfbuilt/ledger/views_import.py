"""Import of county spreadsheets on the web: upload → preview (counts, every error with its cell, an error
report) → confirm. Big files are analysed and applied on the worker while the preview shows progress.

A job is visible only to the user who uploaded it; anyone else gets a 404.
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halfbuilt.accounts import scope
from halfbuilt.regions.models import Region

from . import tasks
from .intake import jobs
from .intake.reader import ReadError
from .intake.report import build_error_report, cell_name
from .intake.template import build_template
from .models import ImportJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_ERRORS = 1000  # the page lists this many; the error report has them all


def _submit_regions(user) -> list[Region]:
    return list(Region.objects.filter(scope.submit_regions_q(user)).select_related("parent").order_by("code"))


class UploadForm(forms.Form):
    region = forms.ChoiceField(
        label=gettext_lazy("填报地区"), help_text=gettext_lazy("以哪个地区的名义报送；文件中的项目须在该地区范围内。"),
    )
    file = forms.FileField(
        label=gettext_lazy("台账文件"),
        error_messages={"required": gettext_lazy("请选择要上传的文件"), "empty": gettext_lazy("上传的文件是空的")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )

    def __init__(self, *args, regions: list[Region], **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {r.code: r for r in regions}
        self.fields["region"].choices = [(r.code, f"{r.full_name}（{r.code}）") for r in regions]
        self.fields["file"].help_text = (
            _("支持 .xlsx、.xls、.csv（UTF-8 或 GBK 编码），不超过 {limit} MB。").format(
                limit=settings.IMPORT_MAX_UPLOAD_MB,
            )
        )

    def clean_region(self) -> Region:
        return self.regions[self.cleaned_data["region"]]


def _own_job(request: HttpRequest, job_id) -> ImportJob:
    return get_object_or_404(ImportJob.objects.restrict(request.user).select_related("region__parent"), pk=job_id)


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    regions = _submit_regions(request.user)
    if not regions:
        raise PermissionDenied(_("您没有填报台账的权限"))
    home = next((a.organization.region_id for a in scope.assignments(request.user)
                 if a.organization.region_id in {r.code for r in regions}), regions[0].code)
    form = UploadForm(request.POST or None, request.FILES or None, regions=regions, initial={"region": home})
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.save_upload(user=request.user, region=form.cleaned_data["region"],
                                   upload=form.cleaned_data["file"], ip=request.META.get("REMOTE_ADDR", ""))
        except ReadError as exc:
            form.add_error("file", str(exc))
        else:
            # Always on the worker, never in this web server process: a hostile file that got past the checks
            # could still cost the reader seconds of CPU (the preview page follows the job until it is done).
            tasks.analyse_import(str(job.pk))
            return redirect("ledger:import_preview", job_id=job.pk)
    recent = ImportJob.objects.restrict(request.user).select_related("region__parent")[:10]
    return render(request, "ledger/import_upload.html", {"form": form, "recent": recent})


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    regions = _submit_regions(request.user)
    if not regions:
        raise PermissionDenied(_("您没有填报台账的权限"))
    response = HttpResponse(build_template(regions), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, _("半拉子工程台账导入模板.xlsx"))
    return response


def _status(job: ImportJob) -> dict:
    return {
        "status": job.status, "status_label": job.get_status_display(), "progress": job.progress,
        "running": job.running, "rows": job.result.get("rows"), "errors": len(job.result.get("errors", [])),
    }


@require_GET
def import_preview(request: HttpRequest, job_id) -> HttpResponse:
    job = _own_job(request, job_id)
    result = job.result or {}
    errors = [{**e, "cell": cell_name(e.get("row"), e.get("col"))} for e in result.get("errors", [])[:SHOWN_ERRORS]]
    warnings = [{**w, "cell": cell_name(w.get("row"), w.get("col"))} for w in result.get("warnings", [])]
    ledger_url = f"{reverse('ledger:project_list')}?region={job.region_id}&status=candidate"
    return render(request, "ledger/import_preview.html", {
        "job": job, "result": result, "errors": errors, "error_count": len(result.get("errors", [])),
        "warnings": warnings, "shown_errors": SHOWN_ERRORS, "ledger_url": ledger_url,
        "can_confirm": job.status == ImportJob.State.READY and not result.get("errors"),
        "max_mb": settings.IMPORT_MAX_UPLOAD_MB,
    })


@require_GET
def import_status(request: HttpRequest, job_id) -> JsonResponse:
    return JsonResponse(_status(_own_job(request, job_id)))


@require_POST
def import_confirm(request: HttpRequest, job_id) -> HttpResponse:
    job = _own_job(request, job_id)
    if not scope.can_submit_in(request.user, job.region):
        raise PermissionDenied(_("您已无权在该地区填报"))
    if job.status != ImportJob.State.READY or job.result.get("errors"):
        messages.error(request, _("该文件当前不能导入：请先修改文件中的错误并重新上传。"))
        return redirect("ledger:import_preview", job_id=job.pk)
    if not jobs.start_apply(job):
        messages.info(request, _("该文件已在导入中。"))
        return redirect("ledger:import_preview", job_id=job.pk)
    if jobs.is_big(job):
        tasks.apply_import(str(job.pk))
    else:
        jobs.run_apply(job.pk)
    job.refresh_from_db()
    if job.status == ImportJob.State.DONE:
        messages.success(
            request,
            _("导入完成：新建 {created} 个项目，更新 {updated} 个，未变 {unchanged} 个。").format(
                created=job.result.get("created", 0), updated=job.result.get("updated", 0),
                unchanged=job.result.get("unchanged", 0),
            ),
        )
    return redirect("ledger:import_preview", job_id=job.pk)


@require_GET
def import_error_report(request: HttpRequest, job_id) -> HttpResponse:
    job = _own_job(request, job_id)
    errors = job.result.get("errors") or []
    path = jobs.job_path(job)
    if not errors or not path.exists():
        raise Http404(_("没有错误报告"))
    content = build_error_report(path, Path(job.file).suffix, errors, job.result.get("warnings") or [],
                                 name=job.original_name)
    response = HttpResponse(content, content_type=XLSX)
    name = _("错误报告-{stem}.xlsx").format(stem=Path(job.original_name).stem)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
