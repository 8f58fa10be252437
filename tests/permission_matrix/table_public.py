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
