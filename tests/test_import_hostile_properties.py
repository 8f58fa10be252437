"""Generated hostile import files (issue 8 §4): zip bombs, cells claimed up to row 1,048,576 and column 16,384,
bad encodings, formulas everywhere, merged-range floods, truncated and overwritten zips, empty and binary files
(`tests/hostile_files.py`), each imported through the command line's entry (`halfbuilt ledger import`, in this
process) and analysed by the worker's (`intake.jobs.run_analysis`, what the web's upload runs):

- no traceback and no other exception: the exit code is the README's (0 imported, 1 the file has errors and
  nothing was written, 2 the file cannot be read at all), each error a Chinese message, a row's naming its
  sheet and row; the worker's job ends ready or invalid, never "internal error";
- nothing written unless the file was imported whole (projects and change log counted before and after);
- peak memory bounded: the process's resident set grows by less than MEMORY_BOUND_MB while one file is imported
  (Linux's peak RSS, reset before each file after memory freed earlier went back to the system, so the
  reader's native allocations count as well as Python's).

The row and column limits are the shipped ones; the inflated-size and cell limits are lowered (16 MB, 1 million
cells) so that a bound of 200 MB can be asserted: reading costs about 3 bytes per inflated byte and 32 bytes per
cell of the used range (docs/security.md gives the cost at the shipped limits).
"""

import contextlib
import ctypes
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from halfbuilt.audit.models import ChangeLog
from halfbuilt.ledger.intake import jobs
from halfbuilt.ledger.models import ImportJob, Project
from halfbuilt.regions.models import Region
from tests import hostile_files as hf

MEMORY_BOUND_MB = 200
EXAMPLES = 120  # some 15 s on one core
CHINESE = re.compile(r"[\u4e00-\u9fff]")
STATUS = Path("/proc/self/status")
RESET = Path("/proc/self/clear_refs")


