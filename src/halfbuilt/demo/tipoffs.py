"""Tip-offs' demo (issue 9 §2): citizens' reports on the portal in every state, through `tipoffs.services` — two
waiting in Donghe (one overdue), one accepted as a candidate project and one linked to a public project by Donghe's
government, one rejected by the office with its public reason, one waiting in another league. Safe to run again
(nothing is added once a tip-off exists)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from halfbuilt.audit.models import ChangeLog
from halfbuilt.ledger.models import Project
from halfbuilt.regions.models import Category, Department
from halfbuilt.tipoffs import services
from halfbuilt.tipoffs.labels import ACTION_LABELS
from halfbuilt.tipoffs.models import TipOff

from .accounts import VIA, Cast, actor
from .clock import Clock

CITIZEN = actor(None)
REPORTS = (
    # (what, region, kind, description, days ago)
    ("东河区南门外大街一处烂尾楼", "150202", "stalled", "主体结构封顶后停工多年，围挡破损，存在安全隐患。", 1),
    ("东河区某社区服务中心", "150202", "idle", "建成后一直锁着门，没有投入使用。", 12),
    ("东河区东兴街道文化活动站", "150202", "idle", "外墙已完工，内部闲置两年多。", 9),
    ("东河区第二中学综合楼", "150202", "stalled", "综合楼停工，学生仍在旧楼上课。", 8),
    ("东河区河畔公园配套用房", "150202", "stalled", "只是季节性停工，不知道算不算。", 7),
    ("赤峰市红山区某农贸市场", "150402", "stalled", "市场大棚建了一半，停工一年。", 3),
)


def build(cast: Cast) -> dict:
    if TipOff.objects.exists():
        return {"tipoffs": 0}
    started = timezone.now()
    made = [services.submit(actor=CITIZEN, what=what, region=region, kind=kind, description=text,
                            reporter_name="张先生" if i % 2 else "", reporter_phone="13800000000" if i % 2 else "")
            for i, (what, region, kind, text, _days) in enumerate(REPORTS)]
    donghe, office = actor(cast.users["demo_donghe"]), actor(cast.office)
    accepted = services.accept(actor=donghe, tipoff_id=made[2].pk, name="包头市东河区东兴街道文化活动站",
                               category=Category.objects.get(code="A03"), department=Department.objects.get(code="JYT"),
                               answer="已受理，列入待核实项目，由主管部门核实。")
    from halfbuilt.public.selectors import public_projects

    in_donghe = public_projects().filter(region_id="150202").order_by("ledger_no")
    public = in_donghe.filter(name__contains="第二中学").first() or in_donghe.first()
    if public is not None:
        services.link(actor=donghe, tipoff_id=made[3].pk, project_id=public.pk,
                      answer="该项目已纳入台账，正在按处置方案推进，进展见项目公开页面。")
    services.reject(actor=office, tipoff_id=made[4].pk,
                    answer="经核实，该用房为季节性停工，工程按计划施工，不属于半拉子工程。")
    # Dated as the citizens sent them, before the build began (the reports' days ago; decisions the day after).
    moment = Clock(started).cutoff
    for tipoff, (*_rest, days) in zip(made, REPORTS, strict=True):
        at = moment - dt.timedelta(days=days)
        TipOff.objects.filter(pk=tipoff.pk).update(created_at=at, updated_at=at)
        TipOff.objects.filter(pk=tipoff.pk, decided_at__isnull=False).update(
            decided_at=at + dt.timedelta(days=1), updated_at=at + dt.timedelta(days=1))
    Project.objects.filter(pk=accepted.project_id).update(created_at=moment, updated_at=moment)
    ChangeLog.objects.filter(at__gte=started, action__in=ACTION_LABELS).update(at=moment)
    ChangeLog.objects.filter(at__gte=started, via=VIA, object_type="project").update(at=moment)
    return {"tipoffs": len(made)}
