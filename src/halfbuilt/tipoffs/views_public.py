"""The portal's tip-off pages (no sign-in): the form, and the tracking page by code. Never cached: the form
carries a per-session captcha, the tracking page a code only its reporter knows."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from halfbuilt.core import ids
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.forms import add_service_error
from halfbuilt.core.request_context import Actor

from . import abuse, picker, selectors, services
from .forms import ReportForm

CAPTCHA_WRONG = gettext_lazy("验证问题回答错误，请回答新的问题")


def _initial(request: HttpRequest) -> dict:
    """Prefilled from the project page the reporter came from (its 公示牌's QR code)."""
    from halfbuilt.public.selectors import public_project

    raw = request.GET.get("project", "")
    project = public_project(int(raw)) if raw.isdigit() and len(raw) <= ids.DIGITS else None
    if project is None:
        return {}
    return {"what": project.name, "region": project.region_code, "address": project.address, "kind": project.kind,
            "project": project.id}


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "public/message.html", {
        "message": _("同一网络一小时内提交的线索已达上限，请稍后再试。")}, status=429)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = ReportForm(initial=_initial(request))
    else:
        if abuse.over_limit(request):
            return _too_many(request)
        form = ReportForm(request.POST, request.FILES)
        # The captcha is used up by this try, right or wrong (one-time).
        captcha_ok = abuse.answer_ok(request, request.POST.get("captcha", ""))
        if form.is_valid() and not captcha_ok:
            form.add_error("captcha", CAPTCHA_WRONG)
        if form.is_valid():
            data = form.cleaned_data
            try:
                tipoff = services.submit(
                    actor=Actor(user=None, ip=request.META.get("REMOTE_ADDR", ""), via="portal"),
                    what=data["what"], region=data["region"], address=data["address"], kind=data["kind"],
                    description=data["description"], latitude=data["latitude"], longitude=data["longitude"],
                    reporter_name=data["reporter_name"], reporter_phone=data["reporter_phone"],
                    photos=data["photos"], project_id=data["project"])
            except ServiceError as error:
                add_service_error(form, error)
            else:
                abuse.count(request)
                return redirect("tipoffs:track", code=tipoff.code)
    question = abuse.new_question(request)
    data = form.data.copy() if form.is_bound else None
    if data is not None:  # a new question: the old answer must not stay in the box
        data["captcha"] = ""
        form.data = data
    return render(request, "tipoffs/report.html", {"form": form, "question": question, "pick_map": picker.data(),
                                                   "photos_max": settings.TIPOFF_PHOTOS_MAX})


@login_not_required
@require_safe
def track(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.public_tipoff(code)
    if found is None:
        raise Http404(_("查询码不存在"))
    return render(request, "tipoffs/track.html", {"tipoff": found})
