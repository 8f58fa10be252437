"""The security administrator's pages (the policy, the sign-in and security events) and every user's own
password change."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from halfbuilt.accounts.guards import needs_duty
from halfbuilt.audit.views import searched_signins
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.forms import add_service_error
from halfbuilt.core.request_context import Actor

from . import policy, services, sessions, state
from .forms import PasswordChangeForm, PolicyForm


@require_http_methods(["GET", "POST"])
@needs_duty("secure")
def policy_page(request: HttpRequest) -> HttpResponse:
    current = policy.current()
    form = PolicyForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.POLICY_FIELDS}
        try:
            services.update_policy(actor=Actor.from_request(request), **values)
            messages.success(request, _("安全策略已保存，即时生效。"))
            return redirect("administration:policy")
        except ServiceError as exc:
            add_service_error(form, exc)
    return render(request, "administration/policy.html", {"form": form, "saved": current.pk and current.updated_at})


@require_GET
@needs_duty("secure")
def security_events(request: HttpRequest) -> HttpResponse:
    """Every sign-in attempt (the security administrator watches failures and lockouts) and the accounts locked
    now. The change log is the auditor's, not shown here."""
    form, page = searched_signins(request)
    return render(request, "administration/security_events.html", {
        "form": form, "page": page, "locked": sorted(state.locked_usernames()),
    })


@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own password: old, new twice, the policy's rules. Forced here (and nowhere else
    reachable) while the password must be changed: reset by an administrator, or expired."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_own_password(actor=Actor.from_request(request),
                                         old_password=form.cleaned_data["old_password"],
                                         new_password=form.cleaned_data["new_password1"])
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            request.user.refresh_from_db()
            update_session_auth_hash(request, request.user)  # stay signed in on this session
            sessions.remember(request, request.user)  # nothing to change any more
            messages.success(request, _("密码已修改。"))
            return redirect("home")
    reason = state.must_change_reason(request.user)
    return render(request, "administration/password_change.html", {
        "form": form, "reason": reason, "rules": _rules(),
    })


def _rules() -> list[str]:
    row = policy.current()
    rules = [_("至少 {n} 个字符").format(n=row.min_length),
             _("包含小写字母、大写字母、数字、符号中的至少 {n} 类").format(n=row.min_classes)]
    if row.history:
        rules.append(_("不能与最近 {n} 次使用过的密码相同").format(n=row.history))
    if row.expiry_days:
        rules.append(_("每 {n} 天须修改一次").format(n=row.expiry_days))
    return rules
