"""Each competent department's criteria (本行业"半拉子"工程标准): text and attachments, each save a new version,
older versions readable; shown where the department's candidates are confirmed (the project page's panel)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from halfbuilt.audit.models import ChangeLog
from halfbuilt.campaign import selectors, services
from halfbuilt.campaign.models import CriteriaVersion
from halfbuilt.core.errors import NotAllowed
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project
from halfbuilt.regions.models import Department

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FIRST = "停建满一年且无续建资金来源的校舍工程。"
SECOND = "停建满六个月且无续建资金来源的校舍工程；已竣工一年以上仍未投入使用的校舍。"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _record(user, text, **kwargs):
    return services.record_criteria(actor=Actor(user), department=Department.objects.get(code="JYT"), text=text,
                                    **kwargs)


def test_each_save_is_a_new_version_and_older_ones_stay_readable(users):
    first = _record(users["department"], FIRST, uploads=[SimpleUploadedFile("标准.pdf", PDF, "application/pdf")])
    second = _record(users["department"], SECOND, note="缩短停建期限")
    assert (first.number, second.number) == (1, 2)
    assert selectors.criteria_in_force("JYT") == second
    assert CriteriaVersion.objects.get(pk=first.pk).text == FIRST
    assert ChangeLog.objects.filter(action="criteria_record").count() == 2
    client = _client(users["region"])
    current = client.get("/campaign/criteria/JYT/").content.decode()
    assert SECOND in current and "缩短停建期限" in current
    older = client.get("/campaign/criteria/JYT/?version=1").content.decode()
    assert FIRST in older.split('id="criteria-shown"')[1].split("</section>")[0]
    document = first.documents.get()
    assert client.get(f"/campaign/documents/{document.pk}/").status_code == 200


@pytest.mark.parametrize("role", ["department_baotou", "department_gat", "office", "region"])
def test_only_the_lines_own_department_records_them(users, role):
    with pytest.raises(NotAllowed):
        _record(users[role], FIRST)
    assert not CriteriaVersion.objects.exists()


def test_recording_through_the_page(users):
    client = _client(users["department"])
    assert "保存为新版本" in client.get("/campaign/criteria/JYT/").content.decode()
    response = client.post("/campaign/criteria/JYT/", {"text": FIRST, "note": ""})
    assert response.status_code == 302 and selectors.criteria_in_force("JYT").text == FIRST
    other = _client(users["department_gat"])
    assert "保存为新版本" not in other.get("/campaign/criteria/JYT/").content.decode()
    assert other.post("/campaign/criteria/JYT/", {"text": SECOND}).status_code == 302
    assert CriteriaVersion.objects.count() == 1
    empty = client.post("/campaign/criteria/JYT/", {"text": ""})
    assert empty.status_code == 200 and 'class="errorlist' in empty.content.decode()
    assert CriteriaVersion.objects.count() == 1


def test_shown_where_the_departments_candidates_are_confirmed(users, projects):
    _record(users["department"], FIRST)
    _record(users["department"], SECOND)
    candidate = projects["in_scope"]  # a JYT candidate (待核实) in Donghe
    for role in ("department", "department_baotou", "office"):  # who may confirm it
        page = _client(users[role]).get(f"/ledger/{candidate.pk}/").content.decode()
        panel = page.split('id="criteria"')[1].split("</section>")[0]
        assert SECOND in panel and FIRST not in panel and "第 2 版" in panel
    for role in ("region", "unit"):  # who only sees it
        assert 'id="criteria"' not in _client(users[role]).get(f"/ledger/{candidate.pk}/").content.decode()
    Project.objects.filter(pk=candidate.pk).update(status="in_ledger")
    assert 'id="criteria"' not in _client(users["department"]).get(f"/ledger/{candidate.pk}/").content.decode()


def test_shown_above_the_candidates_to_who_confirms_them(users, projects):
    _record(users["department"], FIRST)
    _record(users["department"], SECOND)
    for role in ("department", "department_baotou"):  # the education line, both levels
        listed = _client(users[role]).get("/ledger/?status=candidate").content.decode()
        note = listed.split('id="criteria-note"')[1].split("</section>")[0]
        assert SECOND in note and "第 2 版" in note
    office = _client(users["office"]).get("/ledger/?status=candidate").content.decode()
    assert "/campaign/criteria/" in office.split('id="criteria-note"')[1].split("</section>")[0]
    assert 'id="criteria-note"' not in _client(users["department"]).get("/ledger/").content.decode()
    assert 'id="criteria-note"' not in _client(users["region"]).get("/ledger/?status=candidate").content.decode()
    gat = _client(users["department_gat"]).get("/ledger/?status=candidate").content.decode()
    assert "本行业尚未记录" in gat.split('id="criteria-note"')[1].split("</section>")[0]
