"""The public portal's pages and files: anyone, no sign-in, thin; everything comes through `selectors`."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import figures, filters, oc4ids, selectors, sign
from .cache import public_page
from .models import StoryKind

JSON = {"ensure_ascii": False}


def absolute(path: str) -> str:
    return settings.PUBLIC_SITE_URL.rstrip("/") + path


def share(request: HttpRequest, title: str, text: str, image: str = "") -> dict:
    """The tags WeChat and other apps read for a shared link (Open Graph): title, text, picture, address."""
    return {"title": title, "text": text[:120], "url": absolute(request.path),
            "image": absolute(image) if image else ""}


@public_page
def home(request: HttpRequest) -> HttpResponse:
    found = figures.figures()
    context = {
        "figures": found, "map_data": figures.map_data(found), "labels": figures.board.LABELS,
        "stories": list(selectors.published_stories()[:4]), "circulars": selectors.public_circulars()[:3],
        "share": share(request, _("半拉子工程大起底"), _("全区半拉子工程台账、处置进展与盘活案例，接受社会监督。")),
        "echarts": figures.assets.echarts_present(),
    }
    return render(request, "public/home.html", context)


@public_page
def project_list(request: HttpRequest) -> HttpResponse:
    chosen, projects = filters.filtered(request.GET)
    size, start = filters.PAGE_SIZE, (chosen.page - 1) * filters.PAGE_SIZE
    total = projects.count()
    page = list(projects.order_by("-created_at", "-id")[start:start + size])
    query = {k: v for k, v in chosen.values.items()}
    return render(request, "public/project_list.html", {
        "projects": selectors.describe(page), "filter": chosen, "choices": filters.choices(), "total": total,
        "page": chosen.page, "previous": chosen.page - 1 if chosen.page > 1 else None,
        "next": chosen.page + 1 if start + size < total and chosen.page < filters.PAGE_MAX else None,
        "query": query,
        "share": share(request, _("半拉子工程项目名单"), _("全区已入账半拉子工程的处置进展。")),
    })


def _project(pk: int) -> selectors.PublicProject:
    project = selectors.public_project(pk)
    if project is None:
        raise Http404(_("项目不存在或未公开"))
    return project


@public_page
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(pk)
    photo = project.photos[0].id if project.photos else ""
    image = reverse("public:photo", args=[photo]) if photo else reverse("public:sign_png", args=[pk])
    text = _("{region} · {kind} · {stage}").format(region=project.region_name, kind=project.kind_label,
                                                  stage=project.stage_label)
    return render(request, "public/project_detail.html", {
        "project": project, "orders": selectors.public_orders(project.id),
        "share": share(request, project.name, text, image),
    })


@public_page
def map_json(request: HttpRequest) -> JsonResponse:
    """The map's figures by league and the points of the public projects that have a position."""
    found = figures.figures()
    points = [{"id": pk, "name": name, "lng": float(lng), "lat": float(lat),
               "url": reverse("public:project_detail", args=[pk])}
              for pk, name, lng, lat in selectors.public_projects().exclude(longitude=None).exclude(latitude=None)
              .order_by("id").values_list("id", "name", "longitude", "latitude")[:MAP_POINTS_MAX]]
    return JsonResponse({"areas": figures.map_data(found)["areas"], "points": points}, json_dumps_params=JSON)


MAP_POINTS_MAX = 5000


@public_page
def sign_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _sign(request, pk, sign.pdf, "application/pdf", "pdf")


@public_page
def sign_png(request: HttpRequest, pk: int) -> HttpResponse:
    return _sign(request, pk, sign.png, "image/png", "png")


def _sign(request: HttpRequest, pk: int, draw, content_type: str, ext: str) -> HttpResponse:
    project = _project(pk)
    try:
        body = draw(project)
    except sign.NoFont as error:
        return render(request, "public/message.html", {"message": str(error)}, status=503)
    response = HttpResponse(body, content_type=content_type)
    name = _("公示牌-{no}.{ext}").format(no=project.ledger_no, ext=ext)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@public_page
def photo(request: HttpRequest, photo_id) -> FileResponse:
    """A published photo of a public project, or one a published story shows (stored without EXIF)."""
    attachment = selectors.public_photo(photo_id) or selectors.public_story_photo(photo_id)
    if attachment is None:
        raise Http404(_("照片不存在或未公开"))
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@public_page
def circulars(request: HttpRequest) -> HttpResponse:
    return render(request, "public/circulars.html", {
        "circulars": selectors.public_circulars(), "orders": selectors.public_orders(),
        "share": share(request, _("通报与挂牌督办"), _("领导小组办公室公开的通报和挂牌督办。")),
    })


@public_page
def circular_detail(request: HttpRequest, pk: int) -> HttpResponse:
    circular = selectors.public_circular(pk)
    if circular is None:
        raise Http404(_("通报不存在或未公开"))
    return render(request, "public/circular_detail.html", {
        "circular": circular, "share": share(request, circular.title, circular.opening)})


@public_page
def stories(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in StoryKind.values else ""
    return render(request, "public/stories.html", {
        "stories": list(selectors.published_stories(kind or None)[:100]), "kind": kind, "kinds": StoryKind.choices,
        "share": share(request, _("新闻与盘活案例"), _("半拉子工程大起底工作动态和盘活案例。")),
    })


@public_page
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = selectors.published_stories().filter(pk=pk).select_related("project").first()
    if story is None:
        raise Http404(_("文章不存在或未发布"))
    image = story.after_photo_id or story.before_photo_id
    project = selectors.public_project(story.project_id) if story.project_id else None
    return render(request, "public/story_detail.html", {
        "story": story, "project": project,
        "share": share(request, story.title, story.summary or story.body,
                       reverse("public:photo", args=[image]) if image else ""),
    })


@public_page
def open_data(request: HttpRequest) -> HttpResponse:
    return render(request, "public/open_data.html", {
        "count": selectors.public_projects().count(), "prefix": settings.OC4IDS_PREFIX,
        "share": share(request, _("开放数据"), _("半拉子工程项目数据（OC4IDS JSON 与 CSV）。")),
    })


@public_page
def oc4ids_json(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(oc4ids.package(), json_dumps_params=JSON)
    response["Content-Disposition"] = 'inline; filename="halfbuilt-oc4ids.json"'
    return response


@public_page
def projects_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(oc4ids.csv_text(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="halfbuilt-projects.csv"'
    return response
