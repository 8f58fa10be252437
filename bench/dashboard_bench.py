"""The dashboard (/dashboard/) of the office, a league and a department, against the same figures computed by
GROUP BY over the projects, in the same run, on PostgreSQL.

The projects come from dbgen (the list benchmark's generator), with disposal stages spread over those in the
ledger. The cube is rebuilt once (timed), then each dashboard is requested in-process through Django's test
Client (all middleware, templates) and its median server time taken; the baseline runs the same figures
(totals, by kind / stage / method, by league and by department with their closed and 已盘活 counts, the
month-by-month trend) as GROUP BY queries over `Project.objects.restrict(user)`. Each user has 20 unread
notifications (the bell in the header counts them). Targets at 1M projects: the
office's page ≤ 50 ms, and ≥ 10× faster than the GROUP BY. A refresh of 10,000 changed projects is timed too.

    python bench/dashboard_bench.py --projects 200000        # generated once (~20 s), 15 runs each
    python bench/dashboard_bench.py                          # 1,000,000 projects
    python bench/dashboard_bench.py --no-rebuild             # again, on the cube the last run built
"""

import argparse
import time

import common
import dbgen

TARGET_MS = 50.0
TARGET_RATIO = 10.0
STAGES_SQL = """
    UPDATE ledger_project SET stage = (ARRAY['', 'planning', 'disposing', 'closing', 'closed'])[1 + id % 5]
    WHERE status = 'in_ledger' AND stage = ''"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15, help="timed requests per dashboard (after 2 warm-ups)")
    parser.add_argument("--regenerate", action="store_true", help="refill the projects even if the count matches")
    parser.add_argument("--database-url", default=common.DEFAULT_DATABASE_URL)
    parser.add_argument("--no-rebuild", action="store_true",
                        help="measure on the cube as the last run left it (the projects unchanged since)")
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    return parser.parse_args()


def make_users() -> dict:
    from halfbuilt.accounts.models import Organization, RoleAssignment, User

    who = {"office": ("office", "半拉子工程大起底工作领导小组办公室", "150000"),
           "league (包头市)": ("region", "包头市人民政府", "150200"),
           "department (教育厅)": ("department", "内蒙古自治区教育厅", "150000")}
    users = {}
    for label, (role, org_name, region) in who.items():
        org = Organization.objects.get(name=org_name, region_id=region)
        user, _ = User.objects.get_or_create(username=f"bench_dashboard_{role}")
        RoleAssignment.objects.get_or_create(user=user, role=role, organization=org)
        common.unread_notifications(user)
        users[label] = user
    return users


def group_by_figures(user) -> dict:
    """The dashboard's figures the straightforward way: GROUP BY over the user's projects (the baseline)."""
    from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
    from django.db.models.functions import TruncMonth

    from halfbuilt.closure.models import ClosureRequest
    from halfbuilt.ledger.filters import REVITALISED_OUTCOMES
    from halfbuilt.ledger.models import Project

    last = ClosureRequest.objects.filter(project=OuterRef("pk"), status="closed").order_by("-closed_at", "-id")
    base = Project.objects.restrict(user).filter(status="in_ledger").order_by()
    annotated = base.annotate(outcome=Subquery(last.values("outcome")[:1]))
    closed, revitalised = Q(stage="closed"), Q(stage="closed", outcome__in=REVITALISED_OUTCOMES)
    per_row = {"n": Count("pk"), "closed": Count("pk", filter=closed), "revitalised": Count("pk", filter=revitalised),
               "total": Sum("total_investment")}
    return {
        "totals": annotated.aggregate(**per_row, completed=Sum("completed_investment")),
        "kind": list(base.values("kind").annotate(n=Count("pk"))),
        "stage": list(base.values("stage").annotate(n=Count("pk"))),
        "method": list(base.values(m=F("plan__method")).annotate(n=Count("pk"))),
        "leagues": list(annotated.values("prefecture_id").annotate(**per_row)),
        "departments": list(annotated.values("department_id").annotate(**per_row)),
        "entered": list(base.values(month=TruncMonth("created_at")).annotate(n=Count("pk"))),
        "closed": list(base.annotate(at=Subquery(last.values("closed_at")[:1])).filter(closed)
                       .values(month=TruncMonth("at")).annotate(n=Count("pk"))),
    }


def median_ms(fn, runs: int) -> dict:
    samples = []
    for i in range(runs + 2):
        started = time.perf_counter()
        fn()
        if i >= 2:  # warm-up: caches, connection, first template compile
            samples.append((time.perf_counter() - started) * 1000)
    return {**common.summary(samples), "values_ms": samples}


def main() -> None:
    args = parse_args()
    common.configure_env(args.database_url)
    common.init_database(args.database_url)
    fill_s = dbgen.ensure_projects(args.database_url, args.projects, force=args.regenerate)
    if fill_s is not None:
        print(f"generated {args.projects:,} projects in {fill_s:.1f} s")
    common.setup_django()
    from django.db import connection
    from django.test import Client

    from halfbuilt.supervision.dashboard import cube, figures
    from halfbuilt.supervision.dashboard.models import Cell

    with connection.cursor() as cursor:
        cursor.execute(STAGES_SQL)
        cursor.execute("ANALYZE ledger_project")
    rebuild_s = None
    if fill_s is not None or not args.no_rebuild:
        rebuild_s, _ = common.timed(cube.rebuild)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE dashboard_cell")
    cells = Cell.objects.count()
    print(f"cube rebuilt in {rebuild_s:.1f} s: {cells:,} cells" if rebuild_s else f"cube as it was: {cells:,} cells")

    results = []
    for label, user in make_users().items():
        client = Client()
        client.force_login(user)

        def page(client=client):
            response = client.get("/dashboard/")
            if response.status_code != 200:
                raise RuntimeError(f"/dashboard/ answered {response.status_code}")

        entry = {"who": label,
                 "page": median_ms(page, args.runs),
                 "figures": median_ms(lambda user=user: figures.dashboard(user), args.runs),
                 "group_by": median_ms(lambda user=user: group_by_figures(user), max(3, args.runs // 3))}
        board = figures.dashboard(user)
        baseline = group_by_figures(user)["totals"]
        if (board.total.n, board.closed.n) != (baseline["n"], baseline["closed"]):
            raise RuntimeError(f"{label}: the cube says {board.total.n}/{board.closed.n}, the GROUP BY "
                               f"{baseline['n']}/{baseline['closed']}")
        entry["projects_in_scope"] = board.total.n
        results.append(entry)
        print(f"  {label:<20} page {entry['page']['median']:7.1f} ms  figures {entry['figures']['median']:7.1f} ms"
              f"  GROUP BY {entry['group_by']['median']:8.1f} ms", flush=True)

    ids = random_project_ids(10_000)
    refresh_s, _ = common.timed(lambda: cube.refresh(ids))
    report(args, results, rebuild_s, cells, refresh_s)
    if args.drop:
        from django.db import connections

        connections.close_all()
        common.drop_database(args.database_url)


def random_project_ids(n: int) -> list[int]:
    from halfbuilt.ledger.models import Project

    return list(Project.objects.order_by("?").values_list("pk", flat=True)[:n])


def report(args, results: list[dict], rebuild_s: float, cells: int, refresh_s: float) -> None:
    print(f"\nDashboard at {args.projects:,} projects ({cells:,} cube cells), PostgreSQL, median server time "
          f"(in-process test Client, {args.runs} requests)\n")
    rows = []
    for e in results:
        ratio = e["group_by"]["median"] / e["page"]["median"]
        ok = "✓" if e["page"]["median"] <= TARGET_MS and ratio >= TARGET_RATIO else "✗ MISSED"
        rows.append([e["who"], f"{e['projects_in_scope']:,}", e["page"]["median"], e["figures"]["median"],
                     e["group_by"]["median"], f"{ratio:.1f}×", ok])
    common.print_table(["dashboard", "projects in ledger", "page median ms", "figures median ms",
                        "GROUP BY median ms", "GROUP BY / page", "≤ 50 ms and ≥ 10×"], rows)
    rebuilt = f"{rebuild_s:.1f} s" if rebuild_s else "not run (--no-rebuild)"
    print(f"\nfull rebuild: {rebuilt}; refresh of 10,000 changed projects: {refresh_s:.2f} s")
    out = common.write_results("dashboard", {
        "projects": args.projects, "runs": args.runs, "cells": cells, "rebuild_s": rebuild_s,
        "refresh_10000_s": refresh_s, "target_ms": TARGET_MS, "target_ratio": TARGET_RATIO, "results": results,
    }, args.database_url)
    print(f"\nresults: {out}")


if __name__ == "__main__":
    main()
