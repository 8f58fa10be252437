"""The public portal under load (issue 9 §4): 200 anonymous visitors for 60 s against the demo on PostgreSQL, served
by the production WSGI server `halfbuilt demo` uses (waitress, HALFBUILT_WEB_THREADS threads) in production mode.
Targets: 0 errors, p95 ≤ 300 ms, and a throughput at least 1/3 of the baseline's.

Baseline in the same run, on the same server process and under the same load: bare Django views answering each
address with the bytes the portal gave for it, from memory (bench/portal_urls.py) — the stack's ceiling here.
The visitors (bench/portal_locustfile.py, locust's FastHttpUser, headless in a child process) each wait
--wait seconds on average between requests (bounded load); --wait 0 saturates the server instead.

    python bench/portal_bench.py                          # 200 users, 60 s each target
    python bench/portal_bench.py --users 50 --seconds 20 --wait 0
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import common
from load_bench import free_port, wait_for
from portal_paths import LEAGUES, PAGES

SERVER = ["-c", "import django; django.setup(); "
                "from halfbuilt.demo.management.commands.demo import serve_wsgi; serve_wsgi({port})"]
TARGETS = ("portal", "bare")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--wait", type=float, default=1.0, help="mean think time of a visitor, seconds")
    parser.add_argument("--database-url", default=common.DEFAULT_DATABASE_URL.replace("halfbuilt_bench",
                                                                                       "halfbuilt_portal"))
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    return parser.parse_args()


def public_ids() -> list[int]:
    common.setup_django()
    from halfbuilt.public.selectors import public_projects

    return list(public_projects().order_by("id").values_list("id", flat=True)[:200])


def locust(port: int, target: str, args, projects: list[int]) -> dict:
    prefix = common.OUT_DIR / f"portal-{target}"
    command = [sys.executable, "-m", "locust", "-f", str(common.BENCH_DIR / "portal_locustfile.py"), "--headless",
               "-u", str(args.users), "-r", str(max(1, args.users // 5)), "-t", f"{args.seconds}s", "--host",
               f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary", "--exit-code-on-error", "0"]
    env = {**os.environ, "HALFBUILT_PORTAL_PROJECTS": json.dumps(projects), "HALFBUILT_PORTAL_TARGET": target,
           "HALFBUILT_PORTAL_WAIT": str(args.wait)}
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    total = rows["Aggregated"]
    return {"target": target, "requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
            "median_ms": float(total["50%"]), "p95_ms": float(total["95%"]), "p99_ms": float(total["99%"]),
            "rps": float(total["Requests/s"]),
            "by_name": {n: {"requests": int(r["Request Count"]), "failures": int(r["Failure Count"]),
                            "median_ms": float(r["50%"]), "p95_ms": float(r["95%"])}
                        for n, r in rows.items() if n != "Aggregated"}}


def warm(port: int, projects: list[int]) -> None:
    """Each address once, the portal's and the baseline's: both answer from memory from their first timed request
    (the steady state of a site whose pages are cached; the portal's expire and are rendered again during the
    run, PUBLIC_CACHE_SECONDS after)."""
    paths = ["/gongkai/", "/gongkai/map.json", *[f"/gongkai/projects/{pk}/" for pk in projects]]
    paths += [f"/gongkai/projects/?{'region=' + lg + '&' if lg else ''}page={p}" for lg in LEAGUES for p in PAGES]
    for path in paths:
        bare = "/bench-bare/" + path.split("?")[0].replace("/", "~") + ("?" + path.split("?")[1] if "?" in path else "")
        urllib.request.urlopen(f"http://127.0.0.1:{port}{bare}").read()
        urllib.request.urlopen(f"http://127.0.0.1:{port}{path}").read()


def main() -> None:
    args = parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.portal_settings"
    common.configure_env(args.database_url)
    os.environ.pop("HALFBUILT_TASKS_IMMEDIATE", None)
    created = common.ensure_database(args.database_url)
    data_dir = Path(os.environ["HALFBUILT_DATA_DIR"])
    if created or not (data_dir / "demo-accounts.json").exists():
        subprocess.run([*common.halfbuilt_cmd(), "demo", "--no-serve"], cwd=common.ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    else:
        common.init_database(args.database_url)
    projects = public_ids()
    # Production mode, as deployed (no TLS on 127.0.0.1: the proxy's part).
    production = {"HALFBUILT_MODE": "production", "HALFBUILT_SECRET_KEY": "portal-bench-" + "x" * 40,
                  "HALFBUILT_SSL_REDIRECT": "0", "HALFBUILT_ALLOWED_HOSTS": "127.0.0.1"}
    # As deployed: the static files collected, hashed names in a manifest (docs/deploy.md).
    subprocess.run([*common.halfbuilt_cmd(), "collectstatic", "--noinput"], cwd=common.ROOT, check=True,
                   env={**os.environ, **production}, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([sys.executable, *[a.format(port=port) for a in SERVER]], cwd=common.ROOT,
                              env={**os.environ, **production}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port)
        warm(port, projects)
        results = [locust(port, target, args, projects) for target in TARGETS]
    finally:
        server.terminate()
        server.wait(timeout=20)
    portal, bare = results
    ratio = portal["rps"] / bare["rps"] if bare["rps"] else 0.0
    common.print_table(["target", "requests", "failures", "median ms", "p95 ms", "p99 ms", "req/s"],
                       [[r["target"], r["requests"], r["failures"], r["median_ms"], r["p95_ms"], r["p99_ms"],
                         r["rps"]] for r in results])
    print(f"\nthroughput portal / bare: {ratio:.2f} (target ≥ 0.33); "
          f"portal p95 {portal['p95_ms']} ms (target ≤ 300); failures {portal['failures']} (target 0)")
    path = common.write_results("portal", {"users": args.users, "seconds": args.seconds, "wait": args.wait,
                                           "threads": int(os.environ.get("HALFBUILT_WEB_THREADS", 8)),
                                           "ratio": ratio, "results": results}, args.database_url)
    print(f"full results: {path}")
    if args.drop:
        common.drop_database(args.database_url)


if __name__ == "__main__":
    main()
