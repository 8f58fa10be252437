"""Tip-offs' rows of the permission table (imported at the end of table.py). The portal's form, tracking page and
Open311 answer the same for anonymous visitors and every role and never show what the reporter wrote; moderation
(/tipoffs/) is the office's and the government's of the place's region: Baotou's and Donghe's for a tip-off in
Donghe (`in_scope`), only the office for one in Chifeng (`elsewhere`). `classified`: a tip-off in Donghe linked
(by hand: no service links to a project the moderator cannot see) to the classified project, which its moderators
and the tracking page never name.
"""

from __future__ import annotations

import json

from . import checks as c
from .grid import ELSEWHERE, IN_SCOPE, NONE, State
from .table import row

EVERYONE = " ".join(["200"] * 11)
NOT_FOUND = " ".join(["404"] * 11)
MODERATORS = "200 403 403 403 200 200 403 403 403 403 login"
OFFICE_ONLY = "200 403 403 403 404 404 403 403 403 403 login"
SECRET = "矩阵反映人的描述"


def _tipoffs(world):
    from django.core.cache import cache
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from halfbuilt.tipoffs.models import TipOff, TipOffPhoto

    cache.clear()  # the per-address rate limit: each cell starts afresh

    def make(region: str, project_kind: str, **extra) -> dict:
        tipoff = TipOff.objects.create(what=f"矩阵线索{region}", region_id=region, prefecture_id=region[:4] + "00",
                                       kind="stalled", description=SECRET, reporter_phone="13900001111", **extra)
        name = default_storage.save(f"tipoffs/{tipoff.pk}.jpg", ContentFile(b"\xff\xd8\xff\xd9"))
        photo = TipOffPhoto.objects.create(tipoff=tipoff, file=name, original_name="现场.jpg",
                                           content_type="image/jpeg", size=4, sha256="0" * 64)
        return {"tipoff": tipoff.pk, "code": tipoff.code, "photo": str(photo.pk),
                "project": world.projects[project_kind]}

    return {
        NONE: {},
        IN_SCOPE: make("150202", IN_SCOPE),
        ELSEWHERE: make("150402", ELSEWHERE),
        "classified": make("150202", "classified", status="linked", project_id=world.projects["classified"]),
    }


TIPOFFS = State("a tip-off in Donghe, one in Chifeng, one linked to the classified project", _tipoffs)


def _status(status: str):
    def effect(ids) -> bool:
        from halfbuilt.tipoffs.models import TipOff

        return TipOff.objects.filter(pk=ids["tipoff"], status=status).exists()

    return effect


def _logged(action: str):
    def effect(ids) -> bool:
        from halfbuilt.audit.models import ChangeLog

        return ChangeLog.objects.filter(action=action, object_id=str(ids["tipoff"])).exists()

    return effect


def _created(ids) -> bool:
    from halfbuilt.tipoffs.models import TipOff

    return TipOff.objects.filter(description="矩阵 Open311").exists()


def queue_listed(response, ids) -> set[str]:
    return c.kinds_where(ids, lambda i: f'data-tipoff="{i["tipoff"]}"' in c.text(response))


def no_secret(response, ids) -> bool:
    """The answer names neither what the reporter wrote nor the classified project (True: nothing leaks)."""
    from halfbuilt.ledger.models import Project

    body = c.text(response)
    classified = Project.objects.get(pk=ids["projects"]["classified"])
    return SECRET not in body and "13900001111" not in body and classified.name not in body and (
        f"/gongkai/projects/{classified.pk}/" not in body)


def open311_ids(response, ids) -> set[str]:
    codes = {r["service_request_id"] for r in json.loads(c.text(response))}
    return c.kinds_where(ids, lambda i: i["code"] in codes)


PLUS = " ".join(["200+"] * 11)

#                  office dept dept_bt dept_gat region county unit sysadm secadm auditor anon
row("gongkai/report/", "GET", "/gongkai/report/", rule="the tip-off form, for anyone", none=EVERYONE)
row("gongkai/report/", "POST", "/gongkai/report/", state=TIPOFFS, data={"what": "矩阵", "region": "150202"},
    effect=lambda ids: False,
    rule="a form without the captcha's answer is shown again, whoever sends it: nothing is written",
    none=EVERYONE)
row("gongkai/report/<str:code>/", "GET", "/gongkai/report/{code}/", state=TIPOFFS, shows=no_secret,
    rule="the tracking page answers anyone with the status and public answer only: never the reporter's words, "
         "nor a classified project it was linked to", in_scope=PLUS, elsewhere=PLUS, classified=PLUS)
row("gongkai/report/<str:code>/", "GET", "/gongkai/report/no-such-code/", rule="an unknown code is not found",
    none=NOT_FOUND)
