"""Every list of the API pages the same way: page_size and cursor in, {"results", "next"} out."""

import base64
import json

import pytest
from django.test import Client

from halfbuilt.files.models import Attachment
from halfbuilt.ledger.models import Project


def walk(client: Client, url: str) -> list[list]:
    """Follow `next` from `url`; the ids of each page."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append([row["id"] for row in body["results"]])
        url = body["next"]
    return pages


@pytest.fixture
def attachments(projects, users):
    project = projects["in_scope"]
    return [
        Attachment.objects.create(
            project=project, kind="evidence", file=f"attachments/{n}.pdf", original_name=f"{n}.pdf",
            content_type="application/pdf", size=64, sha256=f"{n:064d}", uploaded_by=users["office"],
        )
        for n in range(5)
    ]


def test_attachments_page_by_cursor_newest_first_without_repeats(office, attachments):
    pages = walk(office, "/api/v1/files?page_size=2")
    assert [len(p) for p in pages] == [2, 2, 1]
    newest_first = sorted(attachments, key=lambda a: (a.uploaded_at, a.pk), reverse=True)
    assert [i for page in pages for i in page] == [str(a.pk) for a in newest_first]


def test_projects_page_by_cursor_in_every_sort(office, projects, make_project):
    for n in range(4):
        make_project(name=f"分页项目{n}", total_investment=None if n == 2 else 100 * n, completed_investment=None)
    visible = set(Project.objects.filter(classified=False).values_list("pk", flat=True))
    for sort in ("new", "-total", "total", "name", "-updated"):
        pages = walk(office, f"/api/v1/projects?sort={sort}&page_size=2")
        ids = [i for page in pages for i in page]
        assert sorted(ids) == sorted(visible) and len(ids) == len(set(ids)), sort


@pytest.mark.parametrize("cursor", [
    "not-base64!", base64.urlsafe_b64encode(b"[1]").decode(), base64.urlsafe_b64encode(b'{"a": 1}').decode(),
    base64.urlsafe_b64encode(json.dumps(["uploaded", "not-a-uuid", "2026-01-01T00:00:00+08:00"]).encode()).decode(),
    base64.urlsafe_b64encode(json.dumps(["-total", 5, "NaN"]).encode()).decode(),
    base64.urlsafe_b64encode(json.dumps(["new", 5]).encode()).decode(),  # a projects cursor on the attachments
])
@pytest.mark.parametrize("url", ["/api/v1/files", "/api/v1/projects?sort=-total"])
def test_a_cursor_that_is_not_this_lists_answers_400_in_chinese(office, attachments, url, cursor):
    joiner = "&" if "?" in url else "?"
    response = office.get(f"{url}{joiner}cursor={cursor}")
    assert response.status_code == 400, (url, cursor, response.content)
    assert response.json() == {"detail": "翻页游标 cursor 无效，请从第一页重新开始"}
