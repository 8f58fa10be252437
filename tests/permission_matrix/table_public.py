"""The public portal's rows of the permission table (imported at the end of table.py): every public route answers
the same for anonymous visitors and for every role, and never shows a project that is not public — the classified
one, nor any project before it is confirmed into the ledger — by id, by search, by map or in the open data.
The office's /publicity/ pages (news and 盘活案例) are the office's alone.
"""

from __future__ import annotations

import json

from . import checks as c
from .grid import State
from .table import row
from .table_orders import ISSUED
from .world import CANDIDATES, IN_LEDGER, _each, _move

EVERYONE = " ".join(["200"] * 11)
NOT_FOUND = " ".join(["404"] * 11)
PUBLIC = " ".join(["ie"] * 11)  # the in-ledger, unclassified projects: in_scope and elsewhere
NOTHING_LISTED = " ".join(["-"] * 11)


def _placed(world):
    """The projects in the ledger with a position each, and the cube rebuilt (the map's figures read it)."""
    from decimal import Decimal

    from halfbuilt.supervision.dashboard import cube

    _move(world, status="in_ledger", longitude=Decimal("110.0"), latitude=Decimal("40.5"))
    cube.rebuild()
    return _each(world, lambda kind, pk: {})


PLACED = State("projects in the ledger with a position, counted by the cube", _placed)


def portal_total(response, ids) -> int:
    """How many projects the portal's home page counts (its 台账项目 figure)."""
    import re

    found = re.search(r'data-figure="total">(\d+)<', c.text(response))
    return int(found.group(1)) if found else -1


def map_points(response, ids) -> set[str]:
    points = {str(p["id"]) for p in json.loads(c.text(response))["points"]}
    return c.kinds_where(ids, lambda i: str(i["project"]) in points)


def oc4ids_projects(response, ids) -> set[str]:
    from halfbuilt.ledger.models import Project

    titles = {p["title"] for p in json.loads(c.text(response))["projects"]}
    return c.kinds_where(ids, lambda i: Project.objects.get(pk=i["project"]).name in titles)


#                  office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("gongkai/", "GET", "/gongkai/", state=PLACED, listed=portal_total,
    rule="the portal's figures count the public projects only (never the classified one), for anyone",
    listing=PUBLIC)
CARDS = c.links('data-project="{project}"')  # a project's card in the list (the search box echoes the words)

row("gongkai/projects/", "GET", "/gongkai/projects/", state=IN_LEDGER, listed=CARDS,
    rule="the public list holds the projects in the ledger that are not classified, the same for anyone",
    listing=PUBLIC)
row("gongkai/projects/", "GET", "/gongkai/projects/", state=CANDIDATES, listed=CARDS,
    rule="a candidate not yet confirmed into the ledger is not public", listing=NOTHING_LISTED)
row("gongkai/projects/", "GET", "/gongkai/projects/?q=某业务技术用房", state=IN_LEDGER, listed=CARDS,
    rule="searching for the classified project's name finds nothing, whoever searches", listing=NOTHING_LISTED)
row("gongkai/projects/<int:pk>/", "GET", "/gongkai/projects/{project}/", state=IN_LEDGER,
    rule="a public project's page opens for anyone; the classified one is not found, for its own department too",
    in_scope=EVERYONE, elsewhere=EVERYONE, classified=NOT_FOUND)
row("gongkai/projects/<int:pk>/", "GET", "/gongkai/projects/{project}/", state=CANDIDATES,
    rule="a candidate's page is not found: nothing is public before the department confirms it",
    in_scope=NOT_FOUND, elsewhere=NOT_FOUND, classified=NOT_FOUND)
row("gongkai/projects/<int:pk>/sign.pdf", "GET", "/gongkai/projects/{project}/sign.pdf", state=IN_LEDGER,
    rule="the 公示牌 of a public project, for anyone; none for the classified one",
    in_scope=EVERYONE, elsewhere=EVERYONE, classified=NOT_FOUND)
