"""The product's URLs plus the baseline of bench/portal_bench.py: bare Django views that return, from memory, the
bytes the portal's pages returned once (the same stack — settings, middleware, WSGI server — without the view's
work: the ceiling of this machine for those answers)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from halfbuilt.config.urls import urlpatterns as product_urlpatterns

KEPT: dict[str, tuple[bytes, str]] = {}


@login_not_required
def bare(request: HttpRequest, name: str) -> HttpResponse:
    """`name` is a portal address with "~" for "/" (bench-bare/~gongkai~projects~?page=2): its bytes, taken once."""
    query = request.META.get("QUERY_STRING", "")
    key = name.replace("~", "/") + (f"?{query}" if query else "")
    if key not in KEPT:
        answer = Client(HTTP_HOST="127.0.0.1").get(key)
        KEPT[key] = (answer.content, answer["Content-Type"])
    content, content_type = KEPT[key]
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "max-age=60, public"
    return response


urlpatterns = [path("bench-bare/<str:name>", bare), *product_urlpatterns]
