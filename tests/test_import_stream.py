"""The one-pass import (`intake/stream.py`): on PostgreSQL a thread validates while rows already checked are
written chunk by chunk. It must behave exactly like a plan followed by its apply (which is what it does on
SQLite): all or nothing, every error, the same matches, the same change log. Chunks are made tiny here so
every file spans several of them."""

import threading

import pytest
from django.db import connection
from python_calamine import CalamineWorkbook

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.errors import NotAllowed
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.bulk import ProjectImport
from halfbuilt.ledger.dictionary import snapshot
from halfbuilt.ledger.intake import plan as plan_module
from halfbuilt.ledger.intake import stream
from halfbuilt.ledger.intake.plan import ImportContext, build_plan
from halfbuilt.ledger.intake.reader import read_workbook
from halfbuilt.ledger.models import Project
from halfbuilt.regions.models import Region
from tests import messy_files

HEADER = ["项目名称", "项目代码", "所在地区", "项目类别", "类型", "总投资（万元）", "已完成投资（万元）"]


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    """Chunks of 2 rows, then 4: a dozen rows make several chunks, so several COPYs on PostgreSQL."""
    monkeypatch.setattr(plan_module, "FIRST_CHUNK_ROWS", 2)
    monkeypatch.setattr(plan_module, "CHUNK_ROWS", 4)


def context(user, region="150200"):
    return ImportContext.for_user(Actor(user, ip="10.0.0.9", via="import"), Region.objects.get(code=region))


def ledger(tmp_path, rows, name="ledger.csv"):
    return messy_files.write_csv(tmp_path / name, rows=[HEADER, *rows])


def schools(count, start=0):
    return [[f"东河区第{i}小学", "", "东河区", "教育", "停建", str(100 + i), "50"] for i in range(start, start + count)]


def import_file(path, user, batch="stream"):
    return stream.import_sheets(read_workbook(path), context(user), batch=batch)


def test_a_file_of_many_chunks_is_written_whole_with_its_change_log(tmp_path, users):
    plan = import_file(ledger(tmp_path, schools(11)), users["region"])
    assert plan.errors == [] and len(plan.creates) == 11
    assert Project.objects.count() == 11
    numbers = sorted(Project.objects.values_list("ledger_no", flat=True))
    assert numbers == [f"150202-{n:05d}" for n in range(1, 12)]
    entries = ChangeLog.objects.filter(action="import_create", batch="stream")
    assert entries.count() == 11 and {e.username for e in entries} == {users["region"].username}


def test_the_change_log_holds_what_was_stored(tmp_path, users):
    """On PostgreSQL the snapshot is built by the database from the stored row; elsewhere in Python. Both
    must equal the data dictionary's snapshot of the project as stored."""
    rows = schools(3) + [["东河区图书馆", "2019-150202-47-01-000009", "东河区", "教育", "已竣工未投用", "12.5", ""]]
    import_file(ledger(tmp_path, rows), users["region"])
    for project in Project.objects.all():
        entry = ChangeLog.objects.get(action="import_create", project_id=project.pk)
        assert entry.after == snapshot(project), project.name
        assert entry.object_id == str(project.pk) and entry.object_repr == project.name
    assert ChangeLog.objects.get(object_repr="东河区图书馆").after["total_investment"] == "12.5000"


def test_an_error_in_a_late_chunk_leaves_nothing_written(tmp_path, users):
    rows = schools(9) + [["东河区坏数据", "", "东河区", "教育", "停建", "一百", ""]] + schools(3, start=20)
    plan = import_file(ledger(tmp_path, rows), users["region"])
    assert [(e.row, e.column) for e in plan.errors] == [(11, "总投资（万元）")]
    assert plan.rows == 13
    assert not Project.objects.exists() and not ChangeLog.objects.filter(batch="stream").exists()


