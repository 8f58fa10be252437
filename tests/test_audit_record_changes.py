"""`record_changes` writes what one `record_change` call per entry would, every column alike (but the id and
the time), on the database under test: COPY on PostgreSQL, bulk_create elsewhere, and INSERT … SELECT for
entries a query of the caller yields."""

import pytest
from django.db import connection, transaction

from halfbuilt.audit.models import ChangeLog
from halfbuilt.audit.services import Change, SelectedChanges, record_change, record_changes
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.dictionary import snapshot
from halfbuilt.ledger.models import Project

COLUMNS = [f.attname for f in ChangeLog._meta.concrete_fields if f.attname not in ("id", "at", "batch")]


def entries(batch: str) -> list[dict]:
    return list(ChangeLog.objects.filter(batch=batch).order_by("id").values(*COLUMNS))


@pytest.fixture
def cases(make_project, orgs):
    """(obj, before, after, keyword arguments): a creation, an edit with unchanged keys (dropped), an object that
    is not a project, a name and a reason longer than their columns, JSON that nests and is not ASCII."""
    school = make_project(name="东河区第一中学")
    secret = make_project(name="某业务技术用房", category_id="A02", department_id="GAT", classified=True)
    long_named = Project(pk=10**9, name="长" * 250)  # never saved: only its pk and str() are logged
    return [
        (school, None, snapshot(school), {"project_id": school.pk}),
        (secret, {"total_investment": "1000.0000", "name": "某业务技术用房"},
         {"total_investment": "1200.0000", "name": "某业务技术用房"},
         {"project_id": secret.pk, "classified": True, "reason": "理由" * 300}),
        (orgs["unit"], {"name": "旧名"}, {"name": "东河区第一中学", "staff": [{"姓名": "王伟", "n": 1}]}, {}),
        (long_named, {"phone": ""}, {"phone": "13800000000"}, {"project_id": long_named.pk}),
    ]


@pytest.mark.parametrize("who", ["user", "nobody"])
def test_the_same_entries_as_one_record_change_each(users, cases, who):
    actor = Actor(users["region"], ip="10.0.0.7", via="import") if who == "user" else Actor(None, via="cli")
    with transaction.atomic():
        for obj, before, after, kwargs in cases:
            record_change(actor=actor, action="import_update", obj=obj, before=before, after=after, batch="one",
                          **kwargs)
        written = record_changes(actor=actor, action="import_update", batch="many", changes=(
            Change.of(obj, before, after, **kwargs) for obj, before, after, kwargs in cases))
    assert written == len(cases)
    one, many = entries("one"), entries("many")
    assert many == one and len(one) == len(cases)
    assert one[1]["before"] == {"total_investment": "1000.0000"} and len(one[1]["reason"]) == 500
    assert len(one[3]["object_repr"]) == 200 and (one[0]["ip"], one[0]["user_id"]) == (
        ("10.0.0.7", users["region"].pk) if who == "user" else (None, None))


def test_entries_selected_by_the_callers_query(users, make_project):
    """The ledger's import builds its entries in SQL from the rows just stored; the same as record_change."""
    projects = sorted((make_project(name=f"东河区第{i}小学") for i in range(3)), key=lambda p: p.pk)  # as selected
    ids = [p.pk for p in projects]
    actor = Actor(users["region"], ip="10.0.0.7", via="import")
    as_json = "jsonb_build_object" if connection.vendor == "postgresql" else "json_object"
    selected = SelectedChanges(
        columns={"object_type": "'project'", "object_id": "CAST(p.id AS TEXT)", "object_repr": "substr(p.name, 1, 200)",
                 "project_id": "p.id", "classified": "p.classified", "before": "NULL",
                 "after": f"{as_json}('name', p.name, 'ledger_no', p.ledger_no)", "reason": "''"},
        source=f"FROM {Project._meta.db_table} AS p WHERE p.id IN (%s, %s, %s) ORDER BY p.id", params=ids)
    with transaction.atomic():
        for p in projects:
            record_change(actor=actor, action="import_create", obj=p, before=None,
                          after={"name": p.name, "ledger_no": p.ledger_no}, project_id=p.pk, batch="one")
        assert record_changes(actor=actor, action="import_create", changes=selected, batch="many") == 3
    assert entries("many") == entries("one")


def test_a_selection_must_give_every_column(users):
    partial = SelectedChanges(columns={"object_type": "'project'"}, source="FROM ledger_project")
    with transaction.atomic(), pytest.raises(ValueError, match="exactly"):
        record_changes(actor=Actor(users["region"]), action="x", changes=partial)
    assert not ChangeLog.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_only_inside_the_business_writes_transaction():
    with pytest.raises(RuntimeError, match="inside the business write"):
        record_changes(actor=Actor(None), action="x", changes=[Change("project", 1, "x", None, {"a": 1})])
