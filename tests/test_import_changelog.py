"""The change log of an import, entry by entry: every column as the importer wrote it before its writes moved
to the ledger's bulk service and the audit app's `record_changes` (the expected entries below were taken from
that importer). The same on both paths (one pass and plan + apply) and on both databases."""

import pytest

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core import crypto
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.dictionary import PERSONAL, snapshot
from halfbuilt.ledger.intake import stream
from halfbuilt.ledger.intake.apply import apply_plan
from halfbuilt.ledger.intake.headers import FIELD_LABELS
from halfbuilt.ledger.intake.plan import ImportContext, build_plan
from halfbuilt.ledger.intake.reader import read_workbook
from halfbuilt.ledger.models import Project
from halfbuilt.regions.models import Region
from tests import messy_files

KEYS = ["name", "project_code", "region", "address", "longitude", "latitude", "category", "approval_level",
        "approval_date", "approval_doc", "owner_unit", "content", "kind", "total_investment", "completed_investment",
        "funds_in_place", "unpaid_amount", "start_date", "stop_date", "completion_date", "causes",
        "responsible_unit", "responsible_person", "phone", "classified"]
FULL = {"name": "东河区甲小学", "project_code": "2018-150202-47-01-000001", "region": "东河区",
        "address": "东河区巴彦塔拉大街1号", "longitude": "109.98", "latitude": "40.59", "category": "教育",
        "approval_level": "旗县", "approval_date": "2018年6月", "approval_doc": "东发改〔2018〕1号",
        "owner_unit": "东河区教育局", "content": "教学楼一栋，建筑面积5000平方米", "kind": "停建",
        "total_investment": "1000", "completed_investment": "400.5", "funds_in_place": "300",
        "unpaid_amount": "100.25", "start_date": "2018-07", "stop_date": "2019年3月", "causes": "资金不到位",
        "responsible_unit": "东河区教育局", "responsible_person": "王伟", "phone": "13800000000", "classified": "否"}
MINIMAL = {"name": "东河区乙幼儿园", "region": "东河区", "category": "幼儿园", "kind": "已竣工未投用"}
HOSPITAL = {"name": "昆都仑区丙医院", "region": "昆都仑区", "category": "医疗卫生", "kind": "闲置",
            "total_investment": "3000", "completed_investment": "3000", "completion_date": "2020年5月",
            "causes": "配套不全", "responsible_unit": "昆都仑区卫健委"}

def ledger(tmp_path, rows, name):
    cells = [[row.get(k, "") for k in KEYS] for row in rows]
    return messy_files.write_csv(tmp_path / name, rows=[[FIELD_LABELS[k] for k in KEYS], *cells])


def run(path, user, batch, how):
    ctx = ImportContext.for_user(Actor(user, ip="10.0.0.9", via="import"), Region.objects.get(code="150200"))
    if how == "stream":
        plan = stream.import_sheets(read_workbook(path), ctx, batch=batch)
    else:
        plan = build_plan(read_workbook(path), ctx)
        apply_plan(plan, ctx, batch=batch)
    assert plan.errors == [], plan.errors
    return plan


def opened(values):
    """A logged snapshot with its personal values decrypted (the log keeps them encrypted, as the table does)."""
    for key in PERSONAL:
        if values and values.get(key):
            assert values[key].startswith(("sm4:", "aes:")), (key, "stored in clear")
    return crypto.unseal(values, PERSONAL)


def entries(batch, user):
    """The batch's entries, ids replaced by the project's name (ids depend on the database's sequences)."""
    names = dict(Project.objects.values_list("pk", "name"))
    result = []
    for e in ChangeLog.objects.filter(batch=batch).order_by("object_repr"):
        assert e.object_id == str(e.project_id) and e.user_id == user.pk
        result.append({"action": e.action, "username": e.username, "ip": e.ip, "via": e.via,
                       "object_type": e.object_type, "project": names[e.project_id], "object_repr": e.object_repr,
                       "classified": e.classified, "before": opened(e.before), "after": opened(e.after),
                       "reason": e.reason})
    return result


COMMON = {"username": "gov_baotou", "ip": "10.0.0.9", "via": "import", "object_type": "project", "reason": ""}
BLANK = {"address": "", "approval_date": "", "approval_doc": "", "approval_level": "", "causes": "",
         "completed_investment": None, "completion_date": "", "content": "", "funds_in_place": None, "latitude": None,
         "longitude": None, "owner_unit": "", "owner_uscc": "", "phone": "", "project_code": "",
         "responsible_person": "", "responsible_unit": "", "start_date": "", "stop_date": "",
         "total_investment": None, "unpaid_amount": None, "high_impact": False, "high_impact_reason": ""}
