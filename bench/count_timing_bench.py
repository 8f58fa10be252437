"""Do counts take longer when there are more classified projects? (issue 8 §3: the timing of counts as a side
channel.) The office and a league's government count what they see — the ledger page's capped count, its exact
count (`/ledger/count/`) and the API's `count=true` — while the table holds the same visible projects and 0, 1 % or
10 % as many classified ones besides (copies of visible rows, classified, in the same regions and categories).

Baseline: the same counts on the same visible rows with no classified project, measured in the same run, in
interleaved rounds (none, 1 %, 10 %, none, …) so that the machine's drift falls on every state alike. The figure
is each state's median over the baseline's; the baseline's own two halves give the noise to read it against.

    python bench/count_timing_bench.py                          # 200,000 projects, 3 rounds of 15 requests
    python bench/count_timing_bench.py --projects 50000 --rounds 2 --runs 9
"""

import argparse
import statistics
import time

import common
import dbgen

STATES = {"none": 0.0, "1%": 0.01, "10%": 0.10}
PROBES = [  # (who, what, URL)
    ("office", "ledger page (capped count)", "/ledger/"),
    ("office", "exact count", "/ledger/count/"),
    ("office", "API count=true", "/api/v1/projects?page_size=1&count=true"),
    ("league", "exact count", "/ledger/count/?region=150200"),
]
DEFAULT_URL = common.DEFAULT_DATABASE_URL.rsplit("/", 1)[0] + "/halfbuilt_bench_counts"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=15, help="timed requests per probe and state in each round")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    return parser.parse_args()


def set_state(share: float) -> tuple[int, int]:
    """Leave the visible projects as they are and `share` × their number classified ones besides."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_project WHERE classified")
        cursor.execute("SELECT count(*) FROM ledger_project")
        visible = cursor.fetchone()[0]
        cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'ledger_project' "
                       "AND column_name <> 'id' ORDER BY ordinal_position")
        columns = [row[0] for row in cursor.fetchall()]
        overrides = {"classified": "true", "ledger_no": "p.ledger_no || 'M'", "project_code": "''",
                     "department_id": "'GAT'"}
        values = ", ".join(overrides.get(c, f"p.{c}") for c in columns)
        hidden = round(visible * share)
        if hidden:
            cursor.execute(f"INSERT INTO ledger_project ({', '.join(columns)}) SELECT {values} "
                           f"FROM ledger_project p ORDER BY p.ledger_no LIMIT %s", [hidden])
        cursor.execute("VACUUM ANALYZE ledger_project")
    return visible, hidden


def make_users():
    from halfbuilt.accounts.models import Organization, OrgKind, RoleAssignment, User

    office, _ = User.objects.get_or_create(username="bench_office")
    RoleAssignment.objects.get_or_create(user=office, role="office",
                                         organization=Organization.objects.get(kind=OrgKind.OFFICE))
    league, _ = User.objects.get_or_create(username="bench_league")
    RoleAssignment.objects.get_or_create(user=league, role="region", organization=Organization.objects.get(
        kind=OrgKind.GOVERNMENT, region_id="150200"))
    return {"office": office, "league": league}


def measure(client, url: str, runs: int) -> tuple[list[float], str]:
    samples, body = [], ""
    for i in range(runs + 2):
        started = time.perf_counter()
        response = client.get(url, HTTP_ACCEPT="application/json")
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        if i >= 2:  # two warm-up requests
            samples.append(elapsed)
        body = response.content.decode()
    return samples, body


def main() -> None:
    args = parse_args()
    common.configure_env(args.database_url)
    common.init_database(args.database_url)
    if dbgen.ensure_projects(args.database_url, args.projects) is not None:
        print(f"generated {args.projects:,} projects")
    common.setup_django()
    from django.test import Client

    clients = {}
    for who, user in make_users().items():
        clients[who] = Client()
        clients[who].force_login(user)
    samples: dict[tuple[str, int], list[float]] = {}
    halves: dict[int, list[list[float]]] = {i: [] for i in range(len(PROBES))}
    answers: dict[tuple[str, int], set[str]] = {}
    hidden_rows = {}
    for round_no in range(args.rounds):
        for state, share in STATES.items():
            visible, hidden_rows[state] = set_state(share)
            for i, (who, _, url) in enumerate(PROBES):
                values, body = measure(clients[who], url, args.runs)
                samples.setdefault((state, i), []).extend(values)
                if state == "none":
                    halves[i].append(values)
                answers.setdefault((state, i), set()).add(body if "count" in url else str(len(body) > 0))
        print(f"round {round_no + 1} of {args.rounds} done", flush=True)
    rows, results = [], []
    for i, (who, what, url) in enumerate(PROBES):
        base = statistics.median(samples[("none", i)])
        first, second = halves[i][0::2], halves[i][1::2]
        noise = (statistics.median(sum(second, [])) / statistics.median(sum(first, []))) if second else None
        entry = {"who": who, "probe": what, "url": url, "baseline_ms": base, "noise_ratio": noise}
        row = [who, what, f"{base:.1f}"]
        for state in STATES:
            if state == "none":
                continue
            median = statistics.median(samples[(state, i)])
            entry[state] = {"median_ms": median, "ratio": median / base,
                            "same_answer": answers[(state, i)] == answers[("none", i)]}
            row += [f"{median:.1f}", f"{median / base:.2f}"]
        row.append(f"{noise:.2f}" if noise else "–")
        rows.append(row)
        results.append(entry)
    print(f"\nvisible projects: {visible:,}; classified besides: "
          + ", ".join(f"{state} = {n:,}" for state, n in hidden_rows.items()))
    common.print_table(["who", "probe", "none ms", "1% ms", "×", "10% ms", "×", "noise ×"], rows)
    same = all(e[s]["same_answer"] for e in results for s in STATES if s != "none")
    print(f"every answer identical whatever the classified rows: {same}")
    path = common.write_results("count_timing", {
        "args": vars(args), "visible_rows": visible, "hidden_rows": hidden_rows, "results": results,
        "same_answers": same,
        "machine": common.machine(), "postgres": common.postgres_info(args.database_url), "head": common.git_head(),
    }, args.database_url)
    print(f"results: {path}")
    if args.drop:
        from django.db import connections

        connections.close_all()
        common.drop_database(args.database_url)


if __name__ == "__main__":
    main()
