"""督办 of the demo, through `supervision.orders.services`, in the story's last weeks: one order in each state —
issued (挂牌), replied, returned, closed — and one overdue, issued by the office and 包头市教育局 and answered by the
demo unit and 东河区 (demo_donghe); and one on 东河区人民政府 itself (no project), which it answered with a file.

Each step calls the services at "now" and then moves what they stamped to its moment, as the story does for the
other models (story.py): the order's times, and its issue date with the deadline counted from it (the same
number of working days), since both follow from the moment of issue.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.core.files.uploadedfile import SimpleUploadedFile

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core import workdays
from halfbuilt.files.models import Attachment
from halfbuilt.ledger.models import Project, Status
from halfbuilt.supervision.orders import services
from halfbuilt.supervision.orders.models import OrderEvent, SupervisionOrder

from .accounts import Cast, actor
from .clock import local_day
from .story import Story
from .texts import PDF

# key: (days ago issued, working days, issuer, addressee, 挂牌, [(days ago, action)])
PLAN = {
    "listed": (2, 10, "demo_office", "unit", True, []),
    "replied": (12, 15, "demo_office", "unit", False, [(4, "reply")]),
    "returned": (16, 20, "demo_baotou_jyt", "unit", False, [(10, "reply"), (8, "return")]),
    "closed": (21, 10, "demo_office", "unit", False, [(15, "reply"), (13, "accept")]),
    "overdue": (25, 5, "demo_office", "county", False, []),
    "organisation": (6, 10, "demo_office", "county_itself", False, [(3, "reply")]),
}
REASONS = {
    "listed": ("项目停工超过两年，复工方案迟迟未落实，群众反映强烈。",
               "十日内制定复工方案，明确续建资金来源和完成时限，按月报告进展。"),
    "replied": ("项目处置进度明显滞后于方案计划。", "查明滞后原因，制定追赶计划，落实责任人。"),
    "returned": ("项目月度进展连续两个月未按时报送。", "补报进展情况，建立按月报送机制。"),
    "closed": ("项目竣工后长期闲置，未办理竣工验收。", "组织竣工验收，尽快投入使用。"),
    "overdue": ("项目欠付工程款问题久拖未决。", "摸清欠付底数，制定清偿计划并报送领导小组办公室。"),
    "organisation": ("辖区内“半拉子”工程月度进展连续两个月报送不全。",
                     "督促各责任单位按月报送进展，十个工作日内报送整改情况。"),
}
REPLY = "已召开专题会议研究部署，明确责任人和完成时限，相关证明材料附后。"
RETURN = "回复未说明资金落实情况，请补充资金到位凭证后重新回复。"


def schedule(story: Story, cast: Cast) -> None:
    made: dict[str, int] = {}
    for key, (ago, days, issuer, to, listed, answers) in PLAN.items():
        story.add(story.clock.at(story.clock.day(ago), 10), partial(_issue, cast, made, key, days, issuer, to, listed))
        for answer_ago, action in answers:
            story.add(story.clock.at(story.clock.day(answer_ago), 15), partial(_answer, cast, made, key, action))


def _project(cast: Cast, taken: set[int], to: str, issuer: str) -> Project | None:
    """A project in the ledger not yet under an order of the demo: the demo unit's, or one in 东河区 for the
    county; in 包头市教育局's field when it issues."""
    found = Project.objects.filter(status=Status.IN_LEDGER, classified=False)
    found = found.filter(responsible_org=cast.unit_org) if to == "unit" else found.filter(region_id="150202")
    if issuer == "demo_baotou_jyt":
        found = found.filter(department_id="JYT", prefecture_id="150200")
    # A project may carry two orders; the demo spreads them while it can.
    return found.exclude(pk__in=taken).order_by("ledger_no").first() or found.order_by("ledger_no").first()


def _issue(cast: Cast, made: dict, key: str, days: int, issuer: str, to: str, listed: bool,
           moment: dt.datetime) -> None:
    county = cast.users["demo_donghe"].role_assignments.get().organization
    if to == "county_itself":  # on the government, for its projects
        project, subject = None, county
    else:
        taken = set(SupervisionOrder.objects.filter(pk__in=made.values()).values_list("project_id", flat=True))
        project, subject = _project(cast, taken, to, issuer), None
        if project is None:
            return
    addressee = cast.unit_org if to == "unit" else county
    reason, requirements = REASONS[key]
    order = services.issue_order(actor=actor(cast.users[issuer]), project=project, subject=subject,
                                 addressee=addressee, reason=reason, requirements=requirements,
                                 deadline_workdays=days, listed=listed)
    issued_on = local_day(moment)
    SupervisionOrder.objects.filter(pk=order.pk).update(
        issued_on=issued_on, deadline=workdays.add_workdays(issued_on, days), created_at=moment, updated_at=moment)
    order.refresh_from_db()
    # The issue's entry logged the deadline counted from "now": say the moved one (as story.py moves `at`).
    entries = ChangeLog.objects.filter(action="order_issue", object_type="supervisionorder", object_id=str(order.pk))
    entries.update(after={**entries.get().after, "deadline": services.deadline_text(order)})
    made[key] = order.pk


def _answer(cast: Cast, made: dict, key: str, action: str, moment: dt.datetime) -> None:
    if key not in made:
        return
    order = SupervisionOrder.objects.get(pk=made[key])
    if action == "reply":
        upload = SimpleUploadedFile("整改情况报告.pdf", PDF, content_type="application/pdf")
        replier = "demo_unit" if order.addressee_id == cast.unit_org.pk else "demo_donghe"
        services.reply_order(actor=actor(cast.users[replier]), order=order, measures=REPLY, uploads=[upload])
        SupervisionOrder.objects.filter(pk=order.pk).update(replied_at=moment, updated_at=moment)
        evidence = OrderEvent.evidence.through.objects.filter(orderevent__order_id=order.pk).values("attachment_id")
        Attachment.objects.filter(pk__in=evidence, uploaded_at__gte=moment).update(uploaded_at=moment)
    else:
        reviewer = cast.users["demo_baotou_jyt" if order.issuer_org.name == "包头市教育局" else "demo_office"]
        services.review_order(actor=actor(reviewer), order=order, action=action,
                              comment=RETURN if action == "return" else "整改到位，同意办结。")
        fields = {"closed_at": moment} if action == "accept" else {}
        SupervisionOrder.objects.filter(pk=order.pk).update(updated_at=moment, **fields)
    OrderEvent.objects.filter(order_id=order.pk, at__gt=moment).update(at=moment)