row("gongkai/projects/<int:pk>/sign.png", "GET", "/gongkai/projects/{project}/sign.png", state=IN_LEDGER,
    rule="the 公示牌 as a picture, the same", in_scope=EVERYONE, elsewhere=EVERYONE, classified=NOT_FOUND)
row("gongkai/map.json", "GET", "/gongkai/map.json", state=PLACED, listed=map_points,
    rule="the map's points are the public projects' (the classified one has a position too, and is not there)",
    listing=PUBLIC)
row("gongkai/circulars/", "GET", "/gongkai/circulars/", rule="the public circulars and orders, for anyone",
    none=EVERYONE)
row("gongkai/stories/", "GET", "/gongkai/stories/", rule="the published stories, for anyone", none=EVERYONE)
row("open-data/", "GET", "/open-data/", rule="the open data page, for anyone", none=EVERYONE)
row("open-data/oc4ids.json", "GET", "/open-data/oc4ids.json", state=IN_LEDGER, listed=oc4ids_projects,
    rule="the OC4IDS package holds the public projects, never the classified one, whoever downloads it",
    listing=PUBLIC)
row("open-data/projects.csv", "GET", "/open-data/projects.csv", state=IN_LEDGER, listed=c.project_names,
    rule="the CSV holds the same projects", listing=PUBLIC)
row("gongkai/projects/", "POST", "/gongkai/projects/", rule="the portal is read only: a POST is refused",
    none=" ".join(["405"] * 11))
row("publicity/", "GET", "/publicity/", rule="the office writes the news and 盘活案例; nobody else has the page",
    none="200 403 403 403 403 403 403 403 403 403 login")
row("publicity/stories/new/", "GET", "/publicity/stories/new/", rule="the office's story form",
    none="200 403 403 403 403 403 403 403 403 403 login")


# ---- photos, circulars and stories: public only with a public project ---------------------------------------------

def _photos(published: bool):
    def setup(world):
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        from halfbuilt.files.models import Attachment
        from halfbuilt.public.models import PublishedPhoto

        _move(world, status="in_ledger")

        def make(kind, pk):
            name = default_storage.save(f"attachments/{kind}.jpg", ContentFile(b"\xff\xd8\xff\xd9"))
            photo = Attachment.objects.create(
                project_id=pk, kind="photo", file=name, original_name=f"{kind}.jpg", content_type="image/jpeg",
                size=4, sha256="0" * 64, uploaded_by=world.users["office"])
            if published:  # even the classified one's, which no service would release: the portal still hides it
                PublishedPhoto.objects.create(attachment=photo, published_by=world.users["office"])
            return {"photo": str(photo.pk)}

        return _each(world, make)

    return State("photos, released" if published else "photos, not released", setup)


RELEASED, UNRELEASED = _photos(True), _photos(False)


def _public_circular(world):
    import datetime as dt

    from halfbuilt.supervision.circulars.models import Circular

    today = dt.date.today()
    made = Circular.objects.create(
        issuer_org=world.orgs["office"], created_by=world.users["office"], period_kind="month", start=today,
        end=today, title="矩阵公开通报", opening="开头", findings="情况", requirements="要求", public=True,
        status="published", doc_no="矩阵通〔2026〕1号", published_at=dt.datetime.now(dt.UTC))
    return {"none": {"circular": made.pk}}


PUBLIC_CIRCULAR = State("a published circular marked public", _public_circular, kinds=("none",))


def _stories(world):
    import datetime as dt

    from halfbuilt.public.models import Story

    _move(world, status="in_ledger")
    draft = Story.objects.create(kind="news", title="矩阵草稿", body="正文", created_by=world.users["office"])

    def make(kind, pk):
        story = Story.objects.create(kind="case", title=f"矩阵案例{kind}", body="正文", project_id=pk, published=True,
                                     published_at=dt.datetime.now(dt.UTC), created_by=world.users["office"])
        return {"story": story.pk}

    return {**_each(world, make), "none": {"story": draft.pk}}


