"""The dashboard's cube follows real service actions exactly (every change an exact delta), and equals a GROUP BY
over the projects written independently here; the rebuild finds drift; two commits lose no update."""

import datetime as dt
import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.utils import timezone

from halfbuilt.closure import services as closure
from halfbuilt.closure.models import ClosureRequest
from halfbuilt.core.request_context import Actor
from halfbuilt.disposal import services as disposal
from halfbuilt.ledger import services as ledger
from halfbuilt.ledger.intake import stream
from halfbuilt.ledger.intake.plan import ImportContext
from halfbuilt.ledger.intake.reader import read_workbook
from halfbuilt.ledger.models import Project
from halfbuilt.regions.models import Category, Department, Region
from halfbuilt.supervision.dashboard import cube
from halfbuilt.supervision.dashboard.models import Cell, ProjectCells
from tests import messy_files

# Commits must happen for audit.signals.projects_changed to be sent.
pytestmark = pytest.mark.django_db(transaction=True)

YESTERDAY = dt.date.today() - dt.timedelta(days=1)
HEADER = ["项目名称", "所在地区", "项目类别", "类型", "总投资（万元）"]
IMPORT = [["东河区导入小学", "东河区", "教育", "停建", "300"],
          ["昆都仑区导入幼儿园", "昆都仑区", "教育", "已竣工未投用", "80"]]


# --- the figures recomputed independently of the cube: a GROUP BY over the projects ---------------------------
SCOPE = ("region_id", "prefecture_id", "department_id", "classified", "status")


def _last_closed():
    return ClosureRequest.objects.filter(project=OuterRef("pk"), status="closed").order_by("-closed_at", "-id")


def _scope(values, league: bool, province: bool = False) -> tuple:
    """The scope columns' values; the league-level grains leave the county-level region out, the province-level
    ones the league and the department too."""
    left_out = {"region_id", "prefecture_id", "department_id"} if province else {"region_id"} if league else set()
    return tuple("" if k in left_out else values[k] for k in SCOPE)


COLOURS = {1: "green", 2: "yellow", 3: "red"}  # the warning lights' colours (lights.models.Colour)


# What each main grain leaves out (written here, independently of the cube's own table).
MAIN_LEFT_OUT = {
    "main": set(), "lmain": {"region_id"},
    "pmain": {"region_id", "prefecture_id", "department_id"},
    "pleague": {"region_id", "department_id", "kind", "method"},
    "pdept": {"region_id", "prefecture_id", "kind", "method"},
}


def expected_main(grain: str = "main") -> dict[tuple, tuple]:
    """(scope…, kind, stage, method, outcome, light) → (projects, total, completed), straight from the projects."""
    rows = (Project.objects.order_by()
            .annotate(m=F("plan__method"), o=Subquery(_last_closed().values("outcome")[:1]), c=F("light__colour"))
            .values(*SCOPE, "kind", "stage", "m", "o", "c")
            .annotate(n=Count("pk"), total=Sum("total_investment"), completed=Sum("completed_investment")))
    left_out = MAIN_LEFT_OUT[grain]
    found: dict[tuple, list] = {}
    for r in rows:
        outcome = (r["o"] or "") if r["stage"] == "closed" else ""
        values = {**r, "method": r["m"] or ""}
        facts = tuple("" if k in left_out else values[k] for k in ("kind", "stage", "method"))
        key = (*("" if k in left_out else r[k] for k in SCOPE), *facts, outcome, COLOURS.get(r["c"], ""))
        entry = found.setdefault(key, [0, Decimal(0), Decimal(0)])
        entry[0] += r["n"]
        entry[1] += r["total"] or 0
        entry[2] += r["completed"] or 0
    return {k: tuple(v) for k, v in found.items()}


def actual_main(grain: str = "main") -> dict[tuple, tuple]:
    from halfbuilt.supervision.dashboard.models import Cell

    cells = Cell.objects.filter(grain=grain).exclude(n=0)
    return {(*(getattr(c, k) for k in SCOPE), c.kind, c.stage, c.method, c.outcome, c.light):
            (c.n, c.total, c.completed) for c in cells}


def expected_months() -> Counter:
    """(grain, scope…, month) → projects: registered in the month; closed in the month."""
    counts: Counter = Counter()
    rows = Project.objects.annotate(closed_at=Subquery(_last_closed().values("closed_at")[:1]))
    for p in rows:
        values = {k: getattr(p, k) for k in SCOPE}
        for prefix, league, province in (("", False, False), ("l", True, False), ("p", True, True)):
            scope = _scope(values, league, province)
            counts[(prefix + "entered", *scope, timezone.localtime(p.created_at).strftime("%Y-%m"))] += 1
            if p.stage == "closed" and p.closed_at:
                counts[(prefix + "closed", *scope, timezone.localtime(p.closed_at).strftime("%Y-%m"))] += 1
    return counts


def actual_months() -> Counter:
    from halfbuilt.supervision.dashboard.models import Cell

    return Counter({(c.grain, *(getattr(c, k) for k in SCOPE), c.month): c.n
                    for c in Cell.objects.exclude(grain__in=MAIN_LEFT_OUT).exclude(n=0)})


