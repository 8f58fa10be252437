"""The signed-in side of the portal: the office's news and 盘活案例, and the release of photos and 督办 (thin; the
services decide and log)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from halfbuilt.core.errors import ServiceError
from halfbuilt.core.forms import add_service_error
from halfbuilt.core.request_context import Actor
from halfbuilt.files.models import Attachment

from . import services
from .forms import CaptionForm, StoryForm
from .models import PublishedPhoto, Story


def _office(request: HttpRequest) -> None:
    if not services.can_publicise(request.user):
        raise PermissionDenied(services.NOT_OFFICE)


@require_http_methods(["GET"])
def stories(request: HttpRequest) -> HttpResponse:
    _office(request)
    return render(request, "public/office_stories.html", {"stories": Story.objects.order_by("-updated_at")[:200]})


@require_http_methods(["GET", "POST"])
def story_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _office(request)
    story = get_object_or_404(Story, pk=pk) if pk else None
    initial = {"kind": story.kind, "title": story.title, "summary": story.summary, "body": story.body,
               "project": story.project_id, "before_photo": story.before_photo_id,
               "after_photo": story.after_photo_id} if story else {}
    form = StoryForm(request.POST if request.method == "POST" else None, initial=initial, auto_id="story_%s",
                     photos=released_photos())
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            story = services.save_story(
                actor=Actor.from_request(request), story=story, kind=data["kind"], title=data["title"],
                summary=data["summary"], body=data["body"], project_id=data["project"],
                before_photo_id=data["before_photo"] or None, after_photo_id=data["after_photo"] or None)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已保存“{title}”").format(title=story.title))
            return redirect("public:office_stories")
    status = 400 if form.is_bound else 200
    return render(request, "public/story_form.html", {"form": form, "story": story}, status=status)


def released_photos() -> list[tuple[str, str]]:
    """The photos released to the portal, newest first, named by their project and caption."""
    rows = (PublishedPhoto.objects.order_by("-published_at")
            .values_list("attachment_id", "attachment__project__name", "caption")[:PHOTO_CHOICES])
    return [(str(pk), f"{name} · {caption}" if caption else name) for pk, name, caption in rows]


PHOTO_CHOICES = 300


@require_POST
def story_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    published = request.POST.get("published") == "1"
    try:
        story = services.set_story_published(actor=Actor.from_request(request), story_id=pk, published=published)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, (_("已发布“{title}”") if published else _("已撤回“{title}”")).format(
            title=story.title))
    return redirect("public:office_stories")


@require_POST
def photo_publish(request: HttpRequest, photo_id) -> HttpResponse:
    # A project's photo (the evidence of a 督办 on an organisation has no project to publish it with).
    attachment = get_object_or_404(Attachment.objects.restrict(request.user).filter(project__isnull=False), pk=photo_id)
    form = CaptionForm(request.POST)
    caption = form.cleaned_data["caption"] if form.is_valid() else ""
    published = request.POST.get("published") == "1"
    try:
        services.set_photo_published(actor=Actor.from_request(request), attachment_id=attachment.pk,
                                     published=published, caption=caption)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("照片已公开") if published else _("照片已撤回公开"))
    return redirect(reverse("ledger:project_detail", args=[attachment.project_id]) + "#public")


@require_POST
def order_publish(request: HttpRequest, pk: int) -> HttpResponse:
    published = request.POST.get("published") == "1"
    try:
        order = services.set_order_published(actor=Actor.from_request(request), order_id=pk, published=published)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("home")
    messages.success(request, _("督办已公开") if published else _("督办已撤回公开"))
    return redirect(reverse("ledger:project_detail", args=[order.project_id]) + "#public")