@pytest.mark.parametrize("sheets", ["ERROR_SHEETS", "LAYOUT_ERROR_SHEETS"])
def test_every_error_of_the_file_is_reported_as_the_preview_reports_it(tmp_path, users, sheets):
    path = messy_files.write_xlsx(tmp_path / "errors.xlsx", getattr(messy_files, sheets))
    streamed = import_file(path, users["region"])
    previewed = build_plan(read_workbook(path), context(users["region"]))
    assert streamed.summary(stored=True) == previewed.summary(stored=True) and streamed.errors
    assert not Project.objects.exists()


# layout_*: merged cells over data rows, section rows, a unit line, numeric dates, subtotals named after a county
@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv_utf8", "layout_xlsx", "layout_xls", "layout_csv"])
def test_the_same_result_as_plan_then_apply(tmp_path, users, kind):
    path = messy_files.write_all(tmp_path / "files")[kind]
    expected = build_plan(read_workbook(path), context(users["region"])).summary(stored=True)
    assert import_file(path, users["region"]).summary(stored=True) == expected  # warnings too
    assert Project.objects.count() == expected["created"] > 0
    if kind.startswith("layout"):
        stored = {p.name: (p.kind, p.region_id, p.total_investment, p.stop_date, p.completion_date)
                  for p in Project.objects.all()}
        assert stored == {name: (e["kind"], e["region_id"], e["total_investment"], e.get("stop_date", ""),
                                 e.get("completion_date", ""))
                          for name, e in messy_files.LAYOUT_EXPECTED.items()}
        assert expected["warnings"] and expected["created"] == 4


def test_duplicates_across_chunks_are_found(tmp_path, users):
    rows = [["东河区甲小学", "2018-150202-47-01-000001", "东河区", "教育", "停建", "10", ""], *schools(6),
            ["东河区乙小学", "2018-150202-47-01-000001", "东河区", "教育", "停建", "10", ""]]
    plan = import_file(ledger(tmp_path, rows), users["region"])
    assert [(e.row, e.column) for e in plan.errors] == [(9, "项目代码")] and "第2行" in plan.errors[0].message
    assert not Project.objects.exists()


def test_a_row_never_matches_a_project_created_earlier_in_the_same_file(tmp_path, users):
    """A coded row creates 东河区甲小学; an uncoded row of the same name in a later chunk is a second project,
    as the preview says, not an update of the first (rows already written must not be matched)."""
    rows = [["东河区甲小学", "2018-150202-47-01-000001", "东河区", "教育", "停建", "10", ""], *schools(6),
            ["东河区甲小学", "", "东河区", "教育", "停建", "20", ""]]
    path = ledger(tmp_path, rows)
    preview = build_plan(read_workbook(path), context(users["region"]))
    plan = import_file(path, users["region"])
    assert plan.summary() == preview.summary() and len(plan.creates) == 8 and not plan.updates
    assert Project.objects.filter(name="东河区甲小学").count() == 2


def test_a_re_import_updates_across_chunks_and_logs_each_change(tmp_path, users):
    import_file(ledger(tmp_path, schools(7)), users["region"], batch="first")
    changed = schools(7)
    changed[5][5] = "999"
    plan = import_file(ledger(tmp_path, changed, "again.csv"), users["region"], batch="second")
    assert (len(plan.creates), len(plan.updates), plan.unchanged) == (0, 1, 6)
    assert str(Project.objects.get(name="东河区第5小学").total_investment) == "999.0000"
    entry = ChangeLog.objects.get(batch="second")
    assert entry.action == "import_update" and entry.after == {"total_investment": "999.0000"}


def test_a_refused_write_stops_the_validating_thread_and_writes_nothing(tmp_path, users, monkeypatch):
    calls = []

    def refuse(self, rows):
        calls.append(len(rows))
        if sum(calls) > 2:  # the second chunk on PostgreSQL; the one and only write on SQLite
            raise NotAllowed("导入的项目超出了您的填报范围")
        return original(self, rows)

    original = ProjectImport.create
    monkeypatch.setattr(ProjectImport, "create", refuse)
    with pytest.raises(NotAllowed):
        import_file(ledger(tmp_path, schools(11)), users["region"])
    assert calls == ([2, 4] if connection.vendor == "postgresql" else [11])
    assert not Project.objects.exists()


