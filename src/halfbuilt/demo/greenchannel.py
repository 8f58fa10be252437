"""绿色通道 of the demo, through `greenchannel.services`: four requests on projects in disposal (东河区's first),
their items in every state — 待受理 and overdue, 受理 (办理中), 需补正, supplied again, 办结 (the plan's procedure
marked done), 不予办理 — one request concluded, with a 联审会. 东河区's 自然资源局 and 消防救援大队 act as
`demo_zrzy` and `demo_xf`; other authorities by users made here without a password.

The steps run in time order through the story (story.py moves the change log and the attachments each step
stamps to its moment); each step also moves the green channel's own times, and the days the services count from
"today" (receipt, clock, deadline, decision) to the step's day, so the clocks read as they would have run."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from halfbuilt.accounts.models import Organization, Role, User
from halfbuilt.audit.models import ChangeLog
from halfbuilt.core import workdays
from halfbuilt.disposal.models import Procedure
from halfbuilt.greenchannel import services
from halfbuilt.greenchannel.models import GreenRequest, Item, ItemEvent, JointReview
from halfbuilt.ledger.models import Project, Stage

from .accounts import Cast, actor
from .clock import Clock, local_day
from .story import Story
from .texts import PDF

# days ago filed → [(procedure, [(days ago, action)])]
PLAN: list[tuple[int, list[tuple[str, list[tuple[int, str]]]]]] = [
    (12, [("planning_permit", [(11, "accept"), (6, "complete")]),
          ("fire_acceptance", [(11, "accept"), (9, "supplement")])]),
    (30, [("construction_permit", [(29, "accept"), (22, "complete")]),
          ("completion_acceptance", [(28, "accept"), (20, "complete")])]),
    (25, [("property_registration", []), ("fire_acceptance", [(24, "accept")])]),
    (8, [("eia", [(6, "refuse")]), ("planning_permit", [(7, "accept"), (5, "supplement"), (3, "supply")]),
         ("civil_air_defence", [])]),
]
REVIEW_DAYS_AGO = {30: 25}  # a 联审会 on the request filed 30 days ago
NAMED = {("包头市东河区自然资源局", "150202"): "demo_zrzy", ("包头市东河区消防救援大队", "150202"): "demo_xf"}
MISSING = "请补充建设工程设计方案总平面图及建设单位授权委托书。"


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _authority_user(cast: Cast, org: Organization) -> User:
    username = NAMED.get((org.name, org.region_id))
    if username and username in cast.users:
        return cast.users[username]
    return cast._user(f"demo_auth_{org.pk}", Role.AUTHORITY, {"pk": org.pk})


def _projects(count: int) -> list[Project]:
    disposing = Project.objects.filter(stage=Stage.DISPOSING, classified=False, plan__isnull=False)
    first = list(disposing.filter(region_id="150202").order_by("ledger_no")[:count])
    rest = list(disposing.exclude(pk__in=[p.pk for p in first]).order_by("ledger_no")[:count - len(first)])
    return first + rest


def build(cast: Cast, now: dt.datetime | None = None) -> dict:
    if GreenRequest.objects.exists():
        return {"requests": 0}
    story = Story(Clock(now or timezone.now()))
    made: dict[int, int] = {}
    for index, ((ago, items), project) in enumerate(zip(PLAN, _projects(len(PLAN)), strict=False)):
        story.add(story.clock.at(story.clock.day(ago), 9, index), partial(_file, cast, made, index, project, items))
        for code, steps in items:
            for step_ago, action in steps:
                story.add(story.clock.at(story.clock.day(step_ago), 10 + len(action) % 6, index),
                          partial(_act, cast, made, index, code, action))
        if ago in REVIEW_DAYS_AGO:
            story.add(story.clock.at(story.clock.day(REVIEW_DAYS_AGO[ago]), 15, index),
                      partial(_review, cast, made, index))
    story.run()
    return {"requests": len(made)}


def _file(cast: Cast, made: dict, index: int, project: Project, items: list, moment: dt.datetime) -> int:
    request = services.file_request(actor=actor(cast.drafter(project)), project=project,
                                     procedures=[code for code, _ in items],
                                     note="项目停建多年，手续缺失，申请绿色通道联审联办。",
                                     uploads=[_pdf("绿色通道申请表.pdf")])
    day = local_day(moment)
    GreenRequest.objects.filter(pk=request.pk).update(filed_on=day, created_at=moment, updated_at=moment)
    for item in request.items.all():
        Item.objects.filter(pk=item.pk).update(received_on=day, clock_from=day, updated_at=moment,
                                               deadline=workdays.add_workdays(day, item.time_limit))
    entry = ChangeLog.objects.filter(action="green_request_file", object_id=str(request.pk))
    entry.update(after={**entry.get().after, **services.request_summary(request, list(request.items.all()))})
    made[index] = request.pk
    return project.pk


def _act(cast: Cast, made: dict, index: int, code: str, action: str, moment: dt.datetime) -> int | None:
    if index not in made:
        return None
    item = Item.objects.select_related("request").get(request_id=made[index], procedure_type_id=code)
    who, day = actor(_authority_user(cast, item.authority)), local_day(moment)
    if action in ("accept", "supplement"):
        services.act(actor=who, item=item, action=action, comment=MISSING if action == "supplement" else "")
    elif action == "supply":
        services.supply(actor=actor(cast.drafter(item.project)), item=item, note="已补充总平面图和授权委托书。",
                        uploads=[_pdf("总平面图.pdf")])
    elif action == "complete":
        services.complete(actor=who, item=item, doc_no=f"东审字〔{day.year}〕{item.pk:03d}号", done_on=day,
                          document=_pdf(f"{item.procedure_type.name}批复.pdf"))
    else:
        services.refuse(actor=who, item=item, reason="项目位于生态保护红线内，选址不符合要求。",
                        legal_basis="《中华人民共和国环境影响评价法》第二十三条")
    _move(item, action, day, moment)
    return item.project_id


def _move(before: Item, action: str, day: dt.date, moment: dt.datetime) -> None:
    """The days the service counted from today, counted from the step's day instead."""
    fields: dict = {"updated_at": moment}
    if action == "accept":
        fields["accepted_on"] = day
    elif action in ("supplement", "refuse"):
        fields["used"] = before.used + workdays.workdays_between(before.clock_from, day)
        fields["clock_from"] = day
        if action == "refuse":
            fields["done_on"] = day
    elif action == "supply":
        fields["clock_from"] = day
        fields["deadline"] = workdays.add_workdays(day, max(before.time_limit - before.used, 1))
    Item.objects.filter(pk=before.pk).update(**fields)
    ItemEvent.objects.filter(item_id=before.pk, at__gt=moment).update(at=moment)
    GreenRequest.objects.filter(pk=before.request_id, concluded_on__isnull=False).update(concluded_on=day,
                                                                                        updated_at=moment)
    if action == "complete" and before.plan_procedure_id:
        Procedure.objects.filter(pk=before.plan_procedure_id).update(done_date=day)


def _review(cast: Cast, made: dict, index: int, moment: dt.datetime) -> int | None:
    if index not in made:
        return None
    request = GreenRequest.objects.get(pk=made[index])
    review = services.record_review(actor=actor(cast.office), request=request, held_on=local_day(moment),
                                    attendees="领导小组办公室、东河区住房和城乡建设局、东河区自然资源局",
                                    conclusions={i.pk: "同意并联办理，容缺受理，限期补齐材料。"
                                                 for i in request.items.all()})
    JointReview.objects.filter(pk=review.pk).update(created_at=moment)
    return request.project_id
