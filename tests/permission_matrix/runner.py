"""One cell of the table as a request, and the checks of its outcome."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from django.contrib.messages import constants, get_messages
from django.test import Client

from .grid import LISTING, NONE, WRITES, Case
from .world import World, past_period, this_period


def send(client: Client, case: Case, path: str, ids: dict):
    row = case.row
    data = row.data(ids) if callable(row.data) else row.data
    if row.body == "json":
        body = json.dumps(data) if data is not None else ""
        return client.generic(row.method, path, body, content_type="application/json")
    if row.method == "GET":
        return client.get(path)
    if row.method == "POST":
        return client.post(path, data or {})  # multipart, as a browser sends a form with files
    return client.generic(row.method, path)


def redirect_target(case: Case, ids: dict) -> str:
    row = case.row
    target = row.redirects[case.outcome.target] if case.outcome.target else row.redirect
    return target(ids) if callable(target) else target.format(**ids)


def run(case: Case, world: World) -> None:
    from halfbuilt.audit.models import ChangeLog

    row, outcome = case.row, case.outcome
    made = row.state.setup(world)
    context = {"projects": world.projects, "now": this_period(), "past": past_period(),
               "own_org": world.own_org(case.role)}
    ids = {**context, **made[NONE if case.kind == LISTING else case.kind]}
    path = row.path.format(**ids)
    client = world.client(case.role)
    if row.effect is not None:
        assert not row.effect(ids), f"{row.rule}: the effect is there before the request"
    logged = ChangeLog.objects.count()

    response = send(client, case, path, ids)

    said = f"{case.role} {row.method} {path}: {row.rule}"
    if outcome.is_login:
        assert response.status_code == 302, f"{said}: {response.status_code}"
        location = urlsplit(response["Location"])
        assert (location.path, parse_qs(location.query)) == ("/accounts/login/", {"next": [path]}), (
            f"{said}: to {response['Location']}")
    else:
        assert response.status_code == outcome.code, f"{said}\n{response.content[:500]!r}"
        if outcome.code == 302:
            assert response["Location"] == redirect_target(case, ids), f"{said}: to {response['Location']}"
    if path.startswith("/api/") and not (row.raw and response.status_code == 200):
        assert response["Content-Type"].startswith("application/json"), said
    if outcome.listed is not None:
        listed = row.listed(response, made)
        expected = len(outcome.listed) if isinstance(listed, int) else set(outcome.listed)
        assert listed == expected, f"{said}: listed {listed}"
    if row.shows is not None and not outcome.is_login and outcome.code < 400:
        assert row.shows(response, ids) == outcome.plus, said
    if row.effect is not None:
        assert row.effect(ids) == outcome.plus, said
        if not outcome.plus:
            assert ChangeLog.objects.count() == logged, f"{said}: a refused request wrote the change log"
            if outcome.code == 302 and row.method in WRITES:
                errors = [m for m in get_messages(response.wsgi_request) if m.level == constants.ERROR]
                assert errors, f"{said}: refused without saying why"
