"""通报 of the demo, through `supervision.circulars.services`, after the dashboard's cube is rebuilt (a circular's
figures are the dashboard's): last month's circular published by the office to every league/city government and
competent department, and this month's still a draft. Safe to run again (what is there is left alone).

As the story does for the other models (story.py), what the services stamp "now" is moved to a moment before the
build began: the circulars' times and their change-log entries."""

from __future__ import annotations

from django.utils import timezone

from halfbuilt.audit.models import ChangeLog
from halfbuilt.progress import periods
from halfbuilt.supervision.circulars import services
from halfbuilt.supervision.circulars.models import Circular

from .accounts import Cast, actor
from .clock import Clock

OPENING = ("为深入贯彻落实自治区党委和政府关于“半拉子”工程大起底工作的部署要求，现将{period}全区“半拉子”工程"
           "大起底工作进展情况通报如下。")


def build(cast: Cast) -> dict:
    if Circular.objects.exists():
        return {"circulars": 0}
    clock = Clock(timezone.now())
    office = actor(cast.office)
    last_month, this_month = clock.open, periods.period_of(clock.today)
    published = services.create_circular(actor=office, period_kind="month", month=last_month)
    services.edit_circular(
        actor=office, circular=published, title=published.title,
        opening=OPENING.format(period=periods.label(last_month)), findings=published.findings,
        requirements=published.requirements, addressees=list(published.addressees.all()), top_n=3,
        ranking="rate", public=True)
    services.publish_circular(actor=office, circular=published)
    draft = services.create_circular(actor=office, period_kind="month", month=this_month, ranking="on_time_rate")
    moment = clock.cutoff
    Circular.objects.filter(pk__in=[published.pk, draft.pk]).update(created_at=moment, updated_at=moment)
    Circular.objects.filter(pk=published.pk).update(published_at=moment)
    ChangeLog.objects.filter(object_type="circular", object_id__in=[str(published.pk), str(draft.pk)]).update(
        at=moment)
    return {"circulars": 2}