def test_progress_is_reported_up_to_the_whole_file(tmp_path, users):
    seen = []
    stream.import_sheets(read_workbook(ledger(tmp_path, schools(11))), context(users["region"]), batch="p",
                         progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 3


def test_an_error_in_the_validating_thread_reaches_the_caller(tmp_path, users, monkeypatch):
    def broken(*args, **kwargs):
        yield [], 0.5
        raise RuntimeError("validation broke")

    monkeypatch.setattr(stream, "validated_chunks", broken)
    monkeypatch.setattr(plan_module, "validated_chunks", broken)  # what build_plan uses (SQLite)
    with pytest.raises(RuntimeError, match="validation broke"):
        import_file(ledger(tmp_path, schools(3)), users["region"])
    assert not Project.objects.exists()


@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_rows_are_read_as_calamine_gives_them_from_cell_a1(tmp_path, kind):
    """Rows are converted lazily; they must equal to_python(skip_empty_area=False) — blank leading rows and
    columns included — so row numbers in messages are the spreadsheet's."""
    sheets = [("带空行空列", [[], [], [None, None, "标题行", None], [None, None, "项目名称", "所在地区"],
                          [None, None, "东河区甲小学", "东河区"]], [(2, 2, 2, 3)])]
    write = messy_files.write_xlsx if kind == "xlsx" else messy_files.write_xls
    path = write(tmp_path / f"blank-start.{kind}", sheets)
    workbook = CalamineWorkbook.from_path(str(path))
    for sheet in read_workbook(path):
        expected = workbook.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
        assert len(sheet.rows) == len(expected)
        assert sheet.rows[:2] == expected[:2] and sheet.rows[-1] == expected[-1]
        assert list(sheet.rows) == expected
    with pytest.raises(IndexError):
        read_workbook(path)[0].rows[10_000]


@pytest.mark.django_db(transaction=True)
def test_with_no_transaction_around_it_the_thread_matches_on_its_own_connection(tmp_path, users, monkeypatch):
    """As the CLI and the worker run it. On PostgreSQL the lookups then go to the validating thread, on a
    connection of its own (they see committed rows only, as a preview would); the outcome is the same."""
    threads = set()
    original = plan_module.Matcher.match

    def spy(self, rows):
        threads.add(threading.current_thread().name)
        return original(self, rows)

    monkeypatch.setattr(plan_module.Matcher, "match", spy)
    progress = []
    stream.import_sheets(read_workbook(ledger(tmp_path, schools(7))), context(users["region"]), batch="first",
                         progress=lambda share: progress.append((threading.current_thread().name, share)))
    aside = "import-validate" if connection.vendor == "postgresql" else "MainThread"
    assert threads == {aside}
    assert {name for name, _ in progress} == {aside} and progress[-1][1] == 1.0

    changed = schools(8)
    changed[5][5] = "999"
    plan = import_file(ledger(tmp_path, changed, "again.csv"), users["region"], batch="second")
    assert (len(plan.creates), len(plan.updates), plan.unchanged) == (1, 1, 6)
    assert Project.objects.count() == 8 and ChangeLog.objects.filter(batch="second").count() == 2

    broken = schools(6, start=30) + [["东河区坏数据", "", "东河区", "教育", "停建", "", "很多"]]
    plan = import_file(ledger(tmp_path, broken, "broken.csv"), users["region"], batch="third")
    assert [(e.row, e.column) for e in plan.errors] == [(8, "已完成投资（万元）")]
    assert Project.objects.count() == 8 and not ChangeLog.objects.filter(batch="third").exists()