def _peak_rss_reset() -> bool:
    """Set the peak resident set to the current one (Linux ≥ 4.0); False where the system cannot. Memory freed
    by earlier files goes back to the system first (glibc's malloc_trim), else a file could reuse it unseen."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)
    try:
        RESET.write_text("5")
        return True
    except OSError:
        return False


def _status_mb(key: str) -> int:
    for line in STATUS.read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) // 1024
    raise LookupError(key)


@pytest.fixture(autouse=True)
def limits(settings):
    settings.IMPORT_MAX_INFLATED_MB = hf.INFLATED_LIMIT_MB
    settings.IMPORT_MAX_CELLS = 1_000_000
    assert (settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS, settings.IMPORT_MAX_MERGED) == (
        hf.ROWS_LIMIT, hf.COLUMNS_LIMIT, hf.MERGED_LIMIT)  # the shipped ones, which the strategies aim past


def _cli_import(path: Path) -> tuple[int, dict]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ledger", "import", str(path), "--region", "150202", "--json", stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(out.getvalue())


def _written() -> tuple[int, int]:
    return Project.objects.count(), ChangeLog.objects.count()


def _check_messages(code: int, summary: dict) -> None:
    errors = summary["errors"]
    if code == 0:
        assert errors == []
        return
    assert errors, summary
    for error in errors:
        assert CHINESE.search(error["message"]), error
        if code == 1:  # a file read but with errors: each names where
            assert error["sheet"] and error["row"] >= 1, error
    if code == 2:
        assert len(errors) == 1 and summary["rows"] == 0
        if "工作表" in errors[0]["message"]:  # a limit of one sheet names it
            assert hf.SHEET_NAME in errors[0]["message"], errors[0]


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
                                 HealthCheck.function_scoped_fixture])
@given(file=hf.hostile_files())
def test_a_hostile_file_is_refused_or_imported_whole_within_bounded_memory(file, tmp_path, reference, users):
    path = tmp_path / f"hostile{file.ext}"
    path.write_bytes(file.data)
    before = _written()
    measured = _peak_rss_reset()
    start = _status_mb("VmRSS") if measured else 0

    code, summary = _cli_import(path)

    if measured:
        grown = _status_mb("VmHWM") - start
        assert grown < MEMORY_BOUND_MB, f"{file}: peak memory grew by {grown} MB"
    assert code in file.exits, (file, summary)
    _check_messages(code, summary)
    projects, entries = _written()
    if code == 0:
        assert projects - before[0] == summary["created"] and entries - before[1] == summary["created"] + \
            summary["updated"]
    else:
        assert (projects, entries) == before, "nothing may be written from a file with errors"

    # The worker's analysis of the same upload (the web's preview): an answer, never an internal error.
    relative = f"imports/{path.name}"
    (tmp_path / "media" / "imports").mkdir(parents=True, exist_ok=True)
    (tmp_path / "media" / relative).write_bytes(file.data)
    job = ImportJob.objects.create(user=users["county"], region=Region.objects.get(code="150202"), file=relative,
                                   original_name=f"东河区{file.ext}")
    jobs.run_analysis(job.pk)
    job.refresh_from_db()
    assert job.status in (ImportJob.State.READY, ImportJob.State.INVALID), (file, job.status, job.result)
    assert all(CHINESE.search(e["message"]) for e in job.result["errors"]), job.result
    assert _written() == (projects, entries)


def test_the_memory_measure_sees_the_native_reader(tmp_path, reference, settings):
    """The bound above could not fail if the measure missed calamine's own (Rust) allocations: a 1 KB file whose
    used range is 4 million cells (A1:IV15625, allowed here) shows as some 125 MB."""
    settings.IMPORT_MAX_CELLS = 4_000_000
    path = tmp_path / "wide.xlsx"
    path.write_bytes(hf.xlsx(hf.header_row() + f'<row r="15625">{hf.cell("IV15625", "x")}</row>'))
    if not _peak_rss_reset():
        pytest.skip("no /proc/self/clear_refs: the peak memory cannot be reset on this system")
    start = _status_mb("VmRSS")
    code, _ = _cli_import(path)
    assert code == 1 and _status_mb("VmHWM") - start > 80


# -- The real command, in a process of its own: the README's exit codes --------------------------------------

def _example(strategy: st.SearchStrategy[hf.Hostile]) -> hf.Hostile:
    """One file from a strategy, the same on every run (derandomized)."""
    found: list[hf.Hostile] = []

    @settings(max_examples=1, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def draw(file):
        found.append(file)

    draw()
    return found[0]


@pytest.mark.parametrize(("strategy", "expected"), [
    (hf.far_cells(), 2),
    (hf.zip_bombs(), 2),
    (hf.broken_zips().filter(lambda f: f.exits == hf.REFUSED), 2),
    (hf.empty_and_binary().filter(lambda f: not f.data), 2),
    (hf.csv_injections(), 1),
    (hf.declared_dimensions(), 1),
    (hf.bad_encodings().filter(lambda f: f.kind == "csv gbk"), 0),
], ids=["far-cell", "zip-bomb", "truncated", "empty", "csv-formulas", "dimension", "gbk"])
def test_the_command_exits_with_the_readme_codes(strategy, expected, sqlite_site, tmp_path):
    file = _example(strategy)
    path = tmp_path / f"hostile{file.ext}"
    path.write_bytes(file.data)
    done = subprocess.run(
        [sys.executable, "-m", "halfbuilt", "ledger", "import", str(path), "--region", "150202", "--json"],
        env=sqlite_site.env(HALFBUILT_IMPORT_MAX_INFLATED_MB=str(hf.INFLATED_LIMIT_MB)),
        capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == expected, (file, done.stdout)
    summary = json.loads(done.stdout)
    _check_messages(done.returncode, summary)
    assert sqlite_site.count("SELECT count(*) FROM ledger_project") == summary["created"]
