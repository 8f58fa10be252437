"""`audit.signals.projects_changed`: what is derived from a project's facts learns of every change, once a commit."""

import pytest
from django.db import transaction

from halfbuilt.audit.signals import projects_changed
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger import services
from halfbuilt.ledger.models import Project

pytestmark = pytest.mark.django_db(transaction=True)


actions_seen: list[frozenset] = []


@pytest.fixture
def received():
    calls: list[frozenset] = []
    actions_seen.clear()

    def receiver(sender, project_ids, actions, **kwargs):
        calls.append(project_ids)
        actions_seen.append(actions)

    projects_changed.connect(receiver)
    yield calls
    projects_changed.disconnect(receiver)


def _edit(user, project, phone):
    project.refresh_from_db()
    return services.project_update(actor=Actor(user=user), project=project, data={"phone": phone},
                                   version=project.version)


def test_a_service_write_is_signalled_once_after_its_commit(users, projects, received):
    project = projects["in_scope"]
    with transaction.atomic():
        _edit(users["office"], project, "0472-1234567")
        _edit(users["office"], project, "0472-7654321")
        assert received == []  # nothing before the commit
    assert received == [frozenset({project.pk})]
    assert actions_seen == [frozenset({"update"})]  # the change log's action, for a receiver to skip its own


def test_nothing_is_signalled_for_a_rolled_back_write(users, projects, received):
    with pytest.raises(RuntimeError), transaction.atomic():
        _edit(users["office"], projects["in_scope"], "0472-1234567")
        raise RuntimeError("rolled back")
    assert received == []
    # A rolled-back transaction does not keep the next one's signal from being sent.
    _edit(users["office"], projects["elsewhere"], "0472-7654321")
    assert projects["elsewhere"].pk in received[-1]


def test_a_workflow_transition_and_its_stage_move_are_signalled(users, projects, received):
    from halfbuilt.ledger.workflow import PROJECT_STATUS

    project = projects["in_scope"]
    PROJECT_STATUS.perform(actor=Actor(user=users["office"]), obj=project, action="void", comment="重复登记")
    assert received == [frozenset({project.pk})]


def test_an_import_signals_every_project_it_created_or_changed(tmp_path, users, received):
    from tests import messy_files
    from tests.test_import_writes import AGAIN, FIRST, HEADER, run

    run(messy_files.write_csv(tmp_path / "first.csv", rows=[HEADER, *FIRST]), users["region"], "stream", "first")
    first = set(Project.objects.values_list("pk", flat=True))
    assert len(first) == 2 and set().union(*received) == first
    received.clear()
    run(messy_files.write_csv(tmp_path / "again.csv", rows=[HEADER, *AGAIN]), users["region"], "stream", "again")
    created = set(Project.objects.values_list("pk", flat=True)) - first
    changed = set(Project.objects.filter(name="东河区甲小学").values_list("pk", flat=True))
    assert len(created) == 1 and set().union(*received) == created | changed


def test_a_rolled_back_savepoint_keeps_the_outer_transactions_projects(users, projects, received):
    with transaction.atomic():
        _edit(users["office"], projects["in_scope"], "0472-1111111")
        with pytest.raises(RuntimeError), transaction.atomic():
            _edit(users["office"], projects["elsewhere"], "0472-2222222")
            raise RuntimeError("savepoint rolled back")
    # The savepoint's project comes along (its ids cannot be told apart once merged): receivers recompute, and a
    # project that did not change comes out the same. What matters is that the outer one is not lost.
    assert received == [frozenset({projects["in_scope"].pk, projects["elsewhere"].pk})]