row("tipoffs/", "GET", "/tipoffs/?status=all", state=TIPOFFS, listed=queue_listed,
    rule="the queue holds the tip-offs of the moderator's region (the office: all); nobody else has it",
    listing="iec 403 403 403 ic ic 403 403 403 403 login")
row("tipoffs/<int:pk>/", "GET", "/tipoffs/{tipoff}/", state=TIPOFFS, shows=no_secret,
    rule="a tip-off's page, with the reporter's words and contact, is its moderators'; a classified project it "
         "points to is not named to them",
    in_scope="200 403 403 403 200 200 403 403 403 403 login", elsewhere=OFFICE_ONLY,
    classified="200 403 403 403 200 200 403 403 403 403 login")
row("tipoffs/photos/<uuid:photo_id>", "GET", "/tipoffs/photos/{photo}", state=TIPOFFS,
    rule="a reporter's photo is its moderators' only (never public)", in_scope=MODERATORS, elsewhere=OFFICE_ONLY,
    classified=MODERATORS)
row("tipoffs/<int:pk>/accept/", "POST", "/tipoffs/{tipoff}/accept/", state=TIPOFFS,
    data={"name": "矩阵受理的项目", "category": "A03", "department": "JYT"}, effect=_status("accepted"),
    redirect="/tipoffs/{tipoff}/",
    rule="the place's moderators accept a tip-off as a new candidate project; nobody else; a decided one (the "
         "classified kind: linked) is not decided again, and the moderator is told why",
    in_scope="302+ 403 403 403 302+ 302+ 403 403 403 403 login",
    elsewhere="302+ 403 403 403 404 404 403 403 403 403 login",
    classified="302 403 403 403 302 302 403 403 403 403 login")
row("tipoffs/<int:pk>/link/", "POST", "/tipoffs/{tipoff}/link/", state=TIPOFFS,
    data=lambda ids: {"project": ids["project"]}, effect=_logged("tipoff_link"), redirect="/tipoffs/{tipoff}/",
    rule="the place's moderators link a tip-off to a project they see (never to the classified one)",
    in_scope="302+ 403 403 403 302+ 302+ 403 403 403 403 login",
    elsewhere="302+ 403 403 403 404 404 403 403 403 403 login",
    classified="302 403 403 403 302 302 403 403 403 403 login")
row("tipoffs/<int:pk>/contacts/", "POST", "/tipoffs/{tipoff}/contacts/", state=TIPOFFS,
    effect=_logged("personal_data_view"),
    rule="the reporter's name and phone in full (the page shows them masked) are its moderators', each view "
         "logged (查看个人信息); another place's government gets not found, other roles are refused",
    in_scope="200+ 403 403 403 200+ 200+ 403 403 403 403 login",
    elsewhere="200+ 403 403 403 404 404 403 403 403 403 login",
    classified="200+ 403 403 403 200+ 200+ 403 403 403 403 login")
row("tipoffs/<int:pk>/<str:action>/", "POST", "/tipoffs/{tipoff}/reject/", state=TIPOFFS,
    data={"answer": "矩阵：不属于半拉子工程"}, effect=_status("rejected"), redirect="/tipoffs/{tipoff}/",
    rule="the place's moderators reject a tip-off with a public reason",
    in_scope="302+ 403 403 403 302+ 302+ 403 403 403 403 login",
    elsewhere="302+ 403 403 403 404 404 403 403 403 403 login",
    classified="302 403 403 403 302 302 403 403 403 403 login")
row("open311/v2/services.json", "GET", "/open311/v2/services.json", rule="Open311: the services, for anyone",
    none=EVERYONE)
row("open311/v2/requests.json", "GET", "/open311/v2/requests.json?service_request_id={code}", state=TIPOFFS,
    shows=no_secret, rule="Open311: a request's status by its id, for anyone, without the reporter's words",
    in_scope=PLUS, elsewhere=PLUS, classified=PLUS)
row("open311/v2/requests.json", "GET", "/open311/v2/requests.json", state=TIPOFFS,
    rule="Open311: no listing of every request (it would hand out the tracking codes)",
    none=" ".join(["400"] * 11))
row("open311/v2/requests.json", "POST", "/open311/v2/requests.json", state=TIPOFFS, effect=_created,
    data={"service_code": "idle", "jurisdiction_id": "150202", "description": "矩阵 Open311"},
    rule="Open311: anyone files a request, signed in or not", none=" ".join(["201+"] * 11))
row("open311/v2/requests/<str:code>.json", "GET", "/open311/v2/requests/{code}.json", state=TIPOFFS,
    shows=no_secret, rule="Open311: one request's status, for anyone", in_scope=PLUS, elsewhere=PLUS,
    classified=PLUS)
