"""The public portal's demo (issue 9): what the office released and wrote, through `public.services`: photos of
public projects released after review, the 挂牌督办 on public projects made public, two news items and two
盘活案例 (one still a draft). Safe to run again (nothing is added once the office has written a story)."""

from __future__ import annotations

from django.utils import timezone

from halfbuilt.audit.models import ChangeLog
from halfbuilt.files.models import Attachment, AttachmentKind
from halfbuilt.ledger.models import Project, Stage
from halfbuilt.public import services
from halfbuilt.public.labels import ACTION_LABELS
from halfbuilt.public.models import PublishedOrder, PublishedPhoto, Story
from halfbuilt.public.selectors import public_projects, public_q
from halfbuilt.supervision.orders.models import SupervisionOrder

from .accounts import Cast, actor
from .clock import Clock

PHOTOS = 8
ORDERS = 3
NEWS = (
    ("自治区召开半拉子工程大起底工作推进会", "部署下一阶段处置销号工作",
     "会议通报了全区半拉子工程起底和处置进展，要求各盟市、各行业主管部门对照一项目一方案，倒排工期、挂图作战，"
     "确保按期完成处置销号任务。"),
    ("半拉子工程项目名单和处置进展向社会公开", "欢迎社会各界监督",
     "全区已入账的半拉子工程项目名单、处置方式和月度进展在本网站公开，并提供开放数据下载。各项目现场张贴公示牌，"
     "扫描二维码即可查看项目进展。"),
)


def build(cast: Cast) -> dict:
    if Story.objects.exists():
        return {"stories": 0}
    office = actor(cast.office)
    started = timezone.now()
    photos = list(Attachment.objects.filter(public_q("project__"), kind=AttachmentKind.PHOTO)
                  .order_by("uploaded_at")[:PHOTOS])
    for photo in photos:
        services.set_photo_published(actor=office, attachment_id=photo.pk, published=True,
                                     caption=_caption(photo))
    orders = list(SupervisionOrder.objects.filter(public_q("project__"), listed=True).order_by("doc_no")[:ORDERS])
    for order in orders:
        services.set_order_published(actor=office, order_id=order.pk, published=True)
    for title, summary, body in NEWS:
        story = services.save_story(actor=office, story=None, kind="news", title=title, summary=summary, body=body)
        services.set_story_published(actor=office, story_id=story.pk, published=True)
    closed = list(public_projects().filter(stage=Stage.CLOSED).order_by("ledger_no")[:2])
    for i, project in enumerate(closed):
        photo = Attachment.objects.filter(project=project, kind=AttachmentKind.PHOTO).order_by("uploaded_at").first()
        if photo is not None:  # a story shows a released photo only
            services.set_photo_published(actor=office, attachment_id=photo.pk, published=True,
                                         caption=_caption(photo))
        story = services.save_story(
            actor=office, story=None, kind="case", title=f"{project.name}：从停建到盘活",
            summary="一项目一方案，盘活闲置资产",
            body=f"{project.name}曾因资金不到位停建。纳入台账后，按照一项目一方案制定处置方案，"
                 "落实资金、完善手续，已完成处置并销号。",
            project_id=project.pk, after_photo_id=photo.pk if photo else None)
        if i == 0:  # the second stays a draft: the office's list shows both states
            services.set_story_published(actor=office, story_id=story.pk, published=True)
    # As the story does (story.py): what the services stamped "now" is moved to a moment before the build began.
    moment = Clock(started).cutoff
    Story.objects.update(created_at=moment, updated_at=moment)
    Story.objects.filter(published=True).update(published_at=moment)
    PublishedPhoto.objects.update(published_at=moment)
    PublishedOrder.objects.update(published_at=moment)
    ChangeLog.objects.filter(at__gte=started, action__in=ACTION_LABELS).update(at=moment)
    return {"stories": len(NEWS) + len(closed), "photos": len(photos), "orders": len(orders)}


def _caption(photo: Attachment) -> str:
    name = Project.objects.filter(pk=photo.project_id).values_list("name", flat=True).first() or ""
    return f"{name}现场"
