"""What an authority's account meets outside the green channel: every page of its menu opens (no 500), its home
page has its queue, and its project list holds only the projects of the items addressed to it."""

import pytest

from halfbuilt.accounts.navigation import entries_for
from tests import greenchannel_helpers as g


@pytest.fixture
def authority(users, projects, make_user):
    authorities = g.authority_users(make_user)
    g.plan_in_disposal(projects["in_scope"])
    g.file(users["unit"], projects["in_scope"], ["planning_permit"])
    return authorities


def test_every_menu_page_of_an_authority_opens(authority, client):
    from django.urls import reverse

    client.force_login(authority["zrzy"])
    labels = [str(e.label) for e in entries_for(authority["zrzy"])]
    assert "绿色通道" in labels and "调度看板" not in labels
    for entry in entries_for(authority["zrzy"]):
        assert client.get(reverse(entry.url_name)).status_code == 200, entry.url_name


def test_an_authoritys_home_shows_its_queue_and_its_ledger_only_its_projects(authority, client, projects):
    client.force_login(authority["zrzy"])
    home = client.get("/").content.decode()
    assert "绿色通道待办事项" in home
    ledger = client.get("/ledger/").content.decode()
    assert projects["in_scope"].name in ledger and projects["elsewhere"].name not in ledger
    client.force_login(authority["chifeng_zrzy"])
    assert projects["in_scope"].name not in client.get("/ledger/").content.decode()
    assert client.get(f"/ledger/{projects['in_scope'].pk}/").status_code == 404
