"""Mounted at /api/v1/ by config/urls.py. Unknown addresses and methods answer JSON, not an HTML page."""

from functools import wraps

from django.http import Http404, JsonResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .api import api
from .errors import NOT_FOUND

JSON_PARAMS = {"ensure_ascii": False}


@csrf_exempt  # an unknown address answers 404 for any method; there is nothing to protect
def not_found(request, rest: str = ""):
    return JsonResponse({"detail": str(NOT_FOUND)}, status=404, json_dumps_params=JSON_PARAMS)


def json_errors(view):
    """ninja answers an unsupported method with a plain-text 405, and its root address (/api/v1/) with
    Django's 404 page; say both in JSON, keeping the Allow header."""

    @wraps(view)  # keeps csrf_exempt: the API checks CSRF itself, for session writes only
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return not_found(request)
        if response.status_code == 405:
            allowed = response["Allow"]
            response = JsonResponse({
                "detail": _("不支持 {method} 方法，可用：{allowed}").format(method=request.method, allowed=allowed),
            }, status=405,
                                    json_dumps_params=JSON_PARAMS)
            response["Allow"] = allowed
        return response

    return wrapped


# Not named app_name: include() would read that as this module's namespace.
_patterns, _app, _namespace = api.urls
for _pattern in _patterns:
    _pattern.callback = json_errors(_pattern.callback)

urlpatterns = [
    path("", (_patterns, _app, _namespace)),
    path("<path:rest>", not_found),
]
