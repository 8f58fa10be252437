"""The permission matrix of the green channel's pages and API: the cells of the main table for its roles
(tests/permission_matrix/table_green.py, `test_page`), and the authorities' own table
(tests/permission_matrix/table_greenchannel.py, `test_row`): one test per row builds the world; each role's
request runs in a savepoint rolled back afterwards, so every role starts from the row's state."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client

from halfbuilt.greenchannel.models import GreenRequest, Item
from tests import greenchannel_helpers as g
from tests.permission_matrix.runner import cases_of, run
from tests.permission_matrix.table_greenchannel import ROLES, TABLE
from tests.permission_matrix.world import matrix_world  # noqa: F401  (the module's world)

LETTERS_ITEMS = ("P", "F", "C")
LETTERS_REQUESTS = ("R", "K")
NAMES = {"P": "建设工程规划许可证", "F": "消防验收", "C": "环境影响评价审批"}


@pytest.mark.parametrize("case", cases_of(__name__), ids=lambda case: case.id)
def test_page(case, matrix_world, db):  # noqa: F811
    run(case, matrix_world)


class Rollback(Exception):
    pass


@pytest.fixture
def world(matrix_world, make_user, db):  # noqa: F811  (the module's world: its users and projects)
    from django.utils import timezone

    from halfbuilt.ledger.models import Project

    users, projects = matrix_world.users, {k: Project.objects.get(pk=pk) for k, pk in matrix_world.projects.items()}
    auth = g.authority_users(make_user)
    g.plan_in_disposal(projects["in_scope"])
    request = g.file(users["unit"], projects["in_scope"])
    classified, today = projects["classified"], timezone.localdate()
    hidden = GreenRequest.objects.create(project=classified, filer_org=users["department_gat"].role_assignments
                                         .get().organization, filed_by=users["department_gat"], filed_on=today)
    c_item = Item.objects.create(request=hidden, project=classified, procedure_type_id="eia",
                                 authority=auth["zrzy"].role_assignments.get().organization, time_limit=20,
                                 received_on=today, clock_from=today, deadline=today)
    people = {**{k: users[k] for k in ("office", "department", "department_gat", "region", "unit", "sysadmin")},
              **auth, "anonymous": None}
    ids = {"R": request.pk, "K": hidden.pk, "P": g.item_of(request, "planning_permit").pk,
           "F": g.item_of(request, "fire_acceptance").pk, "C": c_item.pk, "project": projects["in_scope"].pk}
    return SimpleNamespace(people=people, ids=ids)


def _send(client: Client, row, path: str, ids: dict):
    data = row.data(ids) if callable(row.data) else (row.data or {})
    if row.method == "GET":
        return client.get(path)
    if path.startswith("/api/") and not row.multipart:
        return client.post(path, json.dumps(data), content_type="application/json")
    return client.post(path, data)  # multipart (files included)


def _listed(row, response, ids) -> set[str]:
    body = response.content
    if row.listing == "xlsx":
        from openpyxl import load_workbook

        text = " ".join(str(c.value) for r in load_workbook(io.BytesIO(body)).active.iter_rows() for c in r)
        return {k for k, name in NAMES.items() if name in text}
    if row.listing.startswith("api_"):
        results = json.loads(body)["results"]
        found = {r["id"] for r in results}
        letters = LETTERS_ITEMS if row.listing == "api_items" else LETTERS_REQUESTS
        return {k for k in letters if ids[k] in found}
    html = body.decode()
    prefix, letters = ("item", LETTERS_ITEMS) if row.listing == "items" else ("request", LETTERS_REQUESTS)
    return {k for k in letters if f'id="{prefix}-{ids[k]}"' in html}


def _check(row, role: str, token: str, response, world) -> None:
    what = f"{row.method} {row.path} as {role}: {row.rule}"
    if token == "login":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), what
        return
    if row.listing and not token[0].isdigit():
        assert response.status_code == 200, f"{what} → {response.status_code}"
        expected = set() if token == "-" else set(token)
        assert _listed(row, response, world.ids) == expected, what
        return
    code, plus = int(token.rstrip("+")), token.endswith("+")
    assert response.status_code == code, f"{what} → {response.status_code} {response.content[:300]!r}"
    if row.effect is not None:
        assert row.effect(world) is plus, f"{what}: the effect {'did not happen' if plus else 'happened'}"


@pytest.mark.parametrize("row", TABLE, ids=lambda r: f"{r.method} {r.path} {r.listing}".strip())
def test_row(row, world, db):
    from halfbuilt.audit.models import ChangeLog

    for role, token in row.cells().items():
        client = Client()
        if world.people[role] is not None:
            client.force_login(world.people[role])
        try:
            with transaction.atomic():
                if row.setup:
                    row.setup(world)
                logged = ChangeLog.objects.count()
                path = row.path.format(**world.ids)
                response = _send(client, row, path, world.ids)
                _check(row, role, token, response, world)
                if row.method != "GET" and not token.endswith("+"):
                    assert ChangeLog.objects.count() == logged, f"{row.method} {path} as {role}: a refused write logged"
                raise Rollback
        except Rollback:
            pass


def test_every_role_of_the_table_is_in_the_world():
    assert set(ROLES) == {"office", "department", "department_gat", "region", "unit", "zrzy", "xf",
                          "chifeng_zrzy", "sysadmin", "anonymous"}