def assert_cube_matches() -> None:
    for grain in MAIN_LEFT_OUT:
        assert actual_main(grain) == expected_main(grain), grain
    assert actual_months() == expected_months()


def create(user, name, region="150202", total="1000", completed="250", **more):
    data = {"name": name, "region": Region.objects.get(code=region), "category": Category.objects.get(code="A03"),
            "department": Department.objects.get(code=more.pop("department", "JYT")), "kind": "stalled",
            "total_investment": Decimal(total), "completed_investment": Decimal(completed), **more}
    return ledger.project_create(actor=Actor(user=user), data=data)


def test_the_cube_follows_service_actions_and_equals_a_group_by(users, projects, closure_evidence, tmp_path):
    office, unit = Actor(user=users["office"]), Actor(user=users["unit"])
    # The fixture's projects were written straight to the table; their first service action brings them in.
    for kind, who in (("in_scope", "office"), ("elsewhere", "office"), ("classified", "department_gat")):
        ledger.project_transition(actor=Actor(user=users[who]), project=projects[kind], action="confirm")
    assert_cube_matches()

    made = create(users["region"], "包头市新建体育馆", region="150200", total="5000", completed="0")
    voided = create(users["office"], "赤峰市重复录入项目", region="150402")
    assert Cell.objects.filter(grain="main", status="candidate").count() == 2
    ledger.project_transition(actor=office, project=made, action="confirm")
    ledger.project_transition(actor=office, project=voided, action="void", reason="重复录入")
    assert_cube_matches()

    # 一项目一方案 up to its confirmation, then 销号 with the outcome 已投入使用 (已盘活).
    school = projects["in_scope"]
    plan = disposal.plan_create(actor=unit, project=school, data={
        "method": "demolish", "facts": {"fails_safety": True}, "lead_unit": "东河区教育局", "responsible_person": "甲",
        "deadline": dt.date(2027, 1, 1)})
    assert_cube_matches()
    plan = disposal.plan_submit(actor=unit, plan=plan)
    plan = disposal.plan_approve(actor=Actor(user=users["department_baotou"]), plan=plan)
    disposal.plan_confirm(actor=office, plan=plan)
    assert Project.objects.get(pk=school.pk).stage == "disposing"
    assert_cube_matches()
    request = closure.closure_request(actor=unit, project=school, outcome="in_use", outcome_date=YESTERDAY,
                                      description="已交付使用", evidence_ids=[closure_evidence(school).pk])
    closure.closure_review(actor=Actor(user=users["department_baotou"]), request=request, approve=True)
    closure.closure_close(actor=office, request=request)
    assert_cube_matches()
    closed = Cell.objects.filter(grain="main", stage="closed", outcome="in_use", method="demolish")
    assert [(c.prefecture_id, c.n) for c in closed] == [("150200", 1)]
    assert Cell.objects.filter(grain="closed").exclude(n=0).count() == 1

    # An import: its projects arrive by one signal, set-based.
    path = messy_files.write_csv(tmp_path / "import.csv", rows=[HEADER, *IMPORT])
    ctx = ImportContext.for_user(Actor(users["region"], via="import"), Region.objects.get(code="150200"))
    plan = stream.import_sheets(read_workbook(path), ctx, batch="dashboard")
    assert plan.errors == []
    assert Project.objects.count() == 7
    assert_cube_matches()
    assert sum(c.n for c in Cell.objects.filter(grain="main")) == 7
    assert cube.rebuild(dry_run=True).none  # nothing drifted


def test_the_rebuild_reports_drift_and_repairs_it(users, projects, capsys):
    cube.rebuild()  # the fixture's projects were written straight to the table
    for kind in ("in_scope", "elsewhere"):
        ledger.project_transition(actor=Actor(user=users["office"]), project=projects[kind], action="confirm")
    assert cube.rebuild(dry_run=True).none
    # A write that bypasses the services (and so the change log) is what the nightly check is for.
    Project.objects.filter(pk=projects["elsewhere"].pk).update(kind="idle", total_investment=Decimal("4000"))
    with pytest.raises(SystemExit) as exit_code:
        call_command("dashboard_rebuild", "--check")
    # The old cell and the new one, and the entered-month cell whose sums changed, at both levels; and at the
    # province level the entered-month cell, the composition's old and new cells (its kind changed) and the league
    # and department rows' cells (no kind there: only their sums changed).
    assert exit_code.value.code == 1 and "drift in 11 cells, 1 projects" in capsys.readouterr().out
    assert actual_main() != expected_main()  # --check wrote nothing
    with pytest.raises(SystemExit):  # it says what it found, and rebuilds
        call_command("dashboard_rebuild")
    assert "(rebuilt)" in capsys.readouterr().out
    assert actual_main() == expected_main()
    call_command("dashboard_rebuild", "--check")
    assert "no drift" in capsys.readouterr().out


