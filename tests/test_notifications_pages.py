"""The bell on every signed-in page (one query), the inbox (newest first, open, mark one or all read), and the
preferences page reachable from the inbox and the user menu."""

import re

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from halfbuilt.accounts.scope import assignments
from halfbuilt.notifications.context_processors import bell
from halfbuilt.notifications.models import Notification, Preference
from halfbuilt.notifications.services import notify


@pytest.fixture
def client_as(users):
    def make(role):
        client = Client()
        client.force_login(users[role])
        return client
    return make


def bell_count(html: str) -> str | None:
    found = re.search(r'<span class="bell-count" data-unread>(\d+)</span>', html)
    return found and found[1]


def send(user, key, title="东河区第一中学教学楼", url="/ledger/"):
    return notify(event="plan_returned", recipients=[user], title=title, url=url, key=key).notifications[0]


def test_the_bell_shows_the_unread_count_on_every_page_and_drops_as_they_are_read(client_as, users):
    unit = client_as("unit")
    assert bell_count(unit.get("/").content.decode()) is None
    first, second = send(users["unit"], "a"), send(users["unit"], "b")
    send(users["county"], "c")  # someone else's
    for page in ("/", "/ledger/", "/disposal/", "/notifications/preferences/"):
        assert bell_count(unit.get(page).content.decode()) == "2", page
    assert unit.post(f"/notifications/{first.pk}/read/").status_code == 302
    assert bell_count(unit.get("/").content.decode()) == "1"
    response = unit.get(f"/notifications/{second.pk}/")  # following it reads it
    assert response.status_code == 302 and response["Location"] == "/ledger/"
    assert bell_count(unit.get("/").content.decode()) is None


def test_the_bell_costs_one_query_and_none_when_not_shown(users):
    send(users["unit"], "a")
    request = RequestFactory().get("/")
    request.user = users["unit"]
    assignments(request.user)  # the menu has read the user's roles already (the scope caches them on the user)
    context = bell(request)
    with CaptureQueriesContext(connection) as queries:
        assert str(context["unread_notifications"]) == "1"
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        bell(request)
    assert len(queries) == 0


def test_the_inbox_lists_the_users_own_newest_first_with_what_when_and_a_link(client_as, users):
    import time_machine

    with time_machine.travel("2026-03-01 09:00 +0800"):
        old = send(users["unit"], "old", title="旧项目", url="/disposal/1/")
    with time_machine.travel("2026-03-02 09:00 +0800"):
        new = send(users["unit"], "new", title="新项目", url="/disposal/2/")
    send(users["county"], "theirs", title="别人的项目")
    html = client_as("unit").get("/notifications/").content.decode()
    assert html.index("新项目") < html.index("旧项目") and "别人的项目" not in html
    assert "“新项目”的处置方案被退回修改，请按审核意见修改后重新提交。" in html
    assert f'href="/notifications/{new.pk}/"' in html and f'href="/notifications/{old.pk}/"' in html
    assert "2026-03-02 09:00" in html and "方案被退回" in html
    assert "2 条未读" in html


def test_mark_all_read_reads_only_the_users_own(client_as, users):
    send(users["unit"], "a"), send(users["unit"], "b"), send(users["county"], "c")
    response = client_as("unit").post("/notifications/read-all/", follow=True)
    assert "已将 2 条通知标为已读" in response.content.decode()
    assert not Notification.objects.filter(recipient=users["unit"], read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=users["county"], read_at__isnull=True).count() == 1
    html = client_as("unit").get("/notifications/?unread=1").content.decode()
    assert "没有未读的通知。" in html


def test_another_users_notification_does_not_exist_for_you(client_as, users):
    theirs = send(users["county"], "c")
    unit = client_as("unit")
    assert unit.get(f"/notifications/{theirs.pk}/").status_code == 404
    assert unit.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert unit.get("/notifications/999999/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_notification_about_a_project_the_user_no_longer_sees_leaves_the_inbox_and_the_bell(client_as, users,
                                                                                            projects):
    from halfbuilt.ledger.models import Project

    project = projects["in_scope"]
    note = notify(event="project_red", recipients=[users["unit"]], title=project.name, url=f"/ledger/{project.pk}/",
                  key="red", project=project).notifications[0]
    unit = client_as("unit")
    assert bell_count(unit.get("/").content.decode()) == "1"
    Project.objects.filter(pk=project.pk).update(classified=True, department_id="GAT")
    html = unit.get("/notifications/").content.decode()
    assert bell_count(html) is None and project.name not in html
    assert unit.get(f"/notifications/{note.pk}/").status_code == 404


def test_the_preferences_page_is_linked_from_the_inbox_and_the_user_menu_and_saves_per_channel(client_as, users,
                                                                                              settings):
    settings.EMAIL_HOST, settings.SMS_WEBHOOK_URL = "127.0.0.1", "http://127.0.0.1:9/sms"
    users["unit"].email = "unit@example.cn"
    users["unit"].save()
    unit = client_as("unit")
    assert 'href="/notifications/preferences/"' in unit.get("/notifications/").content.decode()
    home = unit.get("/").content.decode()
    assert re.search(r'<a class="user-link" href="/notifications/preferences/">通知设置</a>', home)
    page = unit.get("/notifications/preferences/").content.decode()
    assert "发送到 unit@example.cn" in page and "您的账户未登记" in page  # e-mail known, no phone
    assert 'name="report_late:sms" id="report_late:sms" checked' in page  # the table's default
    response = unit.post("/notifications/preferences/", {"report_late:email": "on", "circular_published:sms": "on"})
    assert response.status_code == 302 and response["Location"] == "/notifications/preferences/"
    prefs = {p.event: (p.email, p.sms) for p in Preference.objects.filter(user=users["unit"])}
    assert prefs["report_late"] == (True, False) and prefs["circular_published"] == (False, True)
    assert prefs["plan_returned"] == (False, False)  # unticked is off
    page = unit.get("/notifications/preferences/").content.decode()
    assert re.search(r'name="report_late:email" id="report_late:email" checked', page)
    assert re.search(r'name="report_late:sms" id="report_late:sms"\s+aria-label', page)  # now unticked


def test_an_unconfigured_channel_is_shown_as_such_and_kept(client_as, users, settings):
    settings.EMAIL_HOST, settings.SMS_WEBHOOK_URL = "127.0.0.1", ""
    unit = client_as("unit")
    page = unit.get("/notifications/preferences/").content.decode()
    assert "短信：本系统尚未开通" in page
    unit.post("/notifications/preferences/", {})
    assert Preference.objects.get(user=users["unit"], event="report_late").sms is True  # kept, not switched off


def test_the_bells_stylesheet_is_served_locally(client):
    response = client.get("/static/notifications/notifications.css")
    assert response.status_code == 200 and b".bell-count" in b"".join(response.streaming_content)


def test_a_notification_without_a_link_opens_the_inbox(client_as, users):
    note = send(users["unit"], "a", url="")
    response = client_as("unit").get(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == "/notifications/"
