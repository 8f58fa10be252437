"""Profile one page of a bench database as a given user: its queries (with their times) and a pyinstrument
profile of the whole request (middleware, view, template). For finding where a bench's milliseconds go.

    python bench/profile_page.py --database-url …/bench_dash --user bench_dashboard_office /dashboard/
    python bench/profile_page.py --user bench_office '/ledger/?light=red' --runs 20

Needs pyinstrument (`pip install pyinstrument`); the database must hold the user (run the bench first;
bench_office, the list benches' office user, is made when missing).
"""

import argparse
import os
import time

import common


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("--user", required=True, help="username of a user the bench created")
    parser.add_argument("--runs", type=int, default=10, help="requests profiled together (after 2 warm-ups)")
    parser.add_argument("--database-url", default=common.DEFAULT_DATABASE_URL)
    args = parser.parse_args()
    common.configure_env(args.database_url)
    common.setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from halfbuilt.accounts.models import User

    client = Client()
    if args.user == "bench_office" and not User.objects.filter(username=args.user).exists():
        import list_bench

        list_bench.make_users()
    client.force_login(User.objects.get(username=args.user))
    for _ in range(2):
        client.get(args.url)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(args.url)
        elapsed = (time.perf_counter() - started) * 1000
    print(f"{args.url}: {response.status_code}, {elapsed:.1f} ms, {len(queries)} queries, "
          f"{sum(float(q['time']) for q in queries) * 1000:.1f} ms of SQL")
    for q in queries:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:160]}")
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(args.runs):
        client.get(args.url)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=bool(os.environ.get("SHOW_ALL"))))


if __name__ == "__main__":
    main()
