from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme


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
