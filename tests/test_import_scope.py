"""The importer's authorization questions, asked of `accounts.scope` (the one choke point): who may import
where, for which department lines, which classified projects, and which projects an import may change.
`user` None is the office acting from the command line."""

from pathlib import Path

import pytest

import halfbuilt.ledger.intake as intake
from halfbuilt.accounts import scope
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.intake.plan import ImportContext
from halfbuilt.ledger.models import Project
from halfbuilt.regions.models import Region

# role → (department lines it is bound to, None = any; lines whose classified projects it may file)
LINES = {
    "office": (None, set()),
    "department": ({"JYT"}, {"JYT"}),
    "department_baotou": ({"JYT"}, {"JYT"}),
    "department_gat": ({"GAT"}, {"GAT"}),
    "region": (None, set()),
    "county": (None, set()),
    "unit": (set(), set()),
}


@pytest.mark.parametrize("role", LINES)
def test_department_and_classified_lines(users, role):
    ctx = ImportContext.for_user(Actor(users[role]), Region.objects.get(code="150000"))
    assert (ctx.departments, ctx.classified_lines) == LINES[role]
    assert (scope.import_departments(users[role]), scope.classified_lines(users[role])) == LINES[role]


def test_the_office_from_the_command_line(reference):
    baotou = Region.objects.get(code="150200")
    assert scope.may_import_in(None, baotou)
    assert scope.import_departments(None) is None and scope.classified_lines(None) == set()
    cli = ImportContext(actor=Actor(None, via="cli"), region=baotou)
    assert (cli.departments, cli.classified_lines) == (scope.import_departments(None), scope.classified_lines(None))


@pytest.mark.parametrize(("role", "region", "expected"), [
    ("office", "150000", {"in_scope", "elsewhere"}),
    ("office", "150200", {"in_scope"}),
    ("region", "150200", {"in_scope"}),
    ("region", "150400", set()),  # Baotou's government acting for Chifeng changes nothing there
    ("department", "150000", {"in_scope", "elsewhere"}),
    ("department_gat", "150000", {"classified"}),
    ("unit", "150202", set()),
    (None, "150000", {"in_scope", "elsewhere"}),  # the office from the command line: never a classified one
])
def test_what_an_import_may_change(users, projects, role, region, expected):
    user = users[role] if role else None
    acting = Region.objects.get(code=region)
    changeable = set(Project.objects.filter(scope.changeable_in(user, acting)).values_list("pk", flat=True))
    assert changeable == {projects[name].pk for name in expected}
    assert ImportContext(actor=Actor(user), region=acting).changeable_q() == scope.changeable_in(user, acting)


@pytest.mark.parametrize(("region", "acting", "within"), [
    ("150202", "150000", True), ("150202", "150200", True), ("150202", "150202", True),
    ("150200", "150202", False), ("150402", "150200", False), ("150200", "150200", True),
])
def test_region_within(reference, region, acting, within):
    assert scope.region_within(Region.objects.get(code=region), Region.objects.get(code=acting)) is within


def test_intake_derives_no_roles_itself():
    """Role assignments are read in accounts.scope only: the importer asks it named questions."""
    for path in Path(intake.__file__).parent.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for word in ("Role", "assignments(", "project_filter(", "submit_departments(", "region_q("):
            assert word not in text, (path.name, word)
