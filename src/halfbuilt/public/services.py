"""The portal's writes: releasing a photo (the office or the project's region, after looking at it), marking a
挂牌督办 public and writing, publishing or withdrawing a story (the office). Keyword-only, the actor explicit, each
with its change-log entry in the same transaction; the project row is locked first where there is one."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts import scope
from halfbuilt.audit.services import record_change
from halfbuilt.core import inputs
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.files.models import Attachment, AttachmentKind
from halfbuilt.ledger.models import Project
from halfbuilt.supervision.orders.models import SupervisionOrder

from .models import PublishedOrder, PublishedPhoto, Story, StoryKind
from .selectors import public_q

NOT_YOURS = gettext_lazy("您无权公开该项目的照片")
NOT_PUBLIC = gettext_lazy("该项目未入账或涉密，不能公开")
NOT_A_PHOTO = gettext_lazy("只有照片可以公开")
NOT_OFFICE = gettext_lazy("只有领导小组办公室发布新闻与案例、公开督办")
CAPTION_MAX = 200


def can_publish_photos(user, project: Project | int) -> bool:
    return Project.objects.permits(user, "publish", project)


def can_publicise(user) -> bool:
    return scope.carries(user, "publicity")


def set_photo_published(*, actor: Actor, attachment_id, published: bool, caption: str = "") -> Attachment:
    with transaction.atomic():
        attachment = Attachment.objects.filter(pk=attachment_id).only("id", "project_id", "kind").first()
        project = attachment and Project.objects.lock_for(actor.user, "publish", attachment.project_id)
        if attachment is None or project is None:
            raise NotAllowed(NOT_YOURS)
        if not Project.objects.filter(public_q(), pk=project.pk).exists():
            raise ServiceError(NOT_PUBLIC)
        if attachment.kind != AttachmentKind.PHOTO:
            raise ServiceError(NOT_A_PHOTO, field="photo")
        caption = inputs.text(caption, field="caption", label=_("说明"), limit=CAPTION_MAX)
        current = PublishedPhoto.objects.filter(attachment=attachment).first()
        before = {"published": bool(current), "caption": current.caption if current else ""}
        if published:
            PublishedPhoto.objects.update_or_create(attachment=attachment, defaults={
                "caption": caption, "published_by": actor.user})
        elif current:
            current.delete()
        after = {"published": published, "caption": caption if published else ""}
        record_change(actor=actor, action="photo_publish" if published else "photo_unpublish", obj=attachment,
                      before=before, after=after, project_id=project.pk)
    return attachment


def set_order_published(*, actor: Actor, order_id: int, published: bool) -> SupervisionOrder:
    if not can_publicise(actor.user):
        raise NotAllowed(NOT_OFFICE)
    with transaction.atomic():
        order = SupervisionOrder.objects.restrict(actor.user).filter(pk=order_id).only("id", "project_id").first()
        if order is None or order.project_id is None:
            raise NotAllowed(_("督办不存在，或不是针对项目的督办"))
        project = Project.objects.lock_for(actor.user, "view", order.project_id)
        if project is None or not Project.objects.filter(public_q(), pk=project.pk).exists():
            raise ServiceError(NOT_PUBLIC)
        current = PublishedOrder.objects.filter(order=order).first()
        if published and not current:
            PublishedOrder.objects.create(order=order, published_by=actor.user)
        elif not published and current:
            current.delete()
        record_change(actor=actor, action="order_publish" if published else "order_unpublish", obj=order,
                      before={"published": bool(current)}, after={"published": published}, project_id=project.pk)
    return order


STORY_LIMITS = {"title": 120, "summary": 300, "body": 20000}


def save_story(*, actor: Actor, story: Story | None, kind: str, title: str, summary: str, body: str,
               project_id: int | None = None, before_photo_id=None, after_photo_id=None) -> Story:
    """Create or edit a story (a draft until published). Its project must be public, its photos the project's."""
    if not can_publicise(actor.user):
        raise NotAllowed(NOT_OFFICE)
    if kind not in StoryKind.values:
        raise ServiceError(inputs.required_message(_("栏目")), field="kind")
    labels = {"title": _("标题"), "summary": _("摘要"), "body": _("正文")}
    values = {key: inputs.text(value, field=key, label=labels[key], limit=STORY_LIMITS[key], required=key != "summary")
              for key, value in (("title", title), ("summary", summary), ("body", body))}
    with transaction.atomic():
        project = None
        if project_id:
            project = Project.objects.lock_for(actor.user, "view", project_id)
            if project is None or not Project.objects.filter(public_q(), pk=project.pk).exists():
                raise ServiceError(NOT_PUBLIC, field="project")
        photos = {}
        for key, pid in (("before_photo", before_photo_id), ("after_photo", after_photo_id)):
            if not pid:
                photos[key] = None
                continue
            photo = Attachment.objects.filter(pk=pid, kind=AttachmentKind.PHOTO, publication__isnull=False,
                                              project_id=project.pk if project else -1).first()
            if photo is None:
                raise ServiceError(_("照片须是相关项目已公开的照片"), field=key)
            photos[key] = photo
        before = _story_summary(story) if story else None
        if story is None:
            story = Story(created_by=actor.user)
        story.kind, story.title, story.summary, story.body = kind, values["title"], values["summary"], values["body"]
        story.project = project
        story.before_photo, story.after_photo = photos["before_photo"], photos["after_photo"]
        story.save()
        record_change(actor=actor, action="story_save", obj=story, before=before, after=_story_summary(story),
                      project_id=project.pk if project else None)
    return story


def set_story_published(*, actor: Actor, story_id: int, published: bool) -> Story:
    if not can_publicise(actor.user):
        raise NotAllowed(NOT_OFFICE)
    with transaction.atomic():
        story = Story.objects.select_for_update().filter(pk=story_id).first()
        if story is None:
            raise NotAllowed(_("文章不存在"))
        before = _story_summary(story)
        story.published = published
        story.published_at = timezone.now() if published else None
        story.save(update_fields=["published", "published_at", "updated_at"])
        record_change(actor=actor, action="story_publish" if published else "story_unpublish", obj=story,
                      before=before, after=_story_summary(story), project_id=story.project_id)
    return story


def _story_summary(story: Story) -> dict:
    return {"kind": story.kind, "title": story.title, "summary": story.summary, "body": story.body,
            "published": story.published}
