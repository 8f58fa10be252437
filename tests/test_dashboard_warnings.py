"""The dashboard's 预警与督办: the lights by colour, overdue and 挂牌 督办, who has not filed its 实施方案. Each figure
is the viewer's scope, and its link opens the list of exactly what it counts (the list says how many)."""

import datetime as dt
import html
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from halfbuilt.campaign.loader import load_campaign
from halfbuilt.ledger.models import Project
from halfbuilt.supervision.dashboard import cube, figures
from halfbuilt.supervision.lights.models import Colour, Light
from tests.orders_helpers import issue, reply, review

BEFORE_NATIONAL_DAY = dt.datetime(2026, 9, 29, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
WARNING = re.compile(r'<a href="([^"]+)" data-figure="(\w+)" data-warning="(\d+)">')


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def warnings_of(client) -> dict[str, tuple[str, int]]:
    body = client.get("/dashboard/").content.decode()
    return {key: (html.unescape(url), int(n)) for url, key, n in WARNING.findall(body)}


def listed_count(client, url: str) -> int:
    page = client.get(url)
    assert page.status_code == 200, url
    return int(re.search(r'id="order-count">共 <strong data-count="(\d+)">', page.content.decode()).group(1))


@pytest.fixture
def orders(users, projects, orgs):
    """Overdue: a 挂牌 one on the Donghe school and a plain one on Chifeng's kindergarten (issued before National
    Day, due 10-12); in time: a 挂牌 one on Chifeng; closed: a 挂牌 one taken down; 公安厅's on its classified one."""
    with time_machine.travel(BEFORE_NATIONAL_DAY, tick=False):
        late_listed = issue(users, project=projects["in_scope"], listed=True, reason="逾期挂牌")
        late = issue(users, project=projects["elsewhere"], addressee=orgs["chifeng"], reason="逾期一般")
        secret = issue(users, role="department_gat", project=projects["classified"], addressee=orgs["department_gat"],
                       listed=True)
    listed = issue(users, project=projects["elsewhere"], addressee=orgs["chifeng"], listed=True, reason="期限内挂牌")
    taken_down = issue(users, project=projects["in_scope"], listed=True, reason="已摘牌")
    reply(users, taken_down)
    review(users, taken_down, "accept")
    return {"late_listed": late_listed, "late": late, "secret": secret, "listed": listed, "taken_down": taken_down}


@pytest.mark.parametrize(("role", "overdue", "listed"), [
    ("office", 2, 2),  # every order but 公安厅's classified one
    ("region", 1, 1),  # Baotou: the Donghe school's
    ("department_gat", 1, 1),  # its classified project's, which nobody else counts
])
def test_each_order_figure_links_to_the_overview_listing_exactly_as_many(users, orders, role, overdue, listed):
    client = signed_in(users[role])
    found = warnings_of(client)
    assert found["orders_overdue_all"][1] == overdue
    assert found["orders_listed_open"][1] == listed
    for key in ("orders_overdue_all", "orders_listed_open"):
        url, n = found[key]
        assert listed_count(client, url) == n, (role, key)


def test_the_listed_orders_are_on_the_dashboard_nearest_deadline_first_taken_down_ones_not(users, orders):
    body = signed_in(users["office"]).get("/dashboard/").content.decode()
    shown = [int(pk) for pk in re.findall(r'data-order="(\d+)"', body)]
    assert shown == [orders["late_listed"].pk, orders["listed"].pk]
    assert "已逾期" in body.split('data-table="listed"')[1].split("</table>")[0]
    secret = signed_in(users["department_gat"]).get("/dashboard/").content.decode()
    assert re.findall(r'data-order="(\d+)"', secret) == [str(orders["secret"].pk)]


def test_the_overview_is_for_project_roles_and_filters_open_orders(users, orders):
    office = signed_in(users["office"])
    assert listed_count(office, "/orders/all/") == 4
    assert listed_count(office, "/orders/all/?status=open") == 3
    assert listed_count(office, "/orders/all/?status=closed") == 1
    assert signed_in(users["sysadmin"]).get("/orders/all/").status_code == 403


def test_the_office_sees_who_has_not_filed_and_the_filings_page_lists_as_many(users, orgs, reference):
    load_campaign()
    from halfbuilt.campaign.models import PlanFiling

    PlanFiling.objects.filter(organization=orgs["region"]).update(status="submitted")
    office = signed_in(users["office"])
    url, n = warnings_of(office)["campaign_not_filed"]
    pending = PlanFiling.objects.filter(campaign__current=True, status="pending")
    assert n == pending.count() == 38
    assert office.get(url).content.decode().count("data-filing=") == n
    body = office.get("/dashboard/").content.decode()
    names = re.search(r"<p data-not-filed><strong>尚未报送实施方案：</strong>([^<]+)</p>", body).group(1).split("、")
    assert sorted(names) == sorted(pending.values_list("organization__name", flat=True))
    assert "包头市人民政府" not in names
    # A league files its own plan: no such figure on its dashboard (its home page has the queue).
    assert "campaign_not_filed" not in warnings_of(signed_in(users["region"]))


def test_the_lights_by_colour_link_to_the_ledger_list_of_that_colour(users, projects, make_project):
    lit = {"red": [projects["in_scope"], make_project(name="东河区体育馆")], "yellow": [projects["elsewhere"]],
           "green": [make_project(name="东河区图书馆")]}
    for colour, made in lit.items():
        for project in made:
            Project.objects.filter(pk=project.pk).update(status="in_ledger")
            Light.objects.create(project=project, colour=Colour[colour.upper()], since=timezone.now())
    Project.objects.filter(pk=projects["classified"].pk).update(status="in_ledger")
    Light.objects.create(project=projects["classified"], colour=Colour.RED, since=timezone.now())
    cube.rebuild()
    expected = {"office": {"red": 2, "yellow": 1, "green": 1}, "county": {"red": 2, "yellow": 0, "green": 1},
                "department_gat": {"red": 1, "yellow": 0, "green": 0}}
    for role, counts in expected.items():
        board = figures.dashboard(users[role])
        assert {c.key: c.n for c in board.lights} == counts, role
        client = signed_in(users[role])
        body = client.get("/dashboard/").content.decode()
        for c in board.lights:
            assert f'<a href="{html.escape(c.url)}" data-count="{c.n}" data-figure="light_{c.key}">' in body
            assert client.get(c.url).context["page"].paginator.count == c.n, (role, c.key)


# --- the campaign's timeline beside the totals -------------------------------------------------------------------

def timeline_of(client) -> tuple[list[str], list[tuple[str, str]]]:
    body = client.get("/dashboard/").content.decode()
    states = re.findall(r'data-phase-state="(\w+)"', body)
    targets = [(re.sub(r"<[^>]+>|\s+", "", text), state)
               for text, state in re.findall(r'<li data-target>(.*?)data-target-state="(\w+)"', body, re.S)]
    return states, targets


def test_the_timeline_marks_the_running_phase_and_counts_the_days_to_each_target(users, projects, reference):
    load_campaign()
    Project.objects.filter(pk=projects["in_scope"].pk).update(status="in_ledger", stage="closed")
    Project.objects.filter(pk=projects["elsewhere"].pk).update(status="in_ledger")
    cube.rebuild()
    with time_machine.travel(dt.datetime(2023, 6, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        office, county = signed_in(users["office"]), signed_in(users["county"])  # signed in that day (idle timeout)
        states, targets = timeline_of(office)
        assert states == ["done", "done", "done", "now"]  # 部署, 摸底, 方案 over; 集中处置 until 2023-12-31
        assert targets[0][1] == "past"  # 年内盘活、解决一批 by 2022-12-31: a text, no figure to judge it by
        assert "目标100%，当前50%" in targets[1][0] and targets[1][1] == "left"
        assert "剩余 213 天" in office.get("/dashboard/").content.decode()
        # Donghe's only project is closed: its target is met on its own dashboard.
        assert timeline_of(county)[1][1][1] == "met"
    with time_machine.travel(dt.datetime(2024, 1, 11, 12, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        office = signed_in(users["office"])
        states, targets = timeline_of(office)
        assert states == ["done"] * 4 and targets[1][1] == "late"
        assert "已超期 11 天" in office.get("/dashboard/").content.decode()
    with time_machine.travel(dt.datetime(2022, 7, 5, 12, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        assert timeline_of(signed_in(users["office"]))[0] == ["now", "later", "later", "later"]


def test_without_a_campaign_there_is_no_timeline(users, reference):
    assert "data-timeline" not in signed_in(users["office"]).get("/dashboard/").content.decode()
