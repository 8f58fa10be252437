"""Evidence files of a 督办 on an organisation (issue 7 §4): the reply takes files that belong to no project; the
orders app tells the files app who sees them (files/owners.py), and the files app shows an attachment without a
project to nobody else (default deny)."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.test import Client
from PIL import Image

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.files import owners
from halfbuilt.files.models import Attachment
from halfbuilt.files.services import attachments_visible_to, store_upload
from halfbuilt.supervision.orders.evidence import OWNER
from halfbuilt.supervision.orders.models import OrderEvent, SupervisionOrder
from tests.orders_helpers import issue, reply
from tests.test_files_validation import photo

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00this program cannot be run in DOS mode"


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def pdf(name="整改情况报告.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def org_order(users, orgs):
    """Baotou's education bureau supervises the Donghe district government (the world's `county`)."""
    return issue(users, role="department_baotou", subject=orgs["county"])


def media_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_addressee_replies_with_a_file_that_the_issuer_and_the_office_download(users, orgs, org_order, make_user):
    county = client(users["county"])
    form = county.get(f"/orders/{org_order.pk}/reply/")
    assert form.status_code == 200 and 'name="files"' in form.content.decode()  # the file field, as on a project's
    response = county.post(f"/orders/{org_order.pk}/reply/", {"measures": "已督促各单位复工", "files": [pdf()]})
    assert response.status_code == 302
    org_order.refresh_from_db()
    attachment = Attachment.objects.get()
    assert org_order.status == "replied" and attachment.project_id is None
    assert list(org_order.events.get().evidence.all()) == [attachment]
    for role in ("department_baotou", "office", "county"):
        page = client(users[role]).get(f"/orders/{org_order.pk}/").content.decode()
        assert f'href="/files/{attachment.pk}/"' in page and "整改情况报告.pdf" in page, role
        download = client(users[role]).get(f"/files/{attachment.pk}/")
        assert download.status_code == 200, role
        assert b"".join(download.streaming_content) == PDF
        assert download["X-Content-Type-Options"] == "nosniff"
    elsewhere = make_user("region", orgs["chifeng"])  # another region's government
    for user in (elsewhere, users["region"], users["department"], users["unit"], users["auditor"]):
        assert client(user).get(f"/files/{attachment.pk}/").status_code == 404, user.username
        assert client(user).get(f"/api/v1/files/{attachment.pk}/content").status_code == 404, user.username
    assert Client().get(f"/files/{attachment.pk}/").status_code == 302  # to the sign-in page


def test_the_change_log_names_the_files_of_the_reply(users, org_order):
    reply(users, org_order, role="county", uploads=[pdf(), pdf("现场照片.jpg", photo())])
    entry = ChangeLog.objects.get(action="order_reply")
    assert entry.after["evidence"] == "整改情况报告.pdf、现场照片.jpg" and entry.project_id is None
    attached = ChangeLog.objects.filter(action="attach").order_by("id")
    assert [e.after["original_name"] for e in attached] == ["整改情况报告.pdf", "现场照片.jpg"]
    assert {e.project_id for e in attached} == {None}


def test_a_photo_is_checked_as_every_attachment_gps_kept_exif_dropped(users, org_order):
    reply(users, org_order, role="county", uploads=[SimpleUploadedFile("现场.jpg", photo())])
    attachment = Attachment.objects.get()
    assert attachment.gps_latitude is not None and attachment.kind == "evidence"
    with attachment.file.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.format == "JPEG" and dict(image.getexif()) == {}


def test_a_bad_file_refuses_the_reply_at_its_field_and_writes_nothing(users, org_order, settings):
    county = client(users["county"])
    refused = county.post(f"/orders/{org_order.pk}/reply/", {
        "measures": "已整改", "files": [pdf("整改报告.pdf"), pdf("程序.pdf", EXE)]})
    assert refused.status_code == 200
    assert "程序.pdf" in str(refused.context["form"].errors["files"])  # at the files field, naming the file
    org_order.refresh_from_db()
    assert org_order.status == "issued" and org_order.version == 1
    assert not Attachment.objects.exists() and not OrderEvent.objects.exists()
    assert not ChangeLog.objects.filter(action__in=["attach", "order_reply"]).exists()
    assert media_files(settings) == []  # the good file stored before the bad one was deleted again


def test_a_failure_after_the_files_were_stored_deletes_them(users, org_order, settings, monkeypatch):
    from halfbuilt.supervision.orders import services

    def broken(**kwargs):
        raise RuntimeError("the change log is down")

    monkeypatch.setattr(services, "record_change", broken)
    with pytest.raises(RuntimeError):
        reply(users, org_order, role="county", uploads=[pdf()])
    assert not Attachment.objects.exists() and media_files(settings) == []


def test_more_files_than_the_limit_are_refused(users, org_order):
    from halfbuilt.supervision.orders.services import UPLOADS_MAX

    with pytest.raises(ServiceError) as refused:
        reply(users, org_order, role="county", uploads=[pdf(f"{i}.pdf") for i in range(UPLOADS_MAX + 1)])
    assert refused.value.field == "files" and not Attachment.objects.exists()


def test_existing_attachments_cannot_be_referenced_on_an_order_on_an_organisation(users, org_order, projects,
                                                                                  closure_evidence):
    other = closure_evidence(projects["in_scope"])
    with pytest.raises(ServiceError) as refused:
        reply(users, org_order, role="county", evidence_ids=[str(other.pk)])
    assert refused.value.field == "evidence" and "对组织的督办" in refused.value.message
    org_order.refresh_from_db()
    assert org_order.status == "issued" and not OrderEvent.objects.exists()
    api = client(users["county"]).post(f"/api/v1/orders/{org_order.pk}/reply",
                                       json.dumps({"measures": "已整改", "evidence": [str(other.pk)]}),
                                       content_type="application/json")
    assert api.status_code == 422 and "对组织的督办" in api.content.decode()


def test_the_files_api_and_my_uploads_show_the_evidence_with_no_project(users, org_order):
    reply(users, org_order, role="county", uploads=[pdf()])
    attachment = Attachment.objects.get()
    issuer = client(users["department_baotou"])
    record = issuer.get(f"/api/v1/files/{attachment.pk}").json()
    assert record["project"] is None and record["original_name"] == "整改情况报告.pdf"
    assert [a["id"] for a in issuer.get("/api/v1/files").json()["results"]] == [str(attachment.pk)]
    assert issuer.get(f"/api/v1/files/{attachment.pk}/content").status_code == 200
    assert client(users["region"]).get("/api/v1/files").json()["results"] == []
    queue = client(users["county"]).get("/files/")
    assert queue.status_code == 200 and "整改情况报告.pdf" in queue.content.decode()
    assert "不属于项目" in queue.content.decode()


def test_the_api_detail_of_the_order_lists_its_evidence(users, org_order):
    reply(users, org_order, role="county", uploads=[pdf()])
    attachment = Attachment.objects.get()
    detail = client(users["office"]).get(f"/api/v1/orders/{org_order.pk}").json()
    assert detail["events"][0]["evidence"] == [str(attachment.pk)]


def test_an_attachment_without_a_project_that_no_owner_claims_is_visible_to_nobody(users, org_order):
    orphan = store_upload(actor=Actor(users["county"]), project=None, upload=pdf(), kind="evidence")
    for role in ("office", "department_baotou", "county"):
        assert not attachments_visible_to(users[role]).filter(pk=orphan.pk).exists(), role
        assert client(users[role]).get(f"/files/{orphan.pk}/").status_code == 404, role


def test_without_the_orders_rule_its_evidence_is_visible_to_nobody(users, org_order, monkeypatch):
    reply(users, org_order, role="county", uploads=[pdf()])
    attachment = Attachment.objects.get()
    assert attachments_visible_to(users["office"]).filter(pk=attachment.pk).exists()
    monkeypatch.setattr(owners, "_OWNERS", {})
    assert not attachments_visible_to(users["office"]).filter(pk=attachment.pk).exists()


def test_an_owner_claims_only_attachments_without_a_project_and_an_empty_rule_claims_nothing(
        users, projects, org_order, monkeypatch, closure_evidence):
    secret = closure_evidence(projects["classified"])
    orphan = store_upload(actor=Actor(users["county"]), project=None, upload=pdf(), kind="evidence")
    monkeypatch.setattr(owners, "_OWNERS", dict(owners._OWNERS))
    owners.register("everything", lambda user: Q(pk__isnull=False))
    seen = set(attachments_visible_to(users["unit"]).values_list("pk", flat=True))
    assert secret.pk not in seen and orphan.pk in seen  # a rule never widens who sees a project's attachments
    owners.register("everything", lambda user: Q())
    assert not attachments_visible_to(users["unit"]).filter(pk=orphan.pk).exists()


def test_the_orders_app_registers_its_rule_and_the_visibility_is_one_row_per_attachment(users, org_order):
    assert OWNER in owners.names()
    reply(users, org_order, role="county", uploads=[pdf()])
    SupervisionOrder.objects.filter(pk=org_order.pk).update(status="returned")
    reply(users, org_order, role="county", measures="补充材料", evidence_ids=[], uploads=[pdf("补充.pdf")])
    first = Attachment.objects.get(original_name="整改情况报告.pdf")
    # The first file is the evidence of the first reply; link it to the second too: still one row.
    OrderEvent.objects.order_by("id").last().evidence.add(first)
    visible = list(attachments_visible_to(users["office"]).values_list("original_name", flat=True))
    assert sorted(visible) == ["整改情况报告.pdf", "补充.pdf"]


def test_project_orders_keep_their_files_on_the_project(users, projects):
    order = issue(users, project=projects["in_scope"])
    reply(users, order, uploads=[pdf()])
    attachment = Attachment.objects.get()
    assert attachment.project_id == projects["in_scope"].pk
    assert client(users["county"]).get(f"/files/{attachment.pk}/").status_code == 200  # sees the project
    assert client(users["department_gat"]).get(f"/files/{attachment.pk}/").status_code == 404


def test_an_organisations_evidence_cannot_be_published_as_a_project_photo(users, org_order):
    """The office sees the evidence, but the portal publishes project photos only: for it there is no such photo."""
    from halfbuilt.public.models import PublishedPhoto

    reply(users, org_order, role="county", uploads=[pdf("现场照片.jpg", photo())])
    attachment = Attachment.objects.get()
    office = client(users["office"])
    assert office.get(f"/files/{attachment.pk}/").status_code == 200
    assert office.post(f"/publicity/photos/{attachment.pk}/", {"published": "1"}).status_code == 404
    assert not PublishedPhoto.objects.exists()


def test_the_api_replies_to_an_order_on_an_organisation_with_its_files(users, org_order, settings):
    """An integrator's system answers with its evidence in one multipart request: the file belongs to no project,
    the order's viewers download it, a refused file refuses the reply and stores nothing."""
    county = client(users["county"])
    url = f"/api/v1/orders/{org_order.pk}/reply/files"
    refused = county.post(url, {"measures": "已整改", "files": [pdf("整改报告.pdf"), pdf("程序.pdf", EXE)]})
    assert refused.status_code == 422 and "程序.pdf" in refused.content.decode()
    org_order.refresh_from_db()
    assert org_order.status == "issued" and not Attachment.objects.exists() and media_files(settings) == []

    answered = county.post(url, {"measures": "已整改", "files": [pdf("整改报告.pdf")], "version": 1})
    assert answered.status_code == 200 and answered.json()["status"] == "replied"
    attachment = Attachment.objects.get()
    assert attachment.project_id is None and attachment.original_name == "整改报告.pdf"
    assert answered.json()["events"][0]["evidence"] == [str(attachment.pk)]
    issuer = client(users["department_baotou"])
    assert issuer.get(f"/api/v1/files/{attachment.pk}/content").status_code == 200
    assert client(users["region"]).get(f"/api/v1/files/{attachment.pk}/content").status_code == 404
