"""`halfbuilt ledger import|export`: exit codes and the JSON shape scripts rely on."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from halfbuilt.audit.models import ChangeLog
from halfbuilt.ledger.models import Project
from tests import messy_files


def ledger(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ledger", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def files(tmp_path):
    return messy_files.write_all(tmp_path / "files")


def test_import_json_and_exit_0(files, reference):
    code, out, _ = ledger("import", str(files["xlsx"]), "--region", "150200", "--json")
    assert code == 0
    assert json.loads(out) == {"rows": 12, "created": 12, "updated": 0, "unchanged": 0, "errors": []}
    assert Project.objects.count() == 12
    log = ChangeLog.objects.filter(action="import_create").first()
    assert log.username == "cli:office" and log.via == "cli" and log.user_id is None and log.batch


def test_reimport_counts_unchanged(files, reference):
    ledger("import", str(files["xlsx"]), "--region", "150200")
    code, out, _ = ledger("import", str(files["xlsx"]), "--region", "150200", "--json")
    assert code == 0 and json.loads(out) == {"rows": 12, "created": 0, "updated": 0, "unchanged": 12, "errors": []}


def test_dry_run_writes_nothing(files, reference):
    code, out, _ = ledger("import", str(files["csv_gb18030"]), "--region", "150200", "--dry-run", "--json")
    assert code == 0 and json.loads(out)["created"] == 2
    assert Project.objects.count() == 0 and ChangeLog.objects.count() == 0


def test_file_with_errors_exits_1_and_writes_nothing(files, reference):
    code, out, _ = ledger("import", str(files["errors"]), "--region", "150200", "--json")
    assert code == 1
    result = json.loads(out)
    assert set(result) == {"rows", "created", "updated", "unchanged", "errors"}
    assert [(e["sheet"], e["row"], e["column"]) for e in result["errors"]] == [
        (s, r, c) for s, r, c, _ in messy_files.ERROR_CELLS]
    assert all(set(e) == {"sheet", "row", "column", "message"} for e in result["errors"])
    assert Project.objects.count() == 0


def test_errors_without_json_are_readable(files, reference):
    code, out, _ = ledger("import", str(files["errors"]), "--region", "150200")
    assert code == 1 and "工作表“停建项目”第4行【所在地区】" in out


def test_region_scope_applies_to_the_cli(files, reference):
    code, out, _ = ledger("import", str(files["xlsx"]), "--region", "150202", "--json")  # Donghe only
    assert code == 1 and any("不在包头市东河区的填报范围内" in e["message"] for e in json.loads(out)["errors"])


@pytest.mark.parametrize(("args", "message"), [
    (["import", "{missing}", "--region", "150200"], "文件不存在"),
    (["import", "{txt}", "--region", "150200"], "不支持的文件类型"),
    (["import", "{xlsx}", "--region", "999999"], "地区代码“999999”不存在"),
    (["export", "{out}.pdf"], "不支持导出"),
])
def test_usage_errors_exit_2_with_chinese_message(files, reference, tmp_path, args, message):
    txt = tmp_path / "a.txt"
    txt.write_text("x")
    names = {"missing": str(tmp_path / "nope.xlsx"), "txt": str(txt), "xlsx": str(files["xlsx"]),
             "out": str(tmp_path / "out")}
    code, out, err = ledger(*[a.format(**names) for a in args])
    assert code == 2 and message in err and out == ""


def test_an_unreadable_file_exits_2_as_the_readme_says_with_its_message(tmp_path, reference):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    code, out, _ = ledger("import", str(bad), "--region", "150200", "--json")
    assert code == 2 and "无法读取" in json.loads(out)["errors"][0]["message"]
    bad.write_bytes(b"garbage")  # not even a zip: its content and extension disagree
    code, out, _ = ledger("import", str(bad), "--region", "150200")
    assert code == 2 and "与扩展名 .xlsx 不符" in out


def test_export_by_extension_office_view(tmp_path, projects):
    for ext in ("json", "csv", "xlsx"):
        code, _, _ = ledger("export", str(tmp_path / f"all.{ext}"))
        assert code == 0 and (tmp_path / f"all.{ext}").stat().st_size > 0
    records = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert {r["name"] for r in records} == {"东河区第一中学教学楼", "红山区幼儿园"}  # not the classified one
    ledger("export", str(tmp_path / "baotou.json"), "--region", "150200")
    records = json.loads((tmp_path / "baotou.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in records] == ["东河区第一中学教学楼"]


def test_real_process_exit_codes(tmp_path):
    """The console script itself: argparse and our own usage errors exit 2 before touching a database."""
    env = {**os.environ, "HALFBUILT_DATA_DIR": str(tmp_path / "data")}
    cmd = [sys.executable, "-m", "halfbuilt", "ledger", "import"]
    missing_region = subprocess.run([*cmd, "x.xlsx"], capture_output=True, text=True, env=env)
    assert missing_region.returncode == 2 and "--region" in missing_region.stderr
    missing_file = subprocess.run([*cmd, str(tmp_path / "nope.xlsx"), "--region", "150200"],
                                  capture_output=True, text=True, env=env)
    assert missing_file.returncode == 2 and "文件不存在" in missing_file.stderr
