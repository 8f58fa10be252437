"""50 browsers for 60 s against the demo on PostgreSQL: no request may fail, and the database connections stay
bounded. Ours: the demo's WSGI server (`demo.serve_wsgi`: waitress, a fixed pool of HALFBUILT_WEB_THREADS threads).
Baseline in the same run: Django's development server (threaded), which the demo used before.

Each server runs as its own process on the bench database (built once with `halfbuilt demo --no-serve`); locust
(headless, in a child process) plays the users (bench/locustfile.py); PostgreSQL's own view counts the
connections of the server while the load runs (the peak) and after it.

    python bench/load_bench.py                       # 50 users, 60 s each server
    python bench/load_bench.py --users 20 --seconds 30
"""

import argparse
import csv
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import common

SERVERS = {
    "ours (waitress)": ["-c", "import django; django.setup(); "
                              "from halfbuilt.demo.management.commands.demo import serve_wsgi; serve_wsgi({port})"],
    "baseline (runserver)": ["-m", "halfbuilt", "runserver", "127.0.0.1:{port}", "--noreload", "--skip-checks"],
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--database-url", default=common.DEFAULT_DATABASE_URL.replace("halfbuilt_bench",
                                                                                       "halfbuilt_load"))
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server on port {port} did not come up")


def connections(database_url: str) -> int:
    import psycopg

    admin, name = common._admin_conninfo(database_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                            [name]).fetchone()[0]


def run(label: str, args, database_url: str, users: int, seconds: int, accounts: str) -> dict:
    port = free_port()
    argv = [sys.executable, *[a.format(port=port) for a in SERVERS[label]]]
    server = subprocess.Popen(argv, cwd=common.ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    peak, stop = [0], threading.Event()

    def watch():
        while not stop.wait(1):
            peak[0] = max(peak[0], connections(database_url))

    try:
        wait_for(port)
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        prefix = common.OUT_DIR / f"load-{label.split()[0]}"
        locust = [sys.executable, "-m", "locust", "-f", str(common.BENCH_DIR / "locustfile.py"), "--headless",
                  "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--host",
                  f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary", "--exit-code-on-error", "0"]
        subprocess.run(locust, env={**os.environ, "HALFBUILT_LOAD_ACCOUNTS": accounts}, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stop.set()
        watcher.join()
        time.sleep(2)
        after = connections(database_url)
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=20)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    total = rows["Aggregated"]
    return {"server": label, "requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
            "median_ms": float(total["50%"]), "p95_ms": float(total["95%"]), "rps": float(total["Requests/s"]),
            "peak_connections": peak[0], "connections_after": after,
            "by_name": {n: {"requests": int(r["Request Count"]), "failures": int(r["Failure Count"]),
                            "median_ms": float(r["50%"])} for n, r in rows.items() if n != "Aggregated"}}


def main() -> None:
    args = parse_args()
    common.configure_env(args.database_url)
    os.environ.pop("HALFBUILT_TASKS_IMMEDIATE", None)
    created = common.ensure_database(args.database_url)
    data_dir = Path(os.environ["HALFBUILT_DATA_DIR"])
    accounts_file = data_dir / "demo-accounts.json"
    # The demo on the current code's schema (init migrates a database built by an earlier commit).
    if created or not accounts_file.exists():
        subprocess.run([*common.halfbuilt_cmd(), "demo", "--no-serve"], cwd=common.ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    else:
        common.init_database(args.database_url)
    accounts = accounts_file.read_text(encoding="utf-8")
    results = [run(label, SERVERS[label], args.database_url, args.users, args.seconds, accounts)
               for label in SERVERS]
    common.print_table(
        ["server", "requests", "failures", "median ms", "p95 ms", "req/s", "peak connections", "after"],
        [[r["server"], r["requests"], r["failures"], r["median_ms"], r["p95_ms"], r["rps"], r["peak_connections"],
          r["connections_after"]] for r in results])
    path = common.write_results("load", {"users": args.users, "seconds": args.seconds,
                                         "threads": int(os.environ.get("HALFBUILT_WEB_THREADS", 8)),
                                         "results": results}, args.database_url)
    print(f"\nfull results: {path}")
    if args.drop:
        common.drop_database(args.database_url)


if __name__ == "__main__":
    main()
