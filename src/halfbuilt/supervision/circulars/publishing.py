"""What publishing a 通报 does besides its state (the kernel's hooks): check it is complete, number it (the
shared gap-free counter, series "circular"), freeze its figures and notify every addressee once."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from halfbuilt.core.errors import ServiceError
from halfbuilt.notifications.services import notify
from halfbuilt.numbering.services import next_number

from . import figures
from .models import Circular

SERIES = "circular"


def doc_no(year: int, number: int) -> str:
    return _("{prefix}〔{year}〕{number}号").format(prefix=_("内半办通"), year=year, number=number)


def guard(step, comment: str) -> None:
    circular: Circular = step.obj
    if not circular.addressees.exists():
        raise ServiceError(_("请至少选择一个主送单位后再发布"), field="addressees")
    for field, label in (("title", _("标题")), ("opening", _("开头")), ("findings", _("主要情况")),
                         ("requirements", _("工作要求"))):
        if not getattr(circular, field).strip():
            raise ServiceError(_("{label}不能为空，请填写后再发布").format(label=label), field=field)


def apply(step, comment: str, actor) -> list[str]:
    circular: Circular = step.obj
    now = timezone.now()
    today = timezone.localdate()
    circular.year = today.year
    circular.number = next_number(SERIES, circular.issuer_org, today.year)
    circular.doc_no = doc_no(today.year, circular.number)
    circular.figures = figures.compute(actor.user, start=circular.start, end=circular.end, top_n=circular.top_n,
                                       metric=circular.ranking, today=today)
    circular.published_at, circular.published_by = now, actor.user
    notify(event="circular_published", recipients=list(circular.addressees.all()),
           title=f"{circular.doc_no} {circular.title}", url=reverse("circulars:detail", args=[circular.pk]),
           key=f"circular:{circular.pk}:published", actor=actor)
    return ["year", "number", "doc_no", "figures", "published_at", "published_by"]
