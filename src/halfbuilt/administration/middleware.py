"""The security policy on every request of a signed-in user: the idle timeout (the policy's minutes since the
session's last request, noted at most once a minute: a session lapses up to a minute early), the second factor
(a session signed in by password alone reaches only the code page, or the enrolment page when the policy requires
a second factor the user has not set up) and a password that must be changed (reset by an administrator, or
expired): until each is done, every page leads to its page and the API answers 403. All are read from the
session (sessions.py), so a request costs no query for them."""

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import sessions

# What a user with a password to change may still reach: the change page itself, signing out, static files.
OPEN_PREFIXES = ("/static/", "/accounts/logout/", "/accounts/login/")
# The pages of the second factor, the only ones a session signed in by password alone reaches (with the above).
TWO_FACTOR_PAGES = {"verify": "two_factor_verify", "enrol": "two_factor_enrol"}


class PasswordPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or "authorization" in request.headers:
            return self.get_response(request)  # a bearer token is judged by api/auth.py alone
        sessions.refreshed(request, user)
        session, now = request.session, sessions.now()
        seen = session.get(sessions.SEEN)
        if seen is not None and now - seen > session[sessions.IDLE]:
            logout(request)
            if request.path_info.startswith("/api/"):
                return self.get_response(request)  # anonymous now: the API answers 401
            return redirect_to_login(request.get_full_path())
        if seen is None or now - seen >= sessions.RENEW_SECONDS:
            session[sessions.SEEN] = now  # at most once a minute: a session write, not one on every page
        if pending := session.get(sessions.TWO_FACTOR):
            page = reverse(TWO_FACTOR_PAGES[pending])
            if request.path_info != page and not request.path_info.startswith(OPEN_PREFIXES):
                if request.path_info.startswith("/api/"):
                    return JsonResponse({"detail": _("须先完成双因素认证才能继续使用系统")}, status=403)
                return redirect_to_login(request.get_full_path(), page)
            request.sign_in_unfinished = pending  # no menu until then
            return self.get_response(request)
        change = reverse("password_change")
        reason = request.sign_in_unfinished = session[sessions.PASSWORD]
        exempt = request.path_info == change or request.path_info.startswith(OPEN_PREFIXES)
        if reason and not exempt:
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": _("须先修改密码才能继续使用系统")}, status=403)
            return redirect(f"{change}?reason={reason}")
        return self.get_response(request)
