"""The system administrator's user pages: list (by name, organisation, role, state), create, edit, roles,
disable/enable, reset the password (the temporary one shown once), unlock."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halfbuilt.accounts.guards import needs_duty
from halfbuilt.accounts.models import RoleAssignment, User
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.forms import add_service_error
from halfbuilt.core.request_context import Actor

from . import services, state
from .forms import NewUserForm, ReasonForm, ResetForm, RolesForm, UserFilter, UserForm

PAGE_SIZE = 50
ROLES_ALIAS = {"roles": "role_1"}


def _with_roles(users):
    return users.prefetch_related(Prefetch(
        "role_assignments", queryset=RoleAssignment.objects.select_related("organization").order_by("id")))


def _filtered(form: UserFilter):
    users = User.objects.all()
    if not form.is_valid():
        return users
    data = form.cleaned_data
    if q := data["q"].strip():
        users = users.filter(Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q))
    if org := data["org"].strip():
        users = users.filter(role_assignments__organization__name__icontains=org)
    if data["role"]:
        users = users.filter(role_assignments__role=data["role"])
    match data["state"]:
        case "active":
            users = users.filter(is_active=True)
        case "disabled":
            users = users.filter(is_active=False)
        case "locked":
            users = users.filter(username__in=state.locked_usernames())
        case "must_change":
            users = users.filter(state.must_change_q())
    return users.distinct()


@require_GET
@needs_duty("administer")
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserFilter(request.GET or None)
    page = Paginator(_with_roles(_filtered(form)).order_by("username"), PAGE_SIZE).get_page(request.GET.get("page"))
    locked = state.locked_usernames(u.username for u in page.object_list)
    changing = set(User.objects.filter(state.must_change_q(), pk__in=[u.pk for u in page.object_list])
                   .values_list("pk", flat=True))
    for user in page.object_list:
        user.locked, user.must_change = user.username in locked, user.pk in changing
    return render(request, "administration/user_list.html", {"form": form, "page": page})


@never_cache
@require_http_methods(["GET", "POST"])
@needs_duty("administer")
def user_create(request: HttpRequest) -> HttpResponse:
    form = NewUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.create_user(
                actor=Actor.from_request(request), username=data["username"], full_name=data["full_name"],
                phone=data["phone"], email=data["email"], assignments=data["assignments"])
        except ServiceError as exc:
            add_service_error(form, exc, ROLES_ALIAS)
        else:
            return _password_shown(request, user, password, created=True)
    return render(request, "administration/user_form.html", {"form": form, "new": True})


def _password_shown(request: HttpRequest, user: User, password: str, *, created: bool) -> HttpResponse:
    """The temporary password, on this one page (never in a message, a log or a later page)."""
    response = render(request, "administration/password_shown.html",
                      {"account": user, "password": password, "created": created})
    response["Cache-Control"] = "no-store"
    return response


def _detail(request: HttpRequest, account: User, *, form: UserForm | None = None,
            roles_form: RolesForm | None = None) -> dict:
    """The account's page: its state and a form for each thing the administrator may do to it."""
    profile = {"full_name": account.first_name, "phone": account.phone, "email": account.email}
    return {
        "account": account, "form": form or UserForm(initial=profile),
        "roles_form": roles_form or RolesForm(initial=RolesForm.initial_for(account)),
        "reset_form": ResetForm(), "reason_form": ReasonForm(), "locked": state.is_locked(account.username),
        "must_change": state.must_change_reason(account), "own": account.pk == request.user.pk,
        "admin_account": _admin_account(account), "admin_note": services.ADMIN_ACCOUNTS_ELSEWHERE,
    }


def _admin_account(account: User) -> bool:
    return any(a.role in services.ADMIN_ROLES for a in account.role_assignments.all())


def _account(pk: int) -> User:
    return get_object_or_404(_with_roles(User.objects.all()), pk=pk)


@require_http_methods(["GET", "POST"])
@needs_duty("administer")
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(pk)
    form = UserForm(request.POST or None, initial={"full_name": account.first_name, "phone": account.phone,
                                                   "email": account.email})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user(actor=Actor.from_request(request), user=account, **form.cleaned_data)
            messages.success(request, _("已保存。"))
            return redirect("administration:user_detail", pk=account.pk)
        except ServiceError as exc:
            add_service_error(form, exc)
    return render(request, "administration/user_detail.html", _detail(request, account, form=form))


@require_POST
@needs_duty("administer")
def user_roles(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(pk)
    form = RolesForm(request.POST)
    if form.is_valid():
        try:
            services.set_roles(actor=Actor.from_request(request), user=account,
                               assignments=form.cleaned_data["assignments"])
            messages.success(request, _("已保存角色。"))
            return redirect("administration:user_detail", pk=account.pk)
        except ServiceError as exc:
            add_service_error(form, exc, ROLES_ALIAS)
    return render(request, "administration/user_detail.html", _detail(request, account, roles_form=form))


@require_POST
@needs_duty("administer")
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(pk)
    form = ReasonForm(request.POST)
    active = request.POST.get("active") == "1"
    if not form.is_valid():
        messages.error(request, _("理由不能超过 500 字"))
    else:
        try:
            services.set_user_active(actor=Actor.from_request(request), user=account, active=active,
                                     reason=form.cleaned_data["reason"])
            done = _("已启用该账户。") if active else _("已停用该账户：不能再登录，接口令牌同时失效。")
            messages.success(request, done)
        except ServiceError as exc:
            messages.error(request, exc.message)
    return redirect("administration:user_detail", pk=account.pk)


@never_cache
@require_POST
@needs_duty("administer")
def user_reset(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(pk)
    form = ResetForm(request.POST)
    if form.is_valid():
        try:
            password = services.reset_password(actor=Actor.from_request(request), user=account,
                                               password=form.cleaned_data["password"])
            return _password_shown(request, account, password, created=False)
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("临时密码不能超过 128 个字符"))
    return redirect("administration:user_detail", pk=account.pk)


@require_POST
@needs_duty("administer")
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(pk)
    try:
        services.unlock(actor=Actor.from_request(request), user=account)
        messages.success(request, _("已解锁，该用户可以重新登录。"))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("administration:user_detail", pk=account.pk)
