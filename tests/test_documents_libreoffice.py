"""The Word and Excel documents open in LibreOffice: each is converted to PDF by `soffice --headless`.

Skipped with a message where LibreOffice is not installed; CI installs it and sets HALFBUILT_REQUIRE_ALL=1,
which turns the skip into a failure.
"""

import os
import shutil
import subprocess

import pytest
from django.test import Client

from halfbuilt.disposal.documents import build_plan_docx

from .test_progress_rollup import P, submitted, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.once  # DB-agnostic: the SQLite run has it (scripts/test)


@pytest.fixture
def soffice():
    path = shutil.which("soffice")
    if path is None:
        if os.environ.get("HALFBUILT_REQUIRE_ALL") == "1":
            pytest.fail("LibreOffice (soffice) not found and HALFBUILT_REQUIRE_ALL=1")
        pytest.skip("LibreOffice (soffice) not installed: document conversion tests skipped")
    return path


def converts_to_pdf(soffice, tmp_path, name: str, content: bytes) -> bool:
    source = tmp_path / name
    source.write_bytes(content)
    profile = tmp_path / "lo-profile"  # a private profile: parallel runs and root's profile stay untouched
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, timeout=180, capture_output=True,
    )
    pdf = source.with_suffix(".pdf")
    return pdf.exists() and pdf.read_bytes()[:4] == b"%PDF" and pdf.stat().st_size > 1000


def test_plan_docx_opens_in_libreoffice(soffice, tmp_path, disposal_projects, disposal_make_plan):
    plan = disposal_make_plan(disposal_projects["in_scope"], method="resume")
    assert converts_to_pdf(soffice, tmp_path, "plan.docx", build_plan_docx(plan))


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_rollup_documents_open_in_libreoffice(soffice, tmp_path, submitted, users, fmt):  # noqa: F811
    client = Client()
    client.force_login(users["office"])
    response = client.get(f"/progress/rollups/{submitted.pk}/rollup.{fmt}")
    assert response.status_code == 200
    assert converts_to_pdf(soffice, tmp_path, f"rollup.{fmt}", response.content)