CREATED = [
    {**COMMON, "action": "import_create", "project": "东河区乙幼儿园", "object_repr": "东河区乙幼儿园",
     "classified": False, "before": None,
     "after": {**BLANK, "ledger_no": "150202-00002", "name": "东河区乙幼儿园", "region_code": "150202",
               "category_code": "A03", "department": "JYT", "kind": "idle", "status": "candidate", "stage": "",
               "classified": False}},
    {**COMMON, "action": "import_create", "project": "东河区甲小学", "object_repr": "东河区甲小学",
     "classified": False, "before": None,
     "after": {**BLANK, "ledger_no": "150202-00001", "project_code": "2018-150202-47-01-000001",
               "name": "东河区甲小学", "region_code": "150202", "address": "东河区巴彦塔拉大街1号",
               "longitude": "109.980000", "latitude": "40.590000", "category_code": "A03", "department": "JYT",
               "approval_level": "county", "approval_date": "2018-06", "approval_doc": "东发改〔2018〕1号",
               "owner_unit": "东河区教育局", "content": "教学楼一栋，建筑面积5000平方米", "kind": "stalled",
               "total_investment": "1000.0000", "completed_investment": "400.5000", "funds_in_place": "300.0000",
               "unpaid_amount": "100.2500", "start_date": "2018-07", "stop_date": "2019-03", "causes": "资金不到位",
               "responsible_unit": "东河区教育局", "responsible_person": "王伟", "phone": "13800000000",
               "status": "candidate", "stage": "", "classified": False}},
    {**COMMON, "action": "import_create", "project": "昆都仑区丙医院", "object_repr": "昆都仑区丙医院",
     "classified": False, "before": None,
     "after": {**BLANK, "ledger_no": "150203-00001", "name": "昆都仑区丙医院", "region_code": "150203",
               "category_code": "A05", "department": "WJW", "kind": "idle", "total_investment": "3000.0000",
               "completed_investment": "3000.0000", "completion_date": "2020-05", "causes": "配套不全",
               "responsible_unit": "昆都仑区卫健委", "status": "candidate", "stage": "", "classified": False}},
]
UPDATED = [
    {**COMMON, "action": "import_update", "project": "东河区乙幼儿园", "object_repr": "东河区乙幼儿园",
     "classified": False, "before": {"address": "", "completion_date": ""},
     "after": {"address": "东河区和平路2号", "completion_date": "2021-09"}},
    {**COMMON, "action": "import_update", "project": "东河区甲小学新校区", "object_repr": "东河区甲小学新校区",
     "classified": False,
     "before": {"name": "东河区甲小学", "region_code": "150202", "total_investment": "1000.0000",
                "responsible_unit": "东河区教育局"},
     "after": {"name": "东河区甲小学新校区", "region_code": "150203", "total_investment": "1200.0000",
               "responsible_unit": "东河区教育体育局"}},
]


@pytest.mark.parametrize("how", ["stream", "plan"])
def test_the_change_log_of_an_import_and_a_re_import(tmp_path, users, how):
    user = users["region"]
    run(ledger(tmp_path, [FULL, MINIMAL, HOSPITAL], "first.csv"), user, "first", how)
    assert entries("first", user) == CREATED
    for project in Project.objects.all():
        assert opened(ChangeLog.objects.get(batch="first", project_id=project.pk).after) == opened(snapshot(project))

    school = {**FULL, "name": "东河区甲小学新校区", "region": "昆都仑区", "total_investment": "1200",
              "responsible_unit": "东河区教育体育局"}
    kindergarten = {**MINIMAL, "address": "东河区和平路2号", "completion_date": "2021年9月"}
    plan = run(ledger(tmp_path, [school, kindergarten, HOSPITAL], "again.csv"), user, "again", how)
    assert (len(plan.creates), len(plan.updates), plan.unchanged) == (0, 2, 1)
    assert entries("again", user) == UPDATED
    moved = Project.objects.select_related("responsible_org").get(name="东河区甲小学新校区")
    assert moved.version == 2 and (moved.region_id, moved.prefecture_id) == ("150203", "150200")
    assert (moved.responsible_org.name, moved.responsible_org.region_id) == ("东河区教育体育局", "150203")


@pytest.mark.parametrize("how", ["stream", "plan"])
def test_a_re_import_that_classifies_a_project_hides_its_history(tmp_path, users, how):
    """Its earlier entries take the new flag in the import's transaction (issue 8: the audit search showed them)."""
    user = users["department_gat"]
    station = {"name": "东河区某派出所业务用房", "region": "东河区", "category": "业务技术用房", "kind": "停建",
               "department": "内蒙古自治区公安厅", "classified": "否"}
    keys = [*KEYS, "department"]
    write = lambda rows, name: messy_files.write_csv(  # noqa: E731
        tmp_path / name, rows=[[FIELD_LABELS[k] for k in keys], *[[r.get(k, "") for k in keys] for r in rows]])
    run(write([station], "first.csv"), user, "first", how)
    project = Project.objects.get(name=station["name"])
    assert not ChangeLog.objects.filter(project_id=project.pk, classified=True).exists()
    run(write([{**station, "classified": "是"}], "again.csv"), user, "again", how)
    assert Project.objects.get(pk=project.pk).classified
    flags = set(ChangeLog.objects.filter(project_id=project.pk).values_list("batch", "classified"))
    assert flags == {("first", True), ("again", True)}
