"""Two-factor sign-in pages: the code after the password, a user's enrolment (QR code, then the recovery codes
shown once), and the security administrator's list of users with their state and the reset."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from halfbuilt.accounts.guards import needs_duty
from halfbuilt.accounts.models import User
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.forms import add_service_error
from halfbuilt.core.request_context import Actor

from . import policy, services_twofactor, sessions, twofactor
from .forms import TwoFactorCodeForm, TwoFactorUserFilter

PAGE_SIZE = 50


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if safe and target.startswith("/") else "/"


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in, for a user with an authenticator."""
    if request.session.get(sessions.TWO_FACTOR) != twofactor.VERIFY:
        return redirect(_next(request))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services_twofactor.verify_sign_in(
                actor=Actor.from_request(request), code=form.cleaned_data["code"],
                user_agent=request.META.get("HTTP_USER_AGENT", ""))
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            otp_login(request, device)
            sessions.remember(request, request.user)
            return redirect(_next(request))
    return render(request, "administration/two_factor_verify.html", {"form": form, "next": _next(request)})


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: scan the QR code (or type the secret), confirm with a code it shows, then keep the
    recovery codes. Required before anything else when the policy requires it; open to anyone otherwise."""
    user = request.user
    if twofactor.enrolled(user):
        return render(request, "administration/two_factor_enrolled.html", {
            "recovery_left": twofactor.recovery_codes_left(user)})
    device = twofactor.enrolment_device(user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services_twofactor.confirm_enrolment(
                actor=Actor.from_request(request), device=device, code=form.cleaned_data["code"])
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            otp_login(request, device)
            sessions.remember(request, user)
            return render(request, "administration/two_factor_codes.html", {"codes": codes, "next": _next(request)})
    return render(request, "administration/two_factor_enrol.html", {
        "form": form, "qr": twofactor.qr_svg(device), "secret": twofactor.secret_text(device),
        "required": twofactor.required(user), "next": _next(request)})


@require_GET
@needs_duty("secure")
def user_list(request: HttpRequest) -> HttpResponse:
    form = TwoFactorUserFilter(request.GET or None)
    users = User.objects.annotate(
        has_authenticator=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
    if form.is_valid():
        if q := form.cleaned_data["q"].strip():
            users = users.filter(Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q))
        if form.cleaned_data["enrolled"]:
            users = users.filter(has_authenticator=form.cleaned_data["enrolled"] == "1")
    page = Paginator(users.prefetch_related("role_assignments").order_by("username"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    roles = set(policy.current().two_factor_roles)  # read once for the page, not once a user
    for account in page.object_list:
        account.two_factor_required = twofactor.required(account, roles)
    return render(request, "administration/two_factor_users.html", {"form": form, "page": page})


@require_POST
@needs_duty("secure")
def user_reset(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    try:
        services_twofactor.reset(actor=Actor.from_request(request), user=user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已重置 {name} 的双因素认证，其下次登录时须重新绑定验证器。").format(
            name=user.get_full_name() or user.username))
    return redirect("administration:two_factor_users")
