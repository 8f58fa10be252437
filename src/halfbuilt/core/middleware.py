"""The project's middleware: sign-in required by default, a Chinese page for a GET of a form-only address, a 503
page for a busy database, and the request guard.

The guard checks what a request must be before any view (or the CSRF check) reads it: a body within the limits,
a multipart body with its boundary, no NUL character anywhere. Each is refused there, once for every page and API
call, with a Chinese message (JSON for /api/, a page otherwise) instead of a 500 further in."""

import json
from io import BytesIO

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import inputs
from .errors import BUSY, RETRY_AFTER_SECONDS, is_busy


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Default deny for pages: every view needs a signed-in user unless marked login_not_required.

    The API authenticates itself (session or bearer token) and answers 401 in JSON instead of redirecting.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class MethodNotAllowedPage:
    """A page in Chinese for a GET of a form-only address (`require_POST`, the sign-out …), instead of the
    browser's bare 405: what happened and a link back. The API answers its own errors in JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code != 405 or response.content or request.path_info.startswith("/api/")
                or request.method not in ("GET", "HEAD")):
            return response
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
            back = ""
        page = render(request, "405.html", {"back": back}, status=405)
        page["Allow"] = response.get("Allow", "POST")
        return page


class NoStoreByDefault:
    """Pages, API answers and downloads hold project and personal data: no browser or proxy may keep a copy
    (`Cache-Control: no-store`). A view that means to be cached says so itself (its own Cache-Control stays);
    static files never reach here (WhiteNoise answers them first, with their own long-lived headers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response


JSON_PARAMS = {"ensure_ascii": False}


def body_limit(request: HttpRequest) -> int:
    """Largest body in bytes: multipart bodies carry files (each then checked by its own upload limit), any
    other body is form or JSON data."""
    if request.content_type == "multipart/form-data":
        return settings.REQUEST_MAX_MB * 1024 * 1024
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def refusal(request: HttpRequest, status: int, message: str, field: str = "") -> HttpResponse:
    if request.path_info.startswith("/api/"):
        detail = [{"field": field, "message": message}] if field else message
        return JsonResponse({"detail": detail}, status=status, json_dumps_params=JSON_PARAMS)
    return render(request, f"{status}.html", {"message": message}, status=status)


class RequestGuard:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.refused(request) or self.get_response(request)

    def refused(self, request: HttpRequest) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return refusal(request, 400, _("请求头 Content-Length 不是数字"))
        limit = body_limit(request)
        if length > limit:
            return refusal(request, 413, too_big_message(limit))
        if request.content_type == "multipart/form-data" and request.method not in ("GET", "HEAD"):
            try:  # checks the content type's boundary and the length, reading nothing
                MultiPartParser(request.META, BytesIO(b""), request.upload_handlers, request.encoding)
            except MultiPartParserError:
                return refusal(request, 400, _("multipart/form-data 请求缺少有效的 boundary，请由浏览器或 HTTP 库生成"))
        try:
            name = self.nul_in(request)
        except SuspiciousOperation:  # a body past Django's own limits on fields, found while parsing it
            return refusal(request, 413, too_big_message(limit))
        except MultiPartParserError:
            return refusal(request, 400, _("multipart/form-data 请求体无法解析"))
        if name is not None:
            return refusal(request, 400, inputs.nul_message(name), field=name)
        return None

    @staticmethod
    def nul_in(request: HttpRequest) -> str | None:
        if inputs.NUL in request.path_info:
            return _("地址")
        for key, values in request.GET.lists():
            if (found := inputs.first_nul({key: values})) is not None:
                return found.split("[", 1)[0]
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for key, values in request.POST.lists():
                if (found := inputs.first_nul({key: values})) is not None:
                    return found.split("[", 1)[0]
        elif request.content_type == "application/json" and request.body:
            try:
                return inputs.first_nul(json.loads(request.body))
            except (ValueError, RecursionError):  # the API answers a body that is not JSON itself
                return None
        return None


class BusyDatabase:
    """A view that met a database locked past the busy timeout (an import writing, on SQLite most of all; a lock
    wait on PostgreSQL) answers 503 with the one busy message, as a page or as the API's JSON, never a 500:
    nothing was saved and trying again later works. A view catching ServiceError shows Busy in its form itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy(exception):
            return None
        response = refusal(request, 503, str(BUSY))
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def too_big_message(limit: int) -> str:
    return _("请求体过大：超过 {limit} MB 的上限").format(limit=round(limit / 1024 / 1024, 1))
