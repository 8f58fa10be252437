"""Public pages are the same for everyone, so they may be kept: by browsers and proxies (`Cache-Control: public`,
overriding the no-store default of core.middleware.NoStoreByDefault, which leaves a view's own header alone) and by
the server itself, which answers a page it rendered less than PUBLIC_CACHE_SECONDS ago from memory. A visitor who
carries a session cookie (a signed-in official) gets `private`: a shared cache never keeps an answer that might
renew the session's cookie."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

PREFIX = "public-page:"


def _key(request: HttpRequest) -> str:
    digest = hashlib.sha256(request.get_full_path().encode("utf-8", "surrogateescape")).hexdigest()
    return f"{PREFIX}{get_language()}:{digest}"


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page anyone may open (no sign-in), by GET or HEAD only, cached for PUBLIC_CACHE_SECONDS when it is a 200."""

    @login_not_required
    @require_safe
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        seconds = settings.PUBLIC_CACHE_SECONDS
        key = _key(request) if seconds else ""
        kept = cache.get(key) if seconds else None
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
        else:
            response = view(request, *args, **kwargs)
            if seconds and response.status_code == 200 and not response.streaming:
                headers = [(n, v) for n, v in response.items() if n.lower() in KEPT_HEADERS]
                cache.set(key, (response.content, headers), seconds)
        if response.status_code == 200:
            shared = settings.SESSION_COOKIE_NAME not in request.COOKIES
            patch_cache_control(response, max_age=seconds, **({"public": True} if shared else {"private": True}))
        return response

    return wrapped


KEPT_HEADERS = {"content-type", "content-disposition", "x-content-type-options", "content-security-policy"}
