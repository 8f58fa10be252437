"""Audit review pages for the audit admin (安全审计员): the change log and the sign-in log.

Entries of classified projects are never shown here; the auditor sees only how many there are.
"""

import datetime as dt

from django import forms
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts.models import SignInEvent
from halfbuilt.accounts.people import people_for
from halfbuilt.accounts.scope import can_read_audit
from halfbuilt.ledger.dictionary import LABELS as FIELD_LABELS

from . import registry
from .models import ChangeLog

PAGE_SIZE = 50


def action_choices() -> list[tuple[str, str]]:
    """Every action some app registered (audit.registry), so new kinds of change are searchable."""
    return [("", _("全部操作")), *registry.ACTION_LABELS.items()]


DATE_ERRORS = {"invalid": gettext_lazy("日期格式应为 YYYY-MM-DD，如 2026-03-01")}


class DateRangeForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("起始日期"), required=False, error_messages=DATE_ERRORS,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=gettext_lazy("截止日期"), required=False, error_messages=DATE_ERRORS,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        for name, value in (("date_from", start), ("date_to", end)):
            if value and not 1990 <= value.year <= 2100:
                self.add_error(name, _("日期应在 1990 年至 2100 年之间"))
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期"))
        return data

    def date_q(self, field: str) -> Q:
        """Whole local days: date_to includes the entire day."""
        q = Q()
        if not self.is_valid():
            return q
        tz = timezone.get_current_timezone()
        if start := self.cleaned_data.get("date_from"):
            q &= Q(**{f"{field}__gte": dt.datetime.combine(start, dt.time.min, tz)})
        if end := self.cleaned_data.get("date_to"):
            q &= Q(**{f"{field}__lte": dt.datetime.combine(end, dt.time.max, tz)})
        return q


ADMIN_KIND = "admin"


class ChangeLogSearchForm(DateRangeForm):
    kind = forms.ChoiceField(label=gettext_lazy("类别"), required=False, choices=[
        ("", gettext_lazy("全部")), (ADMIN_KIND, gettext_lazy("系统管理操作")),
    ], help_text=gettext_lazy("系统管理操作：用户、单位、安全策略和令牌的变更"))
    user = forms.CharField(label=gettext_lazy("操作人"), required=False, max_length=150)
    action = forms.ChoiceField(label=gettext_lazy("操作"), required=False, choices=action_choices)
    obj = forms.CharField(
        label=gettext_lazy("对象"), required=False, max_length=200, help_text=gettext_lazy("对象名称或编号"),
    )
    q = forms.CharField(label=gettext_lazy("理由关键词"), required=False, max_length=100)
    field_order = ["kind", "user", "action", "obj", "date_from", "date_to", "q"]


class SignInSearchForm(DateRangeForm):
    username = forms.CharField(label=gettext_lazy("用户名"), required=False, max_length=150)
    result = forms.ChoiceField(label=gettext_lazy("结果"), required=False,
                               choices=[
                                   ("", gettext_lazy("全部")), ("ok", gettext_lazy("成功")),
                                   ("failed", gettext_lazy("失败")),
                               ])
    field_order = ["username", "result", "date_from", "date_to"]


def _auditor_only(request: HttpRequest) -> None:
    if not can_read_audit(request.user):
        raise Http404


def _retention() -> dict:
    return {"retention_days": settings.AUDIT_RETENTION_DAYS}


def changelog_search(request: HttpRequest) -> HttpResponse:
    _auditor_only(request)
    form = ChangeLogSearchForm(request.GET or None)
    when = form.date_q("at")
    # Nobody reviews themselves (三员分立): the auditor's own entries (a password change) are not listed.
    entries = ChangeLog.objects.filter(when).exclude(user_id=request.user.pk)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["kind"] == ADMIN_KIND:
            entries = entries.filter(action__in=registry.ADMIN_ACTIONS)
        if data["user"]:
            entries = entries.filter(username__icontains=data["user"].strip())
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if obj := data["obj"].strip():
            entries = entries.filter(Q(object_repr__icontains=obj) | Q(object_id=obj))
        if data["q"]:
            entries = entries.filter(reason__icontains=data["q"].strip())
    # The count of hidden classified entries uses the date range only: a count narrowed by name or reason
    # words would let the auditor probe what classified entries say.
    hidden = ChangeLog.objects.filter(when, classified=True).count()
    shown = entries.filter(classified=False).order_by("-at", "-id")
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    people_for(request).want(*(entry.username for entry in page.object_list))
    for entry in page.object_list:
        entry.action_label = registry.action_label(entry.action)
        entry.via_label = registry.via_label(entry.via)
        entry.changed_labels = (
            [FIELD_LABELS.get(k) or registry.KEY_LABELS.get(k, k) for k in (entry.after or {})] if entry.before else []
        )
    oldest = ChangeLog.objects.aggregate(oldest=Min("at"))["oldest"]
    return render(request, "audit/changelog_search.html", {
        "form": form, "page": page, "hidden_classified": hidden, "oldest": oldest, "tab": "changes", **_retention(),
    })


def searched_signins(request: HttpRequest) -> tuple[SignInSearchForm, Page]:
    """The sign-in log as its search form narrows it, a page of it: the auditor's page and the security
    administrator's share it."""
    form = SignInSearchForm(request.GET or None)
    events = SignInEvent.objects.filter(form.date_q("at"))
    if form.is_bound and form.is_valid():
        if name := form.cleaned_data["username"].strip():
            events = events.filter(username__icontains=name)
        if result := form.cleaned_data["result"]:
            events = events.filter(succeeded=result == "ok")
    return form, Paginator(events.order_by("-at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))


def signin_events(request: HttpRequest) -> HttpResponse:
    _auditor_only(request)
    form, page = searched_signins(request)
    return render(request, "audit/signin_events.html", {"form": form, "page": page, "tab": "signins", **_retention()})
