"""Ids that say nothing about how many rows exist (core/ids.py): the office, who sees every project but the
classified ones, must not count those by the gaps in the ids of its list (nor their plans, reports or units)."""

import itertools
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from halfbuilt.accounts.models import Organization, OrgKind
from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.ids import LOWEST, new_id
from halfbuilt.ledger.models import Project

from . import messy_files
from .test_code_clashes import as_user, create_by_form
from .test_import_rules import HEADER, csv_file, do_import

pytestmark = pytest.mark.django_db

# Rows tied to a project that keep a sequential id, and why that shows nothing.
SEQUENTIAL = {  # (a light's key is its project's)
    "lights.LightReason": "never addressed: read through its project's light",
    "lights.LightChange": "never addressed: read through its project's page",
    "public.Story": "published to everyone by the office",
    "tipoffs.TipOff": "sent in by the public and addressed by its tracking code; its id shows only tip-off counts",
}
# Far apart: random 53-bit ids fall within 2**20 of each other once in 4 billion pairs.
APART = 2**20


def project_bound_models():
    for model in apps.get_models():
        if model.__module__.startswith("halfbuilt") and (model is Project or any(
                f.is_relation and f.many_to_one and f.related_model is Project for f in model._meta.fields)):
            yield model


def ids_on_page(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/ledger/(\d+)/"', html)]


def assert_scattered(ids: list[int]) -> None:
    assert all(pk >= LOWEST for pk in ids), ids
    assert all(abs(a - b) > APART for a, b in itertools.combinations(ids, 2)), ids


def test_projects_made_one_after_another_get_ids_that_are_no_sequence(users, projects):
    county = as_user(users["county"])
    names = ["东河区第一小学", "东河区第二小学", "东河区第三小学"]
    for name in names:
        assert create_by_form(county, "", name).status_code == 302
    made = list(Project.objects.filter(name__in=names).values_list("pk", flat=True))
    assert_scattered(made)
    # The office's list shows them newest first, by time: the ids alone would put them in any order.
    page = as_user(users["office"]).get("/ledger/").content.decode()
    shown = [pk for pk in ids_on_page(page) if pk in made]
    assert shown == list(Project.objects.filter(name__in=names).order_by("-created_at").values_list("pk", flat=True))
    assert [Project.objects.get(pk=pk).name for pk in shown] == names[::-1]


def test_the_api_lists_projects_newest_first_and_its_cursor_walks_them_all(users, projects):
    county = as_user(users["county"])
    names = [f"东河区第{n}幼儿园" for n in "一二三四五"]
    for name in names:
        create_by_form(county, "", name)
    seen, url = [], "/api/v1/projects?region=150202&page_size=2"
    while url:
        body = county.get(url).json()
        seen += [row["name"] for row in body["results"]]
        url = body["next"]
    assert [name for name in seen if name in names] == names[::-1]
    assert len(seen) == len(set(seen)) == Project.objects.restrict(users["county"]).filter(region_id="150202").count()


def test_an_import_numbers_in_the_files_order_and_logs_its_rows_so(tmp_path, users):
    names = [f"昆都仑区闲置用房{n}" for n in range(1, 7)]
    path = csv_file(tmp_path, [[name, "", "昆都仑区", "教育", "停建", "", "", ""] for name in names])
    do_import(path, users["region"])
    made = Project.objects.filter(name__in=names)
    assert_scattered(list(made.values_list("pk", flat=True)))
    assert list(made.order_by("ledger_no").values_list("name", flat=True)) == names
    logged = ChangeLog.objects.filter(action="import_create", object_type="project").order_by("id")
    assert list(logged.values_list("object_repr", flat=True)) == names


def test_a_unit_the_import_creates_gets_a_random_id_too(tmp_path, users):
    row = ["昆都仑区某闲置楼", "", "昆都仑区", "教育", "停建", "", "", "", "昆都仑区某新设单位"]
    path = messy_files.write_csv(tmp_path / "ledger.csv", rows=[[*HEADER, "处置责任单位"], row])
    do_import(path, users["region"])
    assert Organization.objects.get(name="昆都仑区某新设单位").pk >= LOWEST


def test_a_row_written_by_sql_alone_gets_a_random_id_from_the_database(reference):
    with connection.cursor() as cursor:
        for name in ("甲单位", "乙单位"):
            cursor.execute(f"INSERT INTO {Organization._meta.db_table} (name, region_id, kind, uscc, active) "
                           "VALUES (%s, %s, %s, '', %s)", [name, "150202", OrgKind.UNIT, True])
    assert_scattered(list(Organization.objects.filter(name__in=["甲单位", "乙单位"]).values_list("pk", flat=True)))


@pytest.mark.parametrize("model", [m for m in project_bound_models() if m._meta.label not in SEQUENTIAL],
                         ids=lambda m: m._meta.label)
def test_every_row_tied_to_a_project_is_addressed_without_a_count(model):
    pk = model._meta.pk
    assert pk.get_internal_type() == "UUIDField" or pk.default is new_id, f"{model._meta.label}: core.ids.opaque_id()"


def test_the_rows_left_sequential_are_still_tied_to_a_project():
    assert set(SEQUENTIAL) <= {m._meta.label for m in project_bound_models()}


def test_the_plans_api_lists_newest_first(users, disposal_projects, disposal_make_plan):
    plans = [disposal_make_plan(project) for project in list(disposal_projects.values())[:2]]
    client = Client()
    client.force_login(users["office"])
    body = client.get("/api/v1/plans").json()
    listed = [row["id"] for row in body["results"] if row["id"] in {p.pk for p in plans}]
    assert listed == [p.pk for p in sorted(plans, key=lambda p: p.created_at, reverse=True)]
    assert_scattered([p.pk for p in plans])
