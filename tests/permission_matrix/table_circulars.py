"""The 通报 rows of the permission table (imported at the end of table.py), and the states they start from.

Circulars are tied to no project: the object kinds name circulars instead. in_scope: a circular addressed to
包头市人民政府 and 内蒙古自治区教育厅; elsewhere: one addressed to 赤峰市人民政府 only. Who sees one: the office (drafts
too), and the people of its addressees once it is published. Only the office creates, edits and publishes.
"""

from __future__ import annotations

from . import checks as c
from .grid import ELSEWHERE, IN_SCOPE, NONE, State
from .table import NOTHING, row

KINDS = (IN_SCOPE, ELSEWHERE)


def _addressees(world) -> dict:
    return {IN_SCOPE: [world.orgs["region"], world.orgs["department"]], ELSEWHERE: [world.orgs["chifeng"]]}


def circulars(status: str) -> State:
    def setup(world):
        from django.utils import timezone

        from halfbuilt.supervision.circulars import figures
        from halfbuilt.supervision.circulars.models import Circular

        today = timezone.localdate()
        start = today.replace(day=1)
        data = figures.compute(world.users["office"], start=start, end=today)
        made: dict = {NONE: {}}  # the listing's ids
        for n, kind in enumerate(KINDS, start=1):
            published = status == "published"
            circular = Circular.objects.create(
                issuer_org=world.orgs["office"], created_by=world.users["office"], period_kind="month", start=start,
                end=today, title=f"矩阵通报{kind}", opening="开头", findings="情况", requirements="要求",
                status=status, year=today.year if published else None, number=n if published else None,
                doc_no=f"矩阵通〔{today.year}〕{n}号" if published else "", figures=data if published else {},
                published_at=timezone.now() if published else None,
                published_by=world.users["office"] if published else None)
            circular.addressees.set(_addressees(world)[kind])
            made[kind] = {"circular": circular.pk}
        return made

    return State(f"通报 {status}", setup, kinds=KINDS)


DRAFT, PUBLISHED = circulars("draft"), circulars("published")
EDIT_FORM = {"title": "矩阵改题", "opening": "开头", "findings": "情况", "requirements": "要求", "top_n": "3",
             "ranking": "rate"}


def _edit_form(ids) -> dict:
    from halfbuilt.accounts.models import Organization

    return {**EDIT_FORM, "addressees": [Organization.objects.get(name="赤峰市人民政府").pk]}


def circular_has(**fields):
    return c.exists("circulars.Circular", pk="{circular}", **fields)


#                    office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("circulars/", "GET", "/circulars/", state=PUBLISHED, listed=c.links('id="circular-{circular}"'),
    rule="the office lists every circular; an addressee's people the published ones addressed to them; whoever "
         "has none is refused",
    listing="ie i 403 403 i 403 403 403 403 403 login")
row("circulars/new/", "GET", "/circulars/new/", rule="only the office generates a circular",
    none="200 403 403 403 403 403 403 403 403 403 login")
row("circulars/new/", "POST", "/circulars/new/", state=NOTHING,
    data={"period_kind": "custom", "start": "2026-01-01", "end": "2026-01-31", "top_n": "3", "ranking": "rate"},
    effect=c.exists("circulars.Circular", start="2026-01-01"),
    redirect=c.to_new("circulars.Circular", "/circulars/{pk}/", start="2026-01-01"),
    rule="only the office creates a draft", none="302+ 403 403 403 403 403 403 403 403 403 login")
row("circulars/<int:pk>/", "GET", "/circulars/{circular}/", state=PUBLISHED, shows=c.contains("矩阵通〔"),
    rule="a published circular is shown to the office and to its addressees' people, to nobody else",
    in_scope="  200+ 200+ 404  404  200+ 404  404  404  404  404  login",
    elsewhere=" 200+ 404  404  .    404  .    .    .    .    .    .")
row("circulars/<int:pk>/", "GET", "/circulars/{circular}/", state=DRAFT, rule="a draft is the office's alone",
    in_scope="  200  404  404  404  404  404  404  404  404  404  login")
row("circulars/<int:pk>/docx/", "GET", "/circulars/{circular}/docx/", state=PUBLISHED,
    rule="the Word file downloads as the page is shown",
    in_scope="  200  200  404  404  200  404  404  404  404  404  login",
    elsewhere=" 200  404  404  .    404  .    .    .    .    .    .")
row("circulars/<int:pk>/xlsx/", "GET", "/circulars/{circular}/xlsx/", state=PUBLISHED,
    rule="the tables download as the page is shown",
    in_scope="  200  200  404  404  200  404  404  404  404  404  login",
    elsewhere=" 200  404  404  .    404  .    .    .    .    .    .")
row("circulars/<int:pk>/xlsx/", "GET", "/circulars/{circular}/xlsx/", state=DRAFT,
    rule="a draft's tables are the office's alone",
    in_scope="  200  404  .    .    404  .    .    .    .    .    .")
row("circulars/<int:pk>/edit/", "GET", "/circulars/{circular}/edit/", state=DRAFT,
    rule="the edit form is the office's; nobody else even sees the draft",
    in_scope="  200  404  404  404  404  404  404  404  404  404  login",
    elsewhere=" 200  404  404  .    404  .    .    .    .    .    .")
row("circulars/<int:pk>/edit/", "POST", "/circulars/{circular}/edit/", state=DRAFT, data=_edit_form,
    effect=circular_has(title="矩阵改题"), redirect="/circulars/{circular}/",
    rule="the office edits a draft",
    in_scope="  302+ 404  404  404  404  404  404  404  404  404  login",
    elsewhere=" 302+ 404  404  .    404  .    .    .    .    .    .")
row("circulars/<int:pk>/edit/", "GET", "/circulars/{circular}/edit/", state=PUBLISHED,
    redirect="/circulars/{circular}/",
    rule="a published circular is final: the office is sent back to it, an addressee is refused",
    in_scope="  302  403  .    .    403  .    .    .    .    .    .")
row("circulars/<int:pk>/<str:action>/", "POST", "/circulars/{circular}/publish/", state=DRAFT,
    effect=circular_has(status="published"), redirect="/circulars/{circular}/",
    rule="the office publishes a draft; nobody else sees it",
    in_scope="  302+ 404  404  404  404  404  404  404  404  404  login",
    elsewhere=" 302+ 404  404  .    404  .    .    .    .    .    .")
row("circulars/<int:pk>/<str:action>/", "POST", "/circulars/{circular}/withdraw/", state=PUBLISHED,
    rule="there is no withdrawal: a published circular is final",
    in_scope="  404  404  .    .    404  .    .    .    .    .    .")
