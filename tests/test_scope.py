"""Who sees which project: the scope selector over every role."""

import pytest

from halfbuilt.ledger.models import Project

# role → the fixture projects it must see (and no others)
EXPECTED = {
    "office": {"in_scope", "elsewhere"},
    "department": {"in_scope", "elsewhere"},
    "department_baotou": {"in_scope"},
    "department_gat": {"classified"},
    "region": {"in_scope"},
    "county": {"in_scope"},
    "unit": {"in_scope"},
    "sysadmin": set(),
    "secadmin": set(),
    "auditor": set(),
}


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_sees_exactly_its_projects(users, projects, role):
    visible = set(Project.objects.restrict(users[role]).values_list("pk", flat=True))
    expected = {projects[name].pk for name in EXPECTED[role]}
    assert visible == expected


def test_scope_is_union_of_roles(users, projects, orgs, make_user):
    from halfbuilt.accounts.models import RoleAssignment

    user = users["county"]
    RoleAssignment.objects.create(user=user, role="department", organization=orgs["department_gat"])
    user = type(user).objects.get(pk=user.pk)
    visible = set(Project.objects.restrict(user).values_list("pk", flat=True))
    assert visible == {projects["in_scope"].pk, projects["classified"].pk}


def test_scope_follows_project_not_creator(users, projects):
    """Moving a project to another league takes it out of the old league's view."""
    project = projects["in_scope"]
    assert Project.objects.restrict(users["region"]).filter(pk=project.pk).exists()
    Project.objects.filter(pk=project.pk).update(region_id="150402", prefecture_id="150400")
    assert not Project.objects.restrict(users["region"]).filter(pk=project.pk).exists()


def test_anonymous_sees_nothing(projects):
    from django.contrib.auth.models import AnonymousUser

    assert not Project.objects.restrict(AnonymousUser()).exists()
