"""API authentication: a bearer token (scripts, other systems) or the browser's session (with CSRF).

Both hand the handler `request.auth`, the acting user; scope is then the same selector as the UI's.
"""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from halfbuilt.accounts.models import ApiToken

# Writing last_used_at on every call would turn each read into a write (and a SQLite lock).
LAST_USED_RESOLUTION = timedelta(minutes=1)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        token = token.strip()
        found = (
            ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(token)).first() if token else None
        )
        if found is None or not found.user.is_active:
            # A wrong token is refused outright, never silently replaced by a session.
            raise AuthenticationError(message=_("API 令牌无效或账号已停用"))
        now = timezone.now()
        if settings.API_TOKEN_DAYS and found.created_at < now - timedelta(days=settings.API_TOKEN_DAYS):
            raise AuthenticationError(message=_("API 令牌已过期（有效期 {days} 天），请重新申请").format(
                days=settings.API_TOKEN_DAYS))
        # Locked out of signing in from this address (too many wrong passwords): its tokens from here too.
        if AxesProxyHandler.is_locked(request, {"username": found.user.get_username()}):
            raise AuthenticationError(message=_("账号已被锁定，请联系系统管理员解锁"))
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """Django's session, as ninja's `django_auth`, with CSRF enforced for unsafe methods.

    Anonymous requests are left to answer 401 (not a CSRF 403), and a request that carries an
    Authorization header is judged by that header alone.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest):
        if "authorization" in request.headers or not request.user.is_authenticated:
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and check_csrf(request):
            raise HttpError(403, _("CSRF 校验失败：使用登录会话调用写接口时须带 X-CSRFToken 请求头"))
        return request.user

    def authenticate(self, request: HttpRequest, key: str | None):  # pragma: no cover - __call__ decides
        return request.user if request.user.is_authenticated else None


bearer_token = BearerToken()
session_auth = SessionAuth()


def signed_in_for_docs(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API's schema and its documentation page are for signed-in users (a session or a token), like every
    other address: they describe what the system holds. The schema answers 401 in JSON, the page sends the
    browser to sign in."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated and "authorization" in request.headers:
            try:
                bearer_token(request)
            except AuthenticationError as refused:
                return JsonResponse({"detail": refused.message}, status=401)
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse({"detail": _("请先登录，或使用 API 令牌")}, status=401)
        return redirect_to_login(request.get_full_path())

    return guarded
