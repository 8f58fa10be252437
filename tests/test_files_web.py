"""Attachment pages and API as a user meets them: upload from the project page, see the row, download the
original name with safe headers; refusals name the file and store nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from halfbuilt.core.request_context import Actor
from halfbuilt.files.models import Attachment
from halfbuilt.files.services import store_upload

from .test_files_validation import PDF, photo


@pytest.fixture
def client_of(users):
    def make(role):
        client = Client()
        client.force_login(users[role])
        return client
    return make


def test_upload_from_the_project_page_then_download(client_of, users, projects):
    project = projects["in_scope"]
    client = client_of("unit")
    page = client.get(f"/ledger/{project.pk}/").content.decode()
    assert 'id="attachments"' in page and "上传附件" in page and "暂无附件" in page
    response = client.post(
        f"/files/project/{project.pk}/upload/",
        {"kind": "photo", "file": SimpleUploadedFile("现场 照片.jpg", photo())},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/ledger/{project.pk}/#attachments")
    attachment = Attachment.objects.get()
    page = client.get(f"/ledger/{project.pk}/").content.decode()
    assert "现场 照片.jpg" in page and "40.657778, 109.840278" in page and "照片" in page
    assert f"/files/{attachment.pk}/" in page
    download = client.get(f"/files/{attachment.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "image/jpeg"
    assert download["X-Content-Type-Options"] == "nosniff"
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=utf-8''%E7%8E%B0%E5%9C%BA%20" in disposition
    body = b"".join(download.streaming_content)
    assert len(body) == attachment.size and b"TestCam" not in body


def test_refused_upload_shows_the_reason_and_stores_nothing(client_of, projects):
    project = projects["in_scope"]
    response = client_of("county").post(
        f"/files/project/{project.pk}/upload/",
        {"kind": "evidence", "file": SimpleUploadedFile("验收报告.pdf", b"MZ\x90\x00" + b"\0" * 100)},
    )
    assert response.status_code == 400
    assert "验收报告.pdf" in response.content.decode() and "可执行" in response.content.decode()
    assert not Attachment.objects.exists()
    # The form page itself, and a missing file.
    assert client_of("county").get(f"/files/project/{project.pk}/upload/").status_code == 200
    missing = client_of("county").post(f"/files/project/{project.pk}/upload/", {"kind": "photo"})
    assert missing.status_code == 400 and "请选择要上传的文件" in missing.content.decode()


def test_readers_see_the_panel_without_the_form(client_of, users, projects):
    project = projects["in_scope"]
    store_upload(actor=Actor(user=users["unit"]), project=project, upload=SimpleUploadedFile("a.pdf", PDF),
                 kind="evidence")
    page = client_of("department").get(f"/ledger/{project.pk}/").content.decode()
    assert "a.pdf" in page and 'id="attachments"' in page and "attach-form" not in page
    other = projects["elsewhere"]
    assert 'id="attachments"' not in client_of("department").get(f"/ledger/{other.pk}/").content.decode()


def test_queue_lists_my_uploads(client_of, users, projects):
    store_upload(actor=Actor(user=users["unit"]), project=projects["in_scope"],
                 upload=SimpleUploadedFile("mine.pdf", PDF), kind="evidence")
    store_upload(actor=Actor(user=users["county"]), project=projects["in_scope"],
                 upload=SimpleUploadedFile("theirs.pdf", PDF), kind="evidence")
    page = client_of("unit").get("/files/").content.decode()
    assert "mine.pdf" in page and "theirs.pdf" not in page and projects["in_scope"].name in page


def test_download_of_another_regions_or_classified_attachment_is_404(client_of, users, projects):
    elsewhere = store_upload(actor=Actor(user=users["office"]), project=projects["elsewhere"],
                             upload=SimpleUploadedFile("赤峰.pdf", PDF), kind="evidence")
    secret = store_upload(actor=Actor(user=users["department_gat"]), project=projects["classified"],
                          upload=SimpleUploadedFile("涉密.pdf", PDF), kind="evidence")
    for role in ("region", "county", "unit", "department_baotou"):
        assert client_of(role).get(f"/files/{elsewhere.pk}/").status_code == 404
        assert client_of(role).get(f"/files/{secret.pk}/").status_code == 404
    assert client_of("office").get(f"/files/{secret.pk}/").status_code == 404
    assert client_of("department_gat").get(f"/files/{secret.pk}/").status_code == 200
    assert client_of("office").get(f"/files/{elsewhere.pk}/").status_code == 200


def test_api_upload_list_and_detail(client_of, users, projects):
    project = projects["in_scope"]
    client = client_of("unit")
    created = client.post("/api/v1/files", {"project": project.pk, "kind": "evidence",
                                            "file": SimpleUploadedFile("竣工.pdf", PDF)})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["original_name"] == "竣工.pdf" and body["content_type"] == "application/pdf"
    assert body["download_url"].endswith(f"/api/v1/files/{body['id']}/content")
    listed = client.get(f"/api/v1/files?project={project.pk}").json()
    assert [a["id"] for a in listed["results"]] == [body["id"]] and listed["next"] is None
    assert client.get(f"/api/v1/files/{body['id']}").json()["sha256"] == body["sha256"]
    refused = client.post("/api/v1/files", {"project": project.pk, "kind": "evidence",
                                            "file": SimpleUploadedFile("病毒.pdf", b"MZ" + b"\0" * 99)})
    assert refused.status_code == 422
    assert "病毒.pdf" in refused.json()["detail"][0]["message"]
    bad_kind = client.post("/api/v1/files", {"project": project.pk, "kind": "virus",
                                             "file": SimpleUploadedFile("a.pdf", PDF)})
    assert bad_kind.status_code == 422
    assert client.get(f"/api/v1/files?project={projects['classified'].pk}").status_code == 404
    assert Attachment.objects.count() == 1


def test_api_download_url_works_with_a_bearer_token(users, projects):
    from halfbuilt.accounts.models import ApiToken

    stored = store_upload(actor=Actor(user=users["office"]), project=projects["in_scope"],
                          upload=SimpleUploadedFile("in_scope.pdf", PDF), kind="evidence")
    client = Client(headers={"Authorization": f"Bearer {ApiToken.issue(users['county'])}"})
    meta = client.get(f"/api/v1/files/{stored.pk}").json()
    assert meta["uploaded_at"].endswith("+08:00")
    response = client.get(meta["download_url"].removeprefix("http://testserver"))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
