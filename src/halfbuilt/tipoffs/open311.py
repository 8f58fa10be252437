"""Open311 GeoReport v2 (JSON) where it fits, so civic apps can file and follow tip-offs:
services.json (the kinds), requests.json (POST: file one; GET: the status of given ids) and
requests/<id>.json. The service_request_id is the tracking code. A request's public face is its status and the
public answer (status_notes) only: what the reporter wrote is not returned. No API key, no captcha (a civic
app cannot show ours): the per-address rate limit applies. `jurisdiction_id` carries the county's GB/T 2260 code
(the place), since a request needs its region."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from halfbuilt.core.errors import ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Kind

from . import abuse, selectors, services
from .models import TipOffStatus

JSON = {"ensure_ascii": False}
CLOSED = {TipOffStatus.ACCEPTED, TipOffStatus.LINKED, TipOffStatus.REJECTED}
IDS_MAX = 50


def _error(status: int, description: str) -> JsonResponse:
    return JsonResponse([{"code": status, "description": description}], status=status, safe=False,
                        json_dumps_params=JSON)


def _iso(value) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _request(found: selectors.PublicTipOff, kind: str) -> dict:
    return {
        "service_request_id": found.code, "status": "closed" if found.status in CLOSED else "open",
        "status_notes": found.answer or None, "service_name": Kind(kind).label if kind else None,
        "service_code": kind or None, "agency_responsible": _("半拉子工程大起底工作领导小组办公室"),
        "requested_datetime": _iso(found.created_at), "updated_datetime": _iso(found.decided_at or found.created_at),
    }


@login_not_required
@require_safe
def services_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse([{
        "service_code": value, "service_name": str(label), "description": str(label), "metadata": False,
        "type": "realtime", "keywords": str(_("半拉子工程")), "group": str(_("线索举报")),
    } for value, label in Kind.choices], safe=False, json_dumps_params=JSON)


@csrf_exempt  # a civic app posts without our session; nothing of a session is used
@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def requests_json(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        return _create(request)
    ids = [i for i in request.GET.get("service_request_id", "").split(",") if i.strip()][:IDS_MAX]
    if not ids:  # listing would hand out other reporters' codes
        return _error(400, _("请提供 service_request_id（查询码，可用逗号分隔多个）"))
    return JsonResponse([_request(f, k) for f, k in (_found(i.strip()) for i in ids) if f], safe=False,
                        json_dumps_params=JSON)


def _found(code: str):
    from .models import TipOff

    found = selectors.public_tipoff(code)
    kind = TipOff.objects.filter(code=code).values_list("kind", flat=True).first() if found else ""
    return found, kind


@login_not_required
@require_safe
def request_json(request: HttpRequest, code: str) -> JsonResponse:
    found, kind = _found(code)
    if found is None:
        return _error(404, _("查询码不存在"))
    return JsonResponse([_request(found, kind)], safe=False, json_dumps_params=JSON)


def _create(request: HttpRequest) -> JsonResponse:
    if abuse.over_limit(request):
        return _error(429, _("同一网络一小时内提交的线索已达上限，请稍后再试。"))
    post = request.POST
    name = " ".join(p for p in (post.get("last_name", "").strip(), post.get("first_name", "").strip()) if p)
    description = post.get("description", "")
    try:
        if post.get("service_code", "") not in Kind.values:
            raise ServiceError(_("service_code 应为 {codes} 之一").format(codes="、".join(Kind.values)),
                               field="service_code")
        tipoff = services.submit(
            actor=Actor(user=None, ip=request.META.get("REMOTE_ADDR", ""), via="open311"),
            what=post.get("attribute[what]", "") or description[:services.LIMITS["what"]],
            region=post.get("jurisdiction_id", ""), address=post.get("address_string", ""),
            kind=post["service_code"], description=description, latitude=post.get("lat"),
            longitude=post.get("long"), reporter_name=name, reporter_phone=post.get("phone", ""),
            photos=request.FILES.getlist("media")[:settings.TIPOFF_PHOTOS_MAX + 1])
    except ServiceError as error:
        field = {"region": "jurisdiction_id", "latitude": "lat", "longitude": "long", "photos": "media"}.get(
            error.field or "", error.field)
        return _error(400, f"{field}: {error.message}" if field else str(error.message))
    abuse.count(request)
    return JsonResponse([{"service_request_id": tipoff.code,
                          "service_notice": _("已收到，请保存查询码以查看处理情况")}], status=201, safe=False,
                        json_dumps_params=JSON)
