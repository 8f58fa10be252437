"""The importer writes nothing itself: it reads and checks a file and hands the rows to the ledger's bulk service
(`ledger.bulk`), which writes the projects and has the audit app write their change log."""

import re
from pathlib import Path

import pytest

import halfbuilt.ledger.intake as intake
from halfbuilt.accounts.models import Organization
from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger import bulk
from halfbuilt.ledger.intake import stream
from halfbuilt.ledger.intake.apply import apply_plan
from halfbuilt.ledger.intake.plan import ImportContext, build_plan
from halfbuilt.ledger.intake.reader import read_workbook
from halfbuilt.ledger.models import Project
from halfbuilt.regions.models import Region
from tests import messy_files

HEADER = ["项目名称", "项目代码", "所在地区", "项目类别", "类型", "总投资（万元）", "责任单位"]
FIRST = [["东河区甲小学", "2018-150202-47-01-000001", "东河区", "教育", "停建", "100", "东河区教育局"],
         ["东河区乙小学", "", "东河区", "教育", "停建", "200", ""]]
AGAIN = [["东河区甲小学", "2018-150202-47-01-000001", "东河区", "教育", "停建", "150", "东河区教育体育局"],
         ["东河区乙小学", "", "东河区", "教育", "停建", "200", ""],
         ["昆都仑区丙小学", "", "昆都仑区", "教育", "已竣工未投用", "", "昆都仑区教育局"]]


def context(user):
    return ImportContext.for_user(Actor(user, via="import"), Region.objects.get(code="150200"))


def run(path, user, how, batch):
    if how == "stream":
        return stream.import_sheets(read_workbook(path), context(user), batch=batch)
    plan = build_plan(read_workbook(path), context(user))
    apply_plan(plan, context(user), batch=batch)
    return plan


def state():
    return (list(Project.objects.order_by("pk").values()), ChangeLog.objects.count(), Organization.objects.count())


@pytest.mark.parametrize("how", ["stream", "plan"])
def test_with_the_bulk_service_stubbed_an_import_writes_nothing(tmp_path, users, monkeypatch, how):
    run(messy_files.write_csv(tmp_path / "first.csv", rows=[HEADER, *FIRST]), users["region"], how, "first")
    before = state()
    calls = []
    monkeypatch.setattr(bulk.ProjectImport, "create", lambda self, rows: calls.append(("create", rows)))
    monkeypatch.setattr(bulk.ProjectImport, "update", lambda self, changes: calls.append(("update", changes)))

    plan = run(messy_files.write_csv(tmp_path / "again.csv", rows=[HEADER, *AGAIN]), users["region"], how, "again")
    assert (len(plan.creates), len(plan.updates), plan.unchanged) == (1, 1, 1) and plan.errors == []
    assert state() == before  # no project, change-log entry or organization but through the service
    created = [row for kind, rows in calls if kind == "create" for row in rows]
    assert [(r["name"], r["region_id"], r["responsible_unit"]) for r in created] == [
        ("昆都仑区丙小学", "150203", "昆都仑区教育局")]
    (update,) = [change for kind, changes in calls if kind == "update" for change in changes]
    assert isinstance(update, bulk.ProjectChange) and update.after == {
        "total_investment": "150.0000", "responsible_unit": "东河区教育体育局"}
    assert update.id == Project.objects.get(name="东河区甲小学").pk


def test_a_plan_is_applied_through_import_projects(tmp_path, users, monkeypatch):
    seen = {}
    monkeypatch.setattr(bulk, "import_projects", lambda **kwargs: seen.update(kwargs))
    path = messy_files.write_csv(tmp_path / "first.csv", rows=[HEADER, *FIRST])
    ctx = context(users["region"])
    plan = build_plan(read_workbook(path), ctx)
    apply_plan(plan, ctx, batch="b")
    assert seen["actor"] == ctx.actor and seen["region"] == ctx.region and seen["batch"] == "b"
    assert [r["name"] for r in seen["creates"]] == ["东河区甲小学", "东河区乙小学"] and seen["updates"] == []
    assert not Project.objects.exists()


# Ways of writing a project, an organization or the change log; intake/ has none (its jobs.py records the
# progress of an ImportJob, which is the importer's own bookkeeping).
WRITES = re.compile(r"ChangeLog|record_change|bulk_create|bulk_update|\.copy\(|COPY |INSERT |UPDATE |DELETE |"
                    r"Organization\(|get_or_create|advisory|Project\.objects\.(create|update|filter\(.*\)\.update)")


def test_intake_has_no_write_of_its_own():
    found = []
    for path in sorted(Path(intake.__file__).parent.glob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WRITES.search(line):
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert found == []