def test_the_nightly_task_rebuilds_and_reports(users, projects):
    from halfbuilt.supervision.dashboard import tasks

    ledger.project_transition(actor=Actor(user=users["office"]), project=projects["in_scope"], action="confirm")
    Cell.objects.all().delete()
    drift = tasks.rebuild_and_report()
    # 24 cells (main and entered of each of the three projects, at both levels; entered, the composition, the
    # league row and the department row at the province level) and the two projects never refreshed (written by
    # the fixture).
    assert (drift.cells, drift.projects) == (24, 2)
    assert actual_main() == expected_main()


def test_a_deleted_project_leaves_its_cells(users, projects):
    ledger.project_transition(actor=Actor(user=users["office"]), project=projects["in_scope"], action="confirm")
    pk = projects["in_scope"].pk
    ProjectCells.objects.filter(project_id=pk).get()
    from halfbuilt.audit.models import ChangeLog

    ChangeLog.objects.filter(project_id=pk).delete()
    Project.objects.filter(pk=pk).delete()
    cube.refresh([pk])
    assert not ProjectCells.objects.filter(project_id=pk).exists()
    assert sum(c.n for c in Cell.objects.filter(grain="main")) == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent commits: PostgreSQL")
def test_two_commits_refreshing_the_same_cells_lose_no_update(projects):
    """Two threads (two connections) refresh at the same moment, round after round: the same cell from two
    projects, and the same project from both; each round's figures are exact."""
    same_cell = [projects["in_scope"].pk, make_twin(projects["in_scope"])]
    errors = []

    def run(barrier, ids):
        try:
            barrier.wait()
            cube.refresh(ids)
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    for round_number in range(8):
        kind = "idle" if round_number % 2 else "stalled"
        Project.objects.filter(pk__in=same_cell).update(kind=kind)
        barrier = threading.Barrier(2)
        plans = ([same_cell[0]], [same_cell[1]]) if round_number < 4 else (same_cell, list(reversed(same_cell)))
        threads = [threading.Thread(target=run, args=(barrier, ids)) for ids in plans]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        cells = {c.kind: c.n for c in Cell.objects.filter(grain="main").exclude(n=0)}
        assert cells == {kind: 2}, round_number


def make_twin(project) -> int:
    from tests import world

    twin = world.project(name="同格项目", region_id=project.region_id, responsible_org=project.responsible_org)
    return twin.pk


def test_a_big_change_is_refreshed_by_the_worker(users, tmp_path, monkeypatch):
    from halfbuilt.supervision.dashboard import receivers, tasks

    queued = []
    monkeypatch.setattr(receivers, "INLINE_LIMIT", 1)
    task = tasks.refresh_later

    def spy(ids):
        queued.append(len(ids))
        return task(ids)  # the huey task: run at once, as the tests' worker does

    monkeypatch.setattr(tasks, "refresh_later", spy)
    path = messy_files.write_csv(tmp_path / "import.csv", rows=[HEADER, *IMPORT])
    ctx = ImportContext.for_user(Actor(users["region"], via="import"), Region.objects.get(code="150200"))
    assert stream.import_sheets(read_workbook(path), ctx, batch="dashboard").errors == []
    assert queued == [2]  # the import's two projects went to the worker
    assert_cube_matches()


def test_the_migration_derives_the_province_months_exactly(users, projects, closure_evidence):
    """A cube built before the province-level month grains gains them from its league-level cells, exactly what
    a rebuild gives; the projects' stored keys need no change."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("halfbuilt.supervision.dashboard.migrations.0002_province_months")
    for kind in ("in_scope", "elsewhere"):
        ledger.project_transition(actor=Actor(user=users["office"]), project=projects[kind], action="confirm")
    create(users["region"], "包头市新建体育馆", region="150200", total="5000", completed="0")
    cube.rebuild()
    assert Cell.objects.filter(grain="pentered").exclude(n=0).exists()
    migration.remove_province_cells(apps, None)  # the cube as the first migration left it
    assert not Cell.objects.filter(grain__in=("pentered", "pclosed")).exists()
    drift = cube.rebuild(dry_run=True)
    assert drift.cells > 0 and drift.projects == 0
    migration.add_province_cells(apps, None)
    assert cube.rebuild(dry_run=True).none
    assert actual_months() == expected_months()


def test_the_migration_derives_the_province_main_cells_exactly(users, projects, closure_evidence):
    """A cube built before the office's province-level main grains gains them from its league-level cells, exactly
    what a rebuild gives."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("halfbuilt.supervision.dashboard.migrations.0003_province_main")
    for kind in ("in_scope", "elsewhere"):
        ledger.project_transition(actor=Actor(user=users["office"]), project=projects[kind], action="confirm")
    create(users["region"], "包头市新建体育馆", region="150200", total="5000", completed="0")
    cube.rebuild()
    migration.remove_province_main_cells(apps, None)
    assert not Cell.objects.filter(grain__in=("pmain", "pleague", "pdept")).exists()
    assert cube.rebuild(dry_run=True).cells > 0
    migration.add_province_main_cells(apps, None)
    assert cube.rebuild(dry_run=True).none
    for grain in ("pmain", "pleague", "pdept"):
        assert actual_main(grain) == expected_main(grain)
