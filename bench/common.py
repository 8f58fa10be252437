"""Shared harness for the benchmarks: the bench database, child processes, medians, tables, JSON results.

Every benchmark reports ratios against a baseline measured in the same run; figures from another
run or another machine are never mixed in. Results go to `bench/out/` (git-ignored).
"""

import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/halfbuilt_bench"
# The test suite owns these; a benchmark must never write to them.
PROTECTED_DATABASES = {"test", "test_test", "postgres", "template0", "template1"}

# `python bench/x.py` puts bench/ on sys.path; the repo root is needed for `bench.settings`.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def configure_env(database_url: str) -> None:
    """Environment for this process and its children: bench settings, bench database, a private data dir."""
    check_database_url(database_url)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("HALFBUILT_DATA_DIR", str(OUT_DIR / "data"))
    os.environ.setdefault("HALFBUILT_TASKS_IMMEDIATE", "1")
    # Child interpreters and the `halfbuilt` console script must find `bench.settings` too.
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if str(ROOT) not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), *paths])
    # WhiteNoise warns on every start when STATIC_ROOT does not exist.
    (Path(os.environ["HALFBUILT_DATA_DIR"]) / "static").mkdir(parents=True, exist_ok=True)


def check_database_url(database_url: str) -> str:
    name = database_url.rsplit("/", 1)[-1].split("?", 1)[0]
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("the benchmarks need PostgreSQL: --database-url postgres://…")
    if name in PROTECTED_DATABASES:
        raise SystemExit(f"refusing to use database {name!r}: it belongs to the test suite or the server")
    return name


def _admin_conninfo(database_url: str) -> tuple[str, str]:
    base, name = database_url.rsplit("/", 1)
    return base + "/postgres", name.split("?", 1)[0]


def ensure_database(database_url: str) -> bool:
    """Create the bench database if missing; True when it was created."""
    import psycopg

    admin_url, name = _admin_conninfo(database_url)
    check_database_url(database_url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def drop_database(database_url: str) -> None:
    import psycopg

    admin_url, name = _admin_conninfo(database_url)
    check_database_url(database_url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def init_database(database_url: str) -> None:
    """`halfbuilt init` on the bench database (migrate + reference data); idempotent."""
    ensure_database(database_url)
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    # --skip-checks: migrating needs no URL checks, and other apps' pages may be mid-change.
    command = [*halfbuilt_cmd(), "init", "--skip-checks"]
    subprocess.run(command, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)


def halfbuilt_cmd() -> list[str]:
    """The `halfbuilt` console script of this interpreter's environment."""
    script = Path(sys.executable).with_name("halfbuilt")
    return [str(script)] if script.exists() else [sys.executable, "-m", "halfbuilt"]


def setup_django() -> None:
    import django

    django.setup()


def unread_notifications(user, n: int = 20) -> None:
    """Give `user` `n` unread notifications about projects of their scope, as a working user has: the bell in
    every page's header counts them (once that count read the whole scope). Idempotent."""
    from django.utils import timezone

    from halfbuilt.ledger.models import Project
    from halfbuilt.notifications.models import Notification

    if Notification.objects.filter(recipient=user, read_at__isnull=True).count() >= n:
        return
    ids = Project.objects.restrict(user).order_by("pk").values_list("pk", flat=True)[:n * 97:97]
    Notification.objects.bulk_create([
        Notification(recipient=user, event="plan_review_due", key=f"bench:{pk}", day=timezone.localdate(),
                     title="方案待审核", project_id=pk) for pk in ids])


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def run_child(script: Path, args: Sequence[str], timeout: float | None = None) -> dict:
    """Run `script --child …` in a fresh interpreter; it prints one JSON object as its last stdout line."""
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(script), "--child", *args], capture_output=True, text=True, cwd=ROOT,
        timeout=timeout, env=os.environ.copy(),
    )
    wall = time.perf_counter() - started
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise RuntimeError(f"child {script.name} {' '.join(args)} failed (exit {proc.returncode})")
    result = json.loads(lines[-1])
    result["process_wall_s"] = round(wall, 3)
    return result


def child_output(payload: dict) -> None:
    payload.setdefault("peak_rss_mb", round(peak_rss_mb(), 1))
    print(json.dumps(payload, ensure_ascii=False, default=str), flush=True)


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def summary(values: Sequence[float]) -> dict:
    return {
        "runs": len(values),
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "values": [round(v, 4) for v in values],
    }


def versions() -> dict[str, str]:
    names = ["Django", "django-import-export", "tablib", "openpyxl", "python-calamine", "XlsxWriter",
             "psycopg", "django-ninja"]
    result = {"python": platform.python_version()}
    for name in names:
        try:
            result[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            result[name] = "-"
    return result


def machine() -> dict[str, str | int]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpu": cpu, "cores": os.cpu_count() or 0, "ram_gib": round(mem_gib, 1), "os": platform.platform()}


def postgres_info(database_url: str) -> dict[str, str]:
    import psycopg

    keys = ["shared_buffers", "work_mem", "fsync", "synchronous_commit", "jit", "max_parallel_workers_per_gather",
            "lc_collate"]
    with psycopg.connect(database_url) as conn:
        info = {"version": conn.execute("SHOW server_version").fetchone()[0]}
        for key in keys:
            info[key] = conn.execute(f"SHOW {key}").fetchone()[0]
    return info


def git_head() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def write_results(name: str, payload: dict, database_url: str | None = None) -> Path:
    payload = {
        "benchmark": name,
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "git": git_head(),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": machine(),
        "versions": versions(),
        **({"postgres": postgres_info(database_url)} if database_url else {}),
        **payload,
    }
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{name}-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    return path


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain Markdown table, so it can be pasted into docs/performance.md as is."""
    cells = [[_fmt(c) for c in row] for row in rows]
    print("| " + " | ".join(headers) + " |")
    print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(headers))) + "|")
    for row in cells:
        print("| " + " | ".join(row) + " |")


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
