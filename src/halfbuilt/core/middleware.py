from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.shortcuts import render
from django.utils import timezone
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


class IdleSessionMiddleware(SessionMiddleware):
    """The idle timeout (SESSION_COOKIE_AGE from the last request) renewed by saving the session at most once per
    RENEW_SECONDS, instead of Django's SESSION_SAVE_EVERY_REQUEST writing and committing the session row on every
    page (13 ms of a list page on a loaded server). A session thus lapses between AGE − RENEW_SECONDS and AGE
    after the user's last request."""

    RENEW_SECONDS = 60
    TOUCHED = "_idle_renewed_at"

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(timezone.now().timestamp())
            if now - session.get(self.TOUCHED, 0) >= self.RENEW_SECONDS:
                session[self.TOUCHED] = now  # modified: the parent saves it with a fresh expiry
        return super().process_response(request, response)
