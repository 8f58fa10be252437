"""The permission matrix of the files app: every route (pages and API) × every role × in-scope / out-of-scope /
classified project, with the status code and its effect (stored or not, listed or not).

Expected, written out independently of the code: an attachment is visible exactly when its project is
(test_permission_matrix.VISIBLE); uploading takes a writing role on the project — the responsible unit or its
region's government (plan, progress report, closure request); departments and the office only read.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from halfbuilt.core.request_context import Actor
from halfbuilt.files.models import Attachment
from halfbuilt.files.services import store_upload

from .test_files_validation import PDF
from .test_permission_matrix import OBJECTS, ROLES, acts, assert_login_redirect, client_for, visible  # noqa: F401

UPLOADERS = {"region", "county", "unit"}


def may_upload(role, obj):
    return acts(role, obj, UPLOADERS, self_service=True)


@pytest.fixture
def attachments(users, projects):
    owner = {"in_scope": "office", "elsewhere": "office", "classified": "department_gat"}
    return {
        obj: store_upload(actor=Actor(user=users[owner[obj]]), project=projects[obj],
                          upload=SimpleUploadedFile(f"{obj}.pdf", PDF), kind="evidence")
        for obj in OBJECTS
    }


def new_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("矩阵.pdf", PDF)


# --- pages -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_queue_lists_only_my_visible_uploads(client_for, users, attachments, role):  # noqa: F811
    response = client_for(role).get("/files/")
    if role == "anonymous":
        return assert_login_redirect(response)
    assert response.status_code == 200
    text = response.content.decode()
    for obj in OBJECTS:
        mine = {"in_scope": "office", "elsewhere": "office", "classified": "department_gat"}[obj] == role
        assert (f"{obj}.pdf" in text) == mine, (role, obj)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_upload_page_and_post(client_for, projects, role, obj):  # noqa: F811
    project = projects[obj]
    client = client_for(role)
    url = f"/files/project/{project.pk}/upload/"
    page = client.get(url)
    posted = client.post(url, {"kind": "evidence", "file": new_file()})
    stored = Attachment.objects.filter(project=project, original_name="矩阵.pdf").exists()
    if role == "anonymous":
        assert_login_redirect(page)
        assert_login_redirect(posted)
    elif not visible(role, obj):
        assert (page.status_code, posted.status_code) == (404, 404)
    elif not may_upload(role, obj):
        assert (page.status_code, posted.status_code) == (403, 403)
    else:
        assert (page.status_code, posted.status_code) == (200, 302)
    assert stored == may_upload(role, obj), (role, obj)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_download(client_for, attachments, role, obj):  # noqa: F811
    response = client_for(role).get(f"/files/{attachments[obj].pk}/")
    if role == "anonymous":
        return assert_login_redirect(response)
    assert response.status_code == (200 if visible(role, obj) else 404), (role, obj)
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_project_page_panel_shows_visible_attachments(client_for, projects, attachments, role, obj):  # noqa: F811
    response = client_for(role).get(f"/ledger/{projects[obj].pk}/")
    if role == "anonymous" or not visible(role, obj):
        return
    text = response.content.decode()
    assert f"{obj}.pdf" in text
    assert ("attach-form" in text) == may_upload(role, obj), (role, obj)


# --- API -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_api_list_all(client_for, attachments, role):  # noqa: F811
    response = client_for(role).get("/api/v1/files?page_size=200")
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    ids = {a["id"] for a in response.json()["results"]}
    assert ids == {str(attachments[o].pk) for o in OBJECTS if visible(role, o)}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_api_list_of_a_project(client_for, projects, attachments, role, obj):  # noqa: F811
    response = client_for(role).get(f"/api/v1/files?project={projects[obj].pk}")
    if role == "anonymous":
        assert response.status_code == 401
    elif visible(role, obj):
        assert response.status_code == 200
        assert [a["id"] for a in response.json()["results"]] == [str(attachments[obj].pk)]
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_api_detail(client_for, attachments, role, obj):  # noqa: F811
    response = client_for(role).get(f"/api/v1/files/{attachments[obj].pk}")
    if role == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == (200 if visible(role, obj) else 404), (role, obj)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_api_upload(client_for, projects, role, obj):  # noqa: F811
    project = projects[obj]
    response = client_for(role).post("/api/v1/files", {"project": project.pk, "kind": "evidence", "file": new_file()})
    stored = Attachment.objects.filter(project=project, original_name="矩阵.pdf").exists()
    if role == "anonymous":
        assert response.status_code == 401
    elif not visible(role, obj):
        assert response.status_code == 404
    elif not may_upload(role, obj):
        assert response.status_code == 403
    else:
        assert response.status_code == 201, response.content
    assert stored == may_upload(role, obj), (role, obj)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", OBJECTS)
def test_api_content_download(client_for, attachments, role, obj):  # noqa: F811
    response = client_for(role).get(f"/api/v1/files/{attachments[obj].pk}/content")
    if role == "anonymous":
        assert response.status_code == 401
    elif not visible(role, obj):
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["X-Content-Type-Options"] == "nosniff"


def test_api_download_url_works_with_a_bearer_token(users, attachments):
    from django.test import Client

    from halfbuilt.accounts.models import ApiToken

    client = Client(headers={"Authorization": f"Bearer {ApiToken.issue(users['county'])}"})
    meta = client.get(f"/api/v1/files/{attachments['in_scope'].pk}").json()
    assert meta["uploaded_at"].endswith("+08:00")
    response = client.get(meta["download_url"].removeprefix("http://testserver"))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
