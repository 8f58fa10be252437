"""Mounted at /api/v1/ by config/urls.py. Unknown addresses under it answer JSON 404, not an HTML page."""

from django.http import JsonResponse
from django.urls import path, re_path

from .api import api
from .errors import NOT_FOUND


def not_found(request, rest: str = ""):
    return JsonResponse({"detail": NOT_FOUND}, status=404, json_dumps_params={"ensure_ascii": False})


urlpatterns = [
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", not_found),
]