STORIES = State("a published story on each project, and a draft", _stories)


def story_published(ids) -> bool:
    from halfbuilt.public.models import Story

    return Story.objects.filter(pk=ids["story"], published=True).exists()


def photo_released(ids) -> bool:
    from halfbuilt.public.models import PublishedPhoto

    return PublishedPhoto.objects.filter(attachment_id=ids["photo"]).exists()


def order_public(ids) -> bool:
    from halfbuilt.public.models import PublishedOrder

    return PublishedOrder.objects.filter(order_id=ids["order"]).exists()


#                  office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("gongkai/photos/<uuid:photo_id>", "GET", "/gongkai/photos/{photo}", state=RELEASED,
    rule="a released photo of a public project, for anyone; the classified project's never",
    in_scope=EVERYONE, elsewhere=EVERYONE, classified=NOT_FOUND)
row("gongkai/photos/<uuid:photo_id>", "GET", "/gongkai/photos/{photo}", state=UNRELEASED,
    rule="a photo nobody released is not public", in_scope=NOT_FOUND, elsewhere=NOT_FOUND, classified=NOT_FOUND)
row("gongkai/circulars/<int:pk>/", "GET", "/gongkai/circulars/{circular}/", state=PUBLIC_CIRCULAR,
    rule="a published circular the office marked public, for anyone", none=EVERYONE)
row("gongkai/stories/<int:pk>/", "GET", "/gongkai/stories/{story}/", state=STORIES,
    rule="a published story about a public project, for anyone; one about the classified project is not found",
    in_scope=EVERYONE, elsewhere=EVERYONE, classified=NOT_FOUND)
row("gongkai/stories/<int:pk>/", "GET", "/gongkai/stories/{story}/", state=STORIES,
    rule="a draft story is nobody's on the portal, the office's neither", none=NOT_FOUND)
row("publicity/stories/<int:pk>/", "GET", "/publicity/stories/{story}/", state=STORIES,
    rule="the office edits its stories", none="200 403 403 403 403 403 403 403 403 403 login")
row("publicity/stories/<int:pk>/publish/", "POST", "/publicity/stories/{story}/publish/", state=STORIES,
    data={"published": "1"}, effect=story_published, redirect="/publicity/",
    rule="the office publishes a draft; nobody else", none="302+ 403 403 403 403 403 403 403 403 403 login")
row("publicity/photos/<uuid:photo_id>/", "POST", "/publicity/photos/{photo}/", state=UNRELEASED,
    data={"published": "1", "caption": "现场"}, effect=photo_released, redirect="/ledger/{project}/#public",
    rule="the office and the project's league or county release a photo of a public project; whoever else sees "
         "it is told they may not; the classified project's photo is released by nobody",
    in_scope="302+ 302 302 404 302+ 302+ 302 404 404 404 login",
    elsewhere="302+ 302 404 . 404 . . . . . .",
    classified="404 404 . 302 404 . . . . . .")


def _public_orders(world):
    _move(world, status="in_ledger")
    return ISSUED.setup(world)


ORDERS = State("督办 on each project in the ledger", _public_orders)

row("publicity/orders/<int:pk>/", "POST", "/publicity/orders/{order}/", state=ORDERS, data={"published": "1"},
    effect=order_public, redirect="/ledger/{project}/#public", redirects={"home": "/"},
    rule="the office makes a 督办 on a public project public; anyone else who sees it is told only the office may; "
         "the classified project's order is nobody's to publish",
    in_scope="302+ 302:home 302:home 302:home 302:home 302:home 302:home 302:home 302:home 302:home login",
    elsewhere="302+ 302:home 302:home . 302:home . . . . . .",
    classified="302:home 302:home . 302:home 302:home . . . . . .")
