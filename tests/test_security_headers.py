"""Headers every answer carries (issue 8 §3): a strict Content-Security-Policy (no inline script) and
`Cache-Control: no-store` on pages, API answers and downloads; static files stay cacheable."""

import re
from pathlib import Path

import pytest
from django.test import Client

import halfbuilt
from halfbuilt.accounts.models import ApiToken

TEMPLATES = Path(halfbuilt.__file__).parent / "templates"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _policy(response) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in response["Content-Security-Policy"].split(";"))}


def test_pages_forbid_inline_script_and_any_other_origin(db, users):
    policy = _policy(_signed_in(users["office"]).get("/ledger/"))
    assert policy["script-src"] == ["'self'"] and policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"] and "'unsafe-eval'" not in " ".join(sum(policy.values(), []))
    assert _policy(Client().get("/accounts/login/"))["script-src"] == ["'self'"]


def test_no_template_holds_an_inline_script_or_an_event_handler():
    """json_script's data blocks are the one kind of <script> without src a page may have (they never run)."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{path.relative_to(TEMPLATES)}: {tag}")
        offenders += [f"{path.relative_to(TEMPLATES)}: {m}" for m in re.findall(r"\son[a-z]+=\"", text)]
    assert offenders == []


@pytest.mark.parametrize("path", ["/", "/ledger/", "/ledger/export/", "/dashboard/schedule.xlsx", "/accounts/login/"])
def test_pages_and_downloads_are_never_stored(db, users, path):
    response = _signed_in(users["office"]).get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_api_answers_are_never_stored(db, users):
    response = Client(headers={"authorization": f"Bearer {ApiToken.issue(users['unit'])}"}).get("/api/v1/projects")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_static_files_stay_cacheable(db):
    response = Client().get("/static/halfbuilt/site.js")
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")
