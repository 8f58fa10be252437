"""One cell of the table as a request, and the checks of its outcome."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from django.contrib.messages import constants, get_messages
from django.test import Client

from .grid import LISTING, NONE, WRITES, Case, expand
from .world import World, past_period, this_period

# The test modules that expand the table, each taking the rows whose address starts with one of its prefixes
# (a module each, so that parallel runs share them out; each builds the world once).
MODULES = {
    "tests.test_permission_matrix": ("/accounts/", "/ledger/", "/audit/"),
    "tests.test_permission_matrix_disposal": ("/disposal/",),
    "tests.test_permission_matrix_closure": ("/closure/", "/files/"),
    "tests.test_permission_matrix_progress": ("/progress/",),
    "tests.test_permission_matrix_notifications": ("/notifications/",),
    "tests.test_permission_matrix_campaign": ("/campaign/",),
    "tests.test_permission_matrix_lights": ("/lights/",),
    "tests.test_permission_matrix_api": ("/api/v1/projects", "/api/v1/files", "/api/v1/regions",
                                         "/api/v1/categories", "/api/v1/openapi.json", "/api/v1/docs",
                                         "/api/v1/no-such-thing"),
    "tests.test_permission_matrix_api_plans": ("/api/v1/plans",),
    "tests.test_permission_matrix_api_progress": ("/api/v1/progress", "/api/v1/closure"),
    "tests.test_permission_matrix_orders": ("/orders/", "/api/v1/orders"),
    "tests.test_permission_matrix_dashboard": ("/dashboard/",),
    "tests.test_permission_matrix_admin": ("/administration/", "/password/"),
    "tests.test_permission_matrix_circulars": ("/circulars/",),
    "tests.test_permission_matrix_prevention": ("/prevention/",),
    "tests.test_permission_matrix_greenchannel": ("/green/", "/api/v1/green"),
    "tests.test_permission_matrix_public": ("/gongkai/", "/open-data/", "/publicity/"),
    "tests.test_permission_matrix_tipoffs": ("/tipoffs/", "/open311/"),
}


def cases_of(module: str) -> list[Case]:
    """The cells a test module runs: the root address ("/", "/api/v1/") goes with the module of "/accounts/"
    and of the API's projects respectively."""
    from .table import ROWS

    prefixes = MODULES[module]

    def mine(path: str) -> bool:
        if path.split("?")[0] == "/":
            return "/accounts/" in prefixes
        if path == "/api/v1/" or (path.startswith("/api/") and not path.startswith("/api/v1/")):
            return "/api/v1/projects" in prefixes  # the API's root, and addresses outside its version
        return path.startswith(prefixes)

    return [case for case in expand(ROWS) if mine(case.row.path)]


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
    # A raw row is a page of the API's (its documentation): an HTML answer, or the sign-in redirect.
    if path.startswith("/api/") and not (row.raw and (response.status_code == 200 or outcome.is_login)):
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
