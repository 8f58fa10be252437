"""The public portal (issue 9 §1): no sign-in, the one public selector, personal and internal data never shown on
any public page or file, photos only once released (and without EXIF), the 公示牌, the share tags, cache headers."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from django.urls import get_resolver
from PIL import Image

from halfbuilt.core.request_context import Actor
from halfbuilt.public import selectors, services
from tests.public_helpers import NEVER, SECRETS, build


@pytest.fixture
def pw(users, orgs):
    return build(users, orgs)


def anon() -> Client:
    return Client()


def text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8-sig", errors="replace")


def signed_in(users, role) -> Client:
    c = Client()
    c.force_login(users[role])
    return c


def test_the_public_selector_holds_exactly_the_confirmed_unclassified_projects(pw):
    ids = set(selectors.public_projects().values_list("pk", flat=True))
    assert ids == {pw.public.pk, pw.plain.pk}
    assert not ids & {p.pk for p in pw.never.values()}


def test_the_public_view_of_a_project_is_the_whitelist(pw):
    p = selectors.public_project(pw.public.pk)
    fields = set(vars(p))
    for forbidden in ("responsible_person", "phone", "causes", "status_reason", "responsible_unit",
                      "responsible_org", "high_impact_reason", "approval_doc", "unpaid_amount"):
        assert forbidden not in fields
    assert p.owner_unit == "" and p.owner_uscc == ""  # a person's business (USCC 9…) is not named
    plain = selectors.public_project(pw.plain.pk)
    assert plain.owner_unit == "赤峰市红山区教育局"  # a public body (USCC 1…) is
    assert p.method_label == "复工续建" and [m.title for m in p.milestones] == ["落实续建资金", "完成复工手续"]
    assert p.last_report.progress == "主体结构已封顶，正在办理续建手续"  # the submitted one, not the later draft
    assert [ph.id for ph in p.photos] == [str(pw.photo.pk)]


def public_urls(pw) -> list[str]:
    """Every public address, filled with the public world's objects (the office's /publicity/ ones aside); the
    test fails when a new public route is added and not walked here."""
    filled = {
        "gongkai/projects/<int:pk>/": f"/gongkai/projects/{pw.public.pk}/",
        "gongkai/projects/<int:pk>/sign.pdf": f"/gongkai/projects/{pw.public.pk}/sign.pdf",
        "gongkai/projects/<int:pk>/sign.png": f"/gongkai/projects/{pw.public.pk}/sign.png",
        "gongkai/photos/<uuid:photo_id>": f"/gongkai/photos/{pw.photo.pk}",
        "gongkai/circulars/<int:pk>/": f"/gongkai/circulars/{pw.circular.pk}/",
    }
    routes = [str(p.pattern) for p in get_resolver().url_patterns if str(p.pattern) == ""]
    assert routes, "the public URLs are mounted at the root"
    from halfbuilt.public import urls

    found = []
    for prefix, patterns in (("gongkai/", urls.portal), ("open-data/", urls.open_data)):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if "<" in route:
                if route not in filled:
                    assert route.startswith("gongkai/stories/"), f"{route}: not walked by the leak test"
                    continue
                found.append(filled[route])
            else:
                found.append("/" + route)
    return found


def test_every_public_page_answers_anyone_without_signing_in(pw):
    for url in public_urls(pw):
        response = anon().get(url)
        assert response.status_code == 200, url


def test_no_personal_or_internal_value_on_any_public_page_or_file(pw, users, settings):
    from halfbuilt.public.models import Story

    story = Story.objects.create(kind="case", title="某学校盘活", body="已盘活", project=pw.public, published=True,
                                 created_by=users["office"], published_at=pw.circular.published_at)
    urls = [*public_urls(pw), f"/gongkai/stories/{story.pk}/", "/gongkai/stories/?kind=case",
            "/gongkai/projects/?q=东河", "/gongkai/projects/?region=150200"]
    for url in urls:
        body = text(anon().get(url))
        if url.endswith((".pdf", ".png")) or "/photos/" in url:
            continue  # binary: the sign's text is checked below through its lines
        for name, value in SECRETS.items():
            assert value not in body, f"{url} shows {name}"
        for kind, name in NEVER.items():
            assert name not in body, f"{url} shows the {kind} project"
    from halfbuilt.public import sign

    said = " ".join(f"{line.label} {line.value}" for line in sign.lines(selectors.public_project(pw.public.pk)))
    assert not [n for n, v in SECRETS.items() if v in said]


def test_a_project_that_is_not_public_is_not_found_by_id_search_or_map(pw):
    for kind, project in pw.never.items():
        for url in (f"/gongkai/projects/{project.pk}/", f"/gongkai/projects/{project.pk}/sign.pdf"):
            assert anon().get(url).status_code == 404, (kind, url)
        found = text(anon().get("/gongkai/projects/", {"q": project.name}))
        assert 'data-total="0"' in found and "data-project=" not in found, kind  # the box echoes the words
    points = anon().get("/gongkai/map.json").json()["points"]
    assert {p["id"] for p in points} == {pw.public.pk}  # the plain one has no position


def test_the_same_answer_signed_in_as_anonymous(pw, users):
    url = f"/gongkai/projects/{pw.public.pk}/"
    expected = text(anon().get(url))
    for role in ("office", "department_gat", "unit", "sysadmin"):
        assert text(signed_in(users, role).get(url)) == expected, role
    # The owning department sees its classified project inside, never on the portal.
    assert signed_in(users, "department_gat").get(f"/gongkai/projects/{pw.never['classified'].pk}/").status_code == 404


def test_the_list_filters_and_names_a_bad_value(pw):
    body = text(anon().get("/gongkai/projects/", {"region": "150400"}))
    assert "红山区公开幼儿园" in body and "东河区公开示范学校" not in body
    body = text(anon().get("/gongkai/projects/", {"method": "resume"}))
    assert "东河区公开示范学校" in body and "红山区公开幼儿园" not in body
    body = text(anon().get("/gongkai/projects/", {"kind": "nonsense", "page": "abc"}))
    assert "类型“nonsense”无法识别，已忽略" in body and "页码“abc”无效" in body
    assert "东河区公开示范学校" in body  # the bad filter is ignored, not applied


def test_the_figures_are_the_public_projects(pw):
    body = text(anon().get("/gongkai/"))
    assert 'data-figure="total">2<' in body
    areas = {a["code"]: a["values"]["n"] for a in anon().get("/gongkai/map.json").json()["areas"]}
    assert areas["150200"] == 1 and areas["150400"] == 1


def test_a_photo_is_public_only_once_released_and_without_exif(pw, users):
    shown = anon().get(f"/gongkai/photos/{pw.photo.pk}")
    assert shown.status_code == 200
    image = Image.open(io.BytesIO(b"".join(shown.streaming_content)))
    assert dict(image.getexif()) == {}
    assert anon().get(f"/gongkai/photos/{pw.hidden_photo.pk}").status_code == 404
    assert str(pw.hidden_photo.pk) not in text(anon().get(f"/gongkai/projects/{pw.public.pk}/"))
    services.set_photo_published(actor=Actor(users["office"]), attachment_id=pw.photo.pk, published=False)
    assert anon().get(f"/gongkai/photos/{pw.photo.pk}").status_code == 404


def test_who_may_release_a_photo(pw, users):
    from halfbuilt.audit.models import ChangeLog
    from halfbuilt.core.errors import NotAllowed

    for role in ("unit", "department", "sysadmin"):
        with pytest.raises(NotAllowed):
            services.set_photo_published(actor=Actor(users[role]), attachment_id=pw.hidden_photo.pk, published=True)
    c = signed_in(users, "region")
    page = text(c.get(f"/ledger/{pw.public.pk}/"))
    assert f'action="/publicity/photos/{pw.hidden_photo.pk}/"' in page
    response = c.post(f"/publicity/photos/{pw.hidden_photo.pk}/", {"published": "1", "caption": "北侧"})
    assert response.status_code == 302
    assert anon().get(f"/gongkai/photos/{pw.hidden_photo.pk}").status_code == 200
    assert ChangeLog.objects.filter(action="photo_publish", project_id=pw.public.pk).count() == 2


def test_a_public_order_shows_on_its_project_and_an_unpublished_one_does_not(pw, users):
    body = text(anon().get(f"/gongkai/projects/{pw.public.pk}/"))
    assert pw.order.doc_no in body
    services.set_order_published(actor=Actor(users["office"]), order_id=pw.order.pk, published=False)
    assert pw.order.doc_no not in text(anon().get("/gongkai/circulars/"))


def test_only_published_public_circulars_appear(pw):
    from halfbuilt.supervision.circulars.models import Circular

    assert anon().get(f"/gongkai/circulars/{pw.circular.pk}/").status_code == 200
    Circular.objects.filter(pk=pw.circular.pk).update(public=False)
    assert anon().get(f"/gongkai/circulars/{pw.circular.pk}/").status_code == 404
    assert pw.circular.title not in text(anon().get("/gongkai/circulars/"))


def test_the_office_writes_and_publishes_a_story(pw, users):
    office = signed_in(users, "office")
    refused = office.post("/publicity/stories/new/", {"kind": "case", "title": "", "body": "x"})
    assert refused.status_code == 400 and "请填写标题" in text(refused)
    unreleased = office.post("/publicity/stories/new/", {
        "kind": "case", "title": "东河区学校盘活记", "body": "教学楼已投入使用。", "project": pw.public.pk,
        "after_photo": pw.hidden_photo.pk})
    assert unreleased.status_code == 400  # only a released photo is offered, and taken
    assert str(pw.hidden_photo.pk) not in text(office.get("/publicity/stories/new/"))
    assert str(pw.photo.pk) in text(office.get("/publicity/stories/new/"))
    created = office.post("/publicity/stories/new/", {
        "kind": "case", "title": "东河区学校盘活记", "summary": "从停工到开学", "body": "教学楼已投入使用。",
        "project": pw.public.pk, "after_photo": pw.photo.pk})
    assert created.status_code == 302
    from halfbuilt.public.models import Story

    story = Story.objects.get(title="东河区学校盘活记")
    assert anon().get(f"/gongkai/stories/{story.pk}/").status_code == 404  # a draft
    office.post(f"/publicity/stories/{story.pk}/publish/", {"published": "1"})
    page = anon().get(f"/gongkai/stories/{story.pk}/")
    assert page.status_code == 200 and "教学楼已投入使用。" in text(page)
    assert '<meta property="og:title" content="东河区学校盘活记">' in text(page)
    assert signed_in(users, "region").get("/publicity/").status_code == 403
    # A story about a project that stops being public is withdrawn with it.
    type(pw.public).objects.filter(pk=pw.public.pk).update(status="voided")
    assert anon().get(f"/gongkai/stories/{story.pk}/").status_code == 404


def test_share_tags_and_cache_headers(pw, settings, users):
    settings.PUBLIC_CACHE_SECONDS = 60
    from django.core.cache import cache

    cache.clear()
    url = f"/gongkai/projects/{pw.public.pk}/"
    response = anon().get(url)
    body = text(response)
    assert '<meta property="og:title" content="东河区公开示范学校">' in body
    assert f'<meta property="og:image" content="{settings.PUBLIC_SITE_URL}/gongkai/photos/{pw.photo.pk}">' in body
    assert response["Cache-Control"] == "max-age=60, public"
    # Kept by the server for a minute: a change shows after that, not at once.
    type(pw.public).objects.filter(pk=pw.public.pk).update(name="改名后的学校")
    assert "东河区公开示范学校" in text(anon().get(url))
    # Someone signed in gets the same page, but no shared cache may keep it (their session cookie).
    assert signed_in(users, "office").get(url)["Cache-Control"] == "max-age=60, private"
    cache.clear()


def test_the_sign_is_an_a4_pdf_with_its_font_and_a_png_with_a_qr_code(pw):
    pdf = anon().get(f"/gongkai/projects/{pw.public.pk}/sign.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"/FontFile" in pdf.content  # the CJK font embedded (a subset), not referenced
    assert b"/MediaBox [0 0 595.28 841.89]" in pdf.content  # A4 in points
    png = Image.open(io.BytesIO(anon().get(f"/gongkai/projects/{pw.public.pk}/sign.png").content))
    assert png.size == (1240, 1754)  # A4 at 150 dpi
    from halfbuilt.public import sign

    qr = sign.qr_png(sign.page_url(selectors.public_project(pw.public.pk)))
    assert Image.open(io.BytesIO(qr)).size[0] > 100


def test_a_missing_font_is_said_not_drawn(pw, monkeypatch, settings):
    from halfbuilt.public import sign

    monkeypatch.setattr(sign, "FONT_CANDIDATES", ())
    settings.SIGN_FONT = ""
    response = anon().get(f"/gongkai/projects/{pw.public.pk}/sign.pdf")
    assert response.status_code == 503 and "fonts-noto-cjk" in text(response)


def test_map_json_is_json(pw):
    data = json.loads(anon().get("/gongkai/map.json").content)
    assert {"areas", "points"} <= set(data)


def test_the_office_edits_a_story_and_makes_an_order_public_from_the_project_page(pw, users):
    from halfbuilt.public.models import PublishedOrder, Story

    office = signed_in(users, "office")
    story = Story.objects.create(kind="news", title="旧标题", body="正文", created_by=users["office"])
    assert "旧标题" in text(office.get(f"/publicity/stories/{story.pk}/"))
    bad = office.post(f"/publicity/stories/{story.pk}/", {"kind": "news", "title": "新标题", "body": "正文",
                                                          "project": pw.never["classified"].pk})
    assert bad.status_code == 400 and "该项目未入账或涉密，不能公开" in text(bad)
    office.post(f"/publicity/stories/{story.pk}/", {"kind": "news", "title": "新标题", "body": "正文"})
    story.refresh_from_db()
    assert story.title == "新标题" and not story.published
    PublishedOrder.objects.all().delete()
    page = text(office.get(f"/ledger/{pw.public.pk}/"))
    assert f'action="/publicity/orders/{pw.order.pk}/"' in page
    response = office.post(f"/publicity/orders/{pw.order.pk}/", {"published": "1"})
    assert response.status_code == 302 and pw.order.doc_no in text(anon().get("/gongkai/circulars/"))
    # Only the office: a department that sees the order cannot publish it, and is told why.
    refused = signed_in(users, "department").post(f"/publicity/orders/{pw.order.pk}/", {"published": "0"},
                                                  follow=True)
    assert "只有领导小组办公室" in text(refused) and PublishedOrder.objects.filter(order=pw.order).exists()
