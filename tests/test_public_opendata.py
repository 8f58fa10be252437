"""Open data (issue 9 §3): the OC4IDS package is valid by libcoveoc4ids (schema, codelists, additional checks,
conformance), holds exactly the public projects and no personal value; the CSV opens in Excel; the command writes
the same files."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from halfbuilt.public import oc4ids
from tests.public_helpers import NEVER, SECRETS, build

SCHEMA = Path(__file__).parent / "data" / "oc4ids-0.9.5"


@pytest.fixture
def pw(users, orgs):
    return build(users, orgs)


@pytest.fixture(scope="module")
def schema_host():
    """The standard's schema and codelists served on 127.0.0.1 (libcoveoc4ids fetches them over HTTP)."""
    handler = functools.partial(_Quiet, directory=str(SCHEMA))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def validate(data: dict, base: str) -> dict:
    from libcoveoc4ids.api import oc4ids_json_output
    from libcoveoc4ids.config import LibCoveOC4IDSConfig

    config = LibCoveOC4IDSConfig({"schema_host": base, "schema_version_choices": {"0.9.5": ("0.9.5", base)},
                                  "schema_codelists": {"0.9": base + "codelists/"}})
    return oc4ids_json_output(json_data=data, lib_cove_oc4ids_config=config)


def test_the_validator_would_see_a_wrong_package(schema_host):
    """The check below can fail: a bad status and an amount without currency are reported."""
    result = validate({"uri": "https://example.org/p.json", "publishedDate": "2026-01-01T00:00:00+08:00",
                       "version": "0.9", "publisher": {"name": "x"},
                       "projects": [{"id": "oc4ids-abcdef-1", "status": "stalled",
                                     "budget": {"amount": {"amount": 1}}}]}, schema_host)
    assert result["additional_closed_codelist_values"]
    assert [c["check_id"] for c in result["additional_checks"]] == ["missing-currency"]


def test_the_package_is_valid_oc4ids(pw, schema_host):
    package = json.loads(Client().get("/open-data/oc4ids.json").content)
    result = validate(package, schema_host)
    assert result["validation_errors"] == []
    assert result["additional_closed_codelist_values"] == {}
    assert result["additional_checks"] == []
    assert not result.get("conformance_errors"), result.get("conformance_errors")
    # Our own schemes are open codelists' extensions, nothing else.
    assert set(result["additional_open_codelist_values"]) <= {"projects/locations/gazetteer/scheme",
                                                               "projects/additionalClassifications/scheme"}


def test_the_package_holds_the_public_projects_their_facts_and_nothing_personal(pw, settings):
    body = Client().get("/open-data/oc4ids.json").content.decode()
    package = json.loads(body)
    by_id = {p["id"]: p for p in package["projects"]}
    prefix = settings.OC4IDS_PREFIX
    assert set(by_id) == {f"{prefix}-{pw.public.ledger_no}", f"{prefix}-{pw.plain.ledger_no}"}
    school = by_id[f"{prefix}-{pw.public.ledger_no}"]
    assert school["budget"]["amount"] == {"amount": 10_000_000.0, "currency": "CNY"}  # 1000 万元
    assert school["status"] == "implementation"
    assert school["locations"][0]["geometry"] == {"type": "Point", "coordinates": [109.9, 40.6]}
    assert school["locations"][0]["gazetteer"] == {"scheme": "CN-GB2260", "identifiers": ["150202"]}
    assert school["period"]["startDate"] == "2019-05-01T00:00:00+08:00"
    assert [m["status"] for m in school["milestones"]] == ["met", "scheduled"]
    assert school["metrics"][0]["observations"][0]["measure"] == 45.0
    assert "publicAuthority" not in school  # its owner is a person's business
    plain = by_id[f"{prefix}-{pw.plain.ledger_no}"]
    assert plain["publicAuthority"] == {"id": "uscc-11150402MB0000000X", "name": "赤峰市红山区教育局"}
    for name, value in SECRETS.items():
        assert value not in body, name
    for kind, name in NEVER.items():
        assert name not in body, kind


def test_the_csv_opens_in_excel_with_the_same_projects(pw):
    response = Client().get("/open-data/projects.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.content.decode("utf-8")
    assert raw.startswith("\ufeff")  # Excel and WPS read UTF-8 only with its BOM
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff"))))
    assert rows[0][:3] == ["台账编号", "项目代码", "项目名称"]
    assert sorted(r[2] for r in rows[1:]) == sorted(["东河区公开示范学校", "红山区公开幼儿园"])
    for name, value in SECRETS.items():
        assert value not in raw, name


def test_a_cell_that_looks_like_a_formula_is_neutralised(pw):
    type(pw.public).objects.filter(pk=pw.public.pk).update(name="=HYPERLINK(1)")
    assert "'=HYPERLINK(1)" in oc4ids.csv_text()


def test_the_command_writes_the_same_data(pw, tmp_path, schema_host):
    out = io.StringIO()
    call_command("opendata", "export", str(tmp_path / "p.json"), stdout=out)
    assert "2" in out.getvalue()
    package = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert len(package["projects"]) == 2 and validate(package, schema_host)["validation_errors"] == []
    call_command("opendata", "export", str(tmp_path / "p.csv"), stdout=io.StringIO())
    assert "东河区公开示范学校" in (tmp_path / "p.csv").read_text(encoding="utf-8")


def test_the_command_refuses_what_it_cannot_write(tmp_path):
    with pytest.raises(SystemExit) as exit_:
        call_command("opendata", "export", str(tmp_path / "p.xlsx"), stderr=io.StringIO())
    assert exit_.value.code == 2
    with pytest.raises(SystemExit) as exit_:
        call_command("opendata", "export", str(tmp_path / "no" / "p.json"), stderr=io.StringIO())
    assert exit_.value.code == 2
