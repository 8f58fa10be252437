"""Personal information encrypted at rest (core/crypto.py): SM4-GCM by default, AES-256-GCM by a switch, the key
outside the database; the table, the change log and a plan's revisions hold no phone or name in clear."""

import json

import pytest
from django.db import connection
from django.test import Client

from halfbuilt.core import crypto
from halfbuilt.ledger.models import Project

PHONE, PERSON = "13812345678", "欧阳娜娜"


@pytest.fixture(autouse=True)
def _fresh_key(settings, tmp_path):
    settings.FIELD_KEY, settings.FIELD_KEY_FILE = "", str(tmp_path / "keys" / "field_key")
    crypto._key_material.cache_clear()
    yield
    crypto._key_material.cache_clear()


def raw(sql: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_a_value_is_sm4_by_default_opens_again_and_differs_each_time():
    first, second = crypto.encrypt(PHONE), crypto.encrypt(PHONE)
    assert first.startswith("sm4:") and first != second and PHONE not in first
    assert crypto.decrypt(first) == crypto.decrypt(second) == PHONE


def test_the_key_is_made_once_in_its_file_outside_the_database(settings, tmp_path):
    sealed = crypto.encrypt(PHONE)
    key_file = tmp_path / "keys" / "field_key"
    assert len(bytes.fromhex(key_file.read_text())) == 32 and oct(key_file.stat().st_mode)[-3:] == "600"
    crypto._key_material.cache_clear()
    assert crypto.decrypt(sealed) == PHONE  # read back from the file


def test_another_key_does_not_open_it(settings):
    sealed = crypto.encrypt(PHONE)
    settings.FIELD_KEY = "ab" * 32
    crypto._key_material.cache_clear()
    with pytest.raises(crypto.Undecryptable):
        crypto.decrypt(sealed)


def test_the_aes_switch_writes_aes_and_still_reads_sm4(settings):
    old = crypto.encrypt(PHONE)
    settings.FIELD_CIPHER = "aes"
    new = crypto.encrypt(PHONE)
    assert new.startswith("aes:") and crypto.decrypt(new) == crypto.decrypt(old) == PHONE


def test_a_value_from_before_encryption_reads_as_itself():
    assert crypto.decrypt(PHONE) == PHONE and crypto.decrypt("") == ""


def test_the_project_table_and_its_change_log_hold_no_contact_in_clear(users, orgs):
    client = Client()
    client.force_login(users["county"])
    response = client.post("/ledger/new/", {"name": "东河区第二幼儿园", "region": "150202", "category": "A03",
                                            "kind": "stalled", "phone": PHONE, "responsible_person": PERSON})
    assert response.status_code == 302
    project = Project.objects.get(name="东河区第二幼儿园")
    assert (project.phone, project.responsible_person) == (PHONE, PERSON)  # the ORM opens them
    table = Project._meta.db_table
    stored_phone, stored_person = raw(f"SELECT phone, responsible_person FROM {table} WHERE id = %s",
                                      [project.pk])[0]
    assert stored_phone.startswith("sm4:") and PHONE not in stored_phone and PERSON not in stored_person
    (after,) = raw("SELECT after FROM audit_changelog WHERE project_id = %s AND action = 'create'", [project.pk])[0]
    text = after if isinstance(after, str) else json.dumps(after, ensure_ascii=False)
    assert PHONE not in text and PERSON not in text
    page = client.get(f"/ledger/{project.pk}/").content.decode()
    assert "138****5678" in page  # the history shows it masked, opened from the log


def test_an_import_stores_the_contact_encrypted(users, tmp_path):
    from halfbuilt.core.request_context import Actor
    from halfbuilt.ledger.intake.plan import ImportContext
    from halfbuilt.ledger.intake.reader import read_workbook
    from halfbuilt.ledger.intake.stream import import_sheets
    from halfbuilt.regions.models import Region
    from tests import messy_files

    path = messy_files.write_csv(tmp_path / "in.csv", rows=[
        ["项目名称", "所在地区", "项目类别", "类型", "责任人", "联系电话"],
        ["东河区第三幼儿园", "东河区", "教育", "停建", PERSON, PHONE]])
    ctx = ImportContext.for_user(Actor(users["county"]), Region.objects.get(code="150202"))
    plan = import_sheets(read_workbook(path), ctx, batch="enc")
    assert plan.errors == []
    project = Project.objects.get(name="东河区第三幼儿园")
    assert project.phone == PHONE
    stored = raw(f"SELECT phone FROM {Project._meta.db_table} WHERE id = %s", [project.pk])[0][0]
    assert stored.startswith("sm4:")
    logged = raw("SELECT after FROM audit_changelog WHERE project_id = %s", [project.pk])
    assert all(PHONE not in (a if isinstance(a, str) else json.dumps(a)) for (a,) in logged)
