"""绿色通道 of the demo, through `greenchannel.services`: four requests on projects in disposal (the demo unit's
and 东河区's first), their items in every state — 待受理 and overdue, 受理 (办理中), 需补正, supplied again, 办结
(the plan's procedure marked done), 不予办理 — one request concluded, with a 联审会. 东河区's 自然资源局 and
消防救援大队 act as `demo_zrzy` and `demo_xf`; other authorities by users made here without a password.

The services act now; each request is then moved back to when it was filed (its items' receipt, clock and
deadline counted again from that day in working days), so the clocks read as they would have run."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from halfbuilt.accounts.models import Organization, Role, User
from halfbuilt.core import workdays
from halfbuilt.greenchannel import services
from halfbuilt.greenchannel.models import GreenRequest, Item
from halfbuilt.ledger.models import Project, Stage

from .accounts import Cast, actor
from .texts import PDF

# (days ago filed, [(procedure, what happens to its item)])
PLAN: list[tuple[int, list[tuple[str, str]]]] = [
    (12, [("planning_permit", "complete"), ("fire_acceptance", "supplement")]),
    (30, [("construction_permit", "complete"), ("completion_acceptance", "complete")]),
    (25, [("property_registration", "pending"), ("fire_acceptance", "accept")]),
    (8, [("eia", "refuse"), ("planning_permit", "supplied"), ("civil_air_defence", "pending")]),
]
NAMED = {("包头市东河区自然资源局", "150202"): "demo_zrzy", ("包头市东河区消防救援大队", "150202"): "demo_xf"}


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _authority_user(cast: Cast, org: Organization) -> User:
    username = NAMED.get((org.name, org.region_id))
    if username and username in cast.users:
        return cast.users[username]
    return cast._user(f"demo_auth_{org.pk}", Role.AUTHORITY, {"pk": org.pk})


def _projects(count: int) -> list[Project]:
    disposing = Project.objects.filter(stage=Stage.DISPOSING, classified=False, plan__isnull=False)
    first = list(disposing.filter(region_id="150202").order_by("pk")[:count])
    rest = list(disposing.exclude(pk__in=[p.pk for p in first]).order_by("pk")[:count - len(first)])
    return first + rest


def _move_back(request: GreenRequest, days: int) -> None:
    filed = timezone.localdate() - dt.timedelta(days=days)
    GreenRequest.objects.filter(pk=request.pk).update(filed_on=filed)
    for item in request.items.all():
        Item.objects.filter(pk=item.pk).update(received_on=filed, clock_from=filed,
                                               deadline=workdays.add_workdays(filed, item.time_limit))


def build(cast: Cast) -> dict:
    if GreenRequest.objects.exists():
        return {"requests": 0}
    made = 0
    for (days, steps), project in zip(PLAN, _projects(len(PLAN)), strict=False):
        filer = cast.drafter(project)
        request = services.file_request(actor=actor(filer), project=project, procedures=[c for c, _ in steps],
                                         note="项目停建多年，手续缺失，申请绿色通道联审联办。",
                                         uploads=[_pdf("绿色通道申请表.pdf")])
        _move_back(request, days)
        today = timezone.localdate()
        for code, outcome in steps:
            item = request.items.get(procedure_type_id=code)
            who = actor(_authority_user(cast, item.authority))
            if outcome in ("accept", "supplement", "supplied", "complete"):
                services.act(actor=who, item=item, action="accept")
            if outcome in ("supplement", "supplied"):
                services.act(actor=who, item=item, action="supplement",
                             comment="请补充建设工程设计方案总平面图及建设单位授权委托书。")
            if outcome == "supplied":
                services.supply(actor=actor(filer), item=item, note="已补充总平面图和授权委托书。",
                                uploads=[_pdf("总平面图.pdf")])
            if outcome == "complete":
                services.complete(actor=who, item=item, doc_no=f"东审字〔{today.year}〕{item.pk:03d}号",
                                  done_on=today, document=_pdf(f"{item.procedure_type.name}批复.pdf"))
            if outcome == "refuse":
                services.refuse(actor=who, item=item, reason="项目位于生态保护红线内，选址不符合要求。",
                                legal_basis="《中华人民共和国环境影响评价法》第二十三条")
        if days == 30:
            services.record_review(actor=actor(cast.office), request=request, held_on=today - dt.timedelta(days=20),
                                   attendees="领导小组办公室、东河区住房和城乡建设局、东河区自然资源局",
                                   conclusions={i.pk: "同意并联办理，容缺受理，限期补齐材料。"
                                                for i in request.items.all()})
        made += 1
    return {"requests": made}
