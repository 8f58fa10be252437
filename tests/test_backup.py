"""`halfbuilt backup` / `halfbuilt restore` (issue 8 §6): the round trip gives back every export byte for byte and
every attachment, on SQLite and on PostgreSQL; a damaged archive is refused and changes nothing; the exit codes
are the README's."""

import io
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core import backup
from halfbuilt.core.request_context import Actor
from halfbuilt.files.models import Attachment
from halfbuilt.files.services import store_upload
from halfbuilt.ledger.exports import write_export
from halfbuilt.ledger.models import Project

# The archive is read through the database's own tools, outside the test's transaction: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def exports() -> dict[str, bytes]:
    found = {}
    for fmt in ("csv", "json"):
        out = io.BytesIO()
        write_export(Project.objects.order_by("pk"), out, fmt)
        found[fmt] = out.getvalue()
    found["changelog"] = repr(list(ChangeLog.objects.order_by("pk").values_list("pk", "action", "object_id"))).encode()
    return found


@pytest.fixture
def campaign(users, projects, settings):
    store_upload(actor=Actor(user=users["unit"]), project=projects["in_scope"],
                 upload=SimpleUploadedFile("竣工验收.pdf", PDF), kind="evidence")
    return projects


def test_restore_gives_back_every_export_and_attachment(campaign, users, make_project, tmp_path, settings):
    before = exports()
    attachment = Attachment.objects.get()
    archive = tmp_path / "halfbuilt.tar"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "已备份到" in out.getvalue() and archive.is_file()
    assert "附件 1 个" in out.getvalue()

    # Life goes on after the backup: a project deleted, another added, the attachment's file lost.
    Project.objects.filter(pk=campaign["elsewhere"].pk).delete()
    make_project(name="备份之后登记的项目")
    (settings.MEDIA_ROOT / attachment.file.name).unlink()
    assert exports() != before

    call_command("restore", str(archive), yes=True, stdout=io.StringIO())
    assert exports() == before
    assert (settings.MEDIA_ROOT / attachment.file.name).read_bytes() == PDF
    # The attachments there before the restore are kept beside it, never deleted.
    assert list(settings.MEDIA_ROOT.parent.glob("media.before-restore-*"))


def test_a_damaged_archive_is_refused_and_changes_nothing(campaign, tmp_path):
    archive = tmp_path / "halfbuilt.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data.replace(b"%%EOF", b"%%EOX")  # one byte of one attachment changed
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    before = exports()
    with pytest.raises(CommandError, match="校验值不符") as refused:
        call_command("backup", str(damaged), check=True)
    assert refused.value.returncode == 1
    with pytest.raises(CommandError, match="校验值不符") as refused:
        call_command("restore", str(damaged), yes=True)
    assert refused.value.returncode == 1 and exports() == before
    out = io.StringIO()
    call_command("backup", str(archive), check=True, stdout=out)
    assert "备份完好" in out.getvalue()


def test_usage_errors_exit_2_and_write_nothing(campaign, tmp_path):
    archive = tmp_path / "halfbuilt.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    cases = [
        (lambda: call_command("backup", str(archive)), "已存在"),
        (lambda: call_command("backup", str(tmp_path / "nope" / "b.tar")), "不存在"),
        (lambda: call_command("restore", str(tmp_path / "missing.tar"), yes=True), "找不到备份文件"),
        (lambda: call_command("restore", str(archive)), "--yes"),
    ]
    for run, message in cases:
        with pytest.raises(CommandError, match=message) as refused:
            run()
        assert refused.value.returncode == 2
    not_an_archive = tmp_path / "notes.tar"
    not_an_archive.write_bytes(b"not a tar file")
    with pytest.raises(CommandError, match="不是本系统的备份文件") as refused:
        call_command("restore", str(not_an_archive), yes=True)
    assert refused.value.returncode == 1


def test_the_manifest_counts_the_rows_of_the_copy_it_holds(campaign, tmp_path):
    archive = tmp_path / "halfbuilt.tar"
    backup.backup(archive)
    summary = backup.check(archive)
    assert summary.rows == sum(backup.table_counts().values()) and summary.files == 1


def test_the_evidence_of_an_order_on_an_organisation_comes_back_with_its_order(users, orgs, tmp_path, settings):
    """A file without a project (files/owners.py) is in the archive like any other, and still claimed afterwards."""
    from halfbuilt.files.services import attachments_visible_to
    from tests.orders_helpers import issue, reply

    order = issue(users, role="department_baotou", subject=orgs["county"])
    reply(users, order, role="county", uploads=[SimpleUploadedFile("整改情况报告.pdf", PDF)])
    attachment = Attachment.objects.get()
    archive = tmp_path / "halfbuilt.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    (settings.MEDIA_ROOT / attachment.file.name).unlink()

    call_command("restore", str(archive), yes=True, stdout=io.StringIO())
    restored = Attachment.objects.get()
    assert restored.project_id is None and (settings.MEDIA_ROOT / restored.file.name).read_bytes() == PDF
    assert list(order.events.get().evidence.all()) == [restored]
    assert attachments_visible_to(users["department_baotou"]).filter(pk=restored.pk).exists()
    assert not attachments_visible_to(users["region"]).filter(pk=restored.pk).exists()
