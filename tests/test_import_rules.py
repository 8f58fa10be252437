"""The importer's rules: all errors at once, all or nothing, re-import, scope, 待指定, classified."""

from decimal import Decimal

import pytest

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.intake.apply import apply_plan
from halfbuilt.ledger.intake.plan import ImportContext, build_plan
from halfbuilt.ledger.intake.reader import read_workbook
from halfbuilt.ledger.models import Project
from halfbuilt.regions.models import Region
from tests import messy_files

HEADER = ["项目名称", "项目代码", "所在地区", "项目类别", "类型", "总投资（万元）", "已完成投资（万元）", "涉密"]


def csv_file(tmp_path, rows, name="ledger.csv"):
    return messy_files.write_csv(tmp_path / name, rows=[HEADER, *rows])


def plan_for(path, user, region="150200"):
    ctx = ImportContext.for_user(Actor(user), Region.objects.get(code=region))
    return ctx, build_plan(read_workbook(path), ctx)


def do_import(path, user, region="150200"):
    ctx, plan = plan_for(path, user, region)
    assert plan.errors == [], plan.errors
    apply_plan(plan, ctx, batch="b1")
    return plan


def test_all_errors_at_once_with_sheet_row_and_column_as_written(tmp_path, users):
    path = messy_files.write_xlsx(tmp_path / "errors.xlsx", messy_files.ERROR_SHEETS)
    _, plan = plan_for(path, users["region"])
    found = [(e.sheet, e.row, e.column) for e in plan.errors]
    assert found == [(s, r, c) for s, r, c, _ in messy_files.ERROR_CELLS]
    for error, (_, _, _, word) in zip(plan.errors, messy_files.ERROR_CELLS, strict=True):
        assert word in error.message
    assert plan.summary()["rows"] == 12 and plan.summary()["errors"][0] == {
        "sheet": "停建项目", "row": 4, "column": "所在地区", "message": error_message(plan, 4)}


def error_message(plan, row):
    return next(e.message for e in plan.errors if e.row == row)


def test_nothing_is_written_when_any_row_is_wrong(tmp_path, users):
    path = messy_files.write_xlsx(tmp_path / "errors.xlsx", messy_files.ERROR_SHEETS)
    ctx, plan = plan_for(path, users["region"])
    assert len(plan.creates) == 1  # 好项目 alone would be fine
    with pytest.raises(ServiceError):
        apply_plan(plan, ctx, batch="b1")
    assert Project.objects.count() == 0 and ChangeLog.objects.count() == 0


def test_reimport_updates_changed_rows_and_counts_unchanged(tmp_path, users):
    rows = [
        ["东河区甲小学", "2018-150202-47-01-000001", "东河区", "教育", "停建", "1000", "400", "否"],
        ["东河区乙幼儿园", "", "东河区", "幼儿园", "停建", "800", "100", ""],
        ["昆都仑区丙医院", "", "昆都仑区", "医疗卫生", "闲置", "3000", "3000", ""],
    ]
    first = do_import(csv_file(tmp_path, rows), users["region"])
    assert (len(first.creates), len(first.updates), first.unchanged) == (3, 0, 0)
    school = Project.objects.get(name="东河区甲小学")
    rows[0][0] = "东河区甲小学新校区"  # renamed: still the same project by its code
    rows[1][5] = "850"  # matched by region + name
    second = do_import(csv_file(tmp_path, rows, "again.csv"), users["region"])
    assert (len(second.creates), len(second.updates), second.unchanged) == (0, 2, 1)
    school.refresh_from_db()
    assert school.name == "东河区甲小学新校区" and school.version == 2 and school.ledger_no.startswith("150202-")
    kindergarten = Project.objects.get(name="东河区乙幼儿园")
    assert kindergarten.total_investment == Decimal("850") and kindergarten.completed_investment == Decimal("100")
    log = ChangeLog.objects.get(project_id=kindergarten.pk, action="import_update")
    assert log.before == {"total_investment": "800.0000"} and log.after == {"total_investment": "850.0000"}
    assert Project.objects.count() == 3


def test_code_added_later_matches_the_project_registered_without_one(tmp_path, users):
    do_import(csv_file(tmp_path, [["东河区丁中学", "", "东河区", "教育", "停建", "100", "", ""]]), users["region"])
    plan = do_import(csv_file(tmp_path, [["东河区丁中学", "2019-150202-47-01-000009", "东河区", "教育", "停建", "100",
                                          "", ""]], "b.csv"), users["region"])
    assert len(plan.updates) == 1 and Project.objects.get().project_code == "2019-150202-47-01-000009"


def test_duplicate_rows_in_one_file_are_errors(tmp_path, users):
    _, plan = plan_for(csv_file(tmp_path, [
        ["同名项目", "", "东河区", "教育", "停建", "", "", ""],
        ["同名项目", "", "东河区", "教育", "停建", "", "", ""],
    ]), users["region"])
    assert [(e.row, e.column) for e in plan.errors] == [(3, "项目名称")] and "第2行" in plan.errors[0].message


def test_unassigned_department_is_not_an_error(tmp_path, users):
    plan = do_import(csv_file(tmp_path, [["东河区法院审判楼", "", "东河区", "业务技术用房", "停建", "", "", ""]]),
                     users["region"])
    assert plan.errors == [] and Project.objects.get().department_id is None


def test_region_outside_the_acting_region_is_refused_per_row(tmp_path, users):
    path = csv_file(tmp_path, [
        ["东河区项目", "", "东河区", "教育", "停建", "", "", ""],
        ["红山区项目", "", "赤峰市红山区", "教育", "停建", "", "", ""],
        ["昆都仑区项目", "", "昆都仑区", "教育", "停建", "", "", ""],
    ])
    _, plan = plan_for(path, users["county"], region="150202")  # Donghe's government
    assert [(e.row, e.column) for e in plan.errors] == [(3, "所在地区"), (4, "所在地区")]
    assert "不在包头市东河区的填报范围内" in plan.errors[1].message


def test_a_county_sheet_may_leave_the_region_out(tmp_path, users):
    rows = [["项目名称", "项目类别", "类型"], ["某小学", "教育", "停建"]]
    path = messy_files.write_csv(tmp_path / "c.csv", rows=rows)
    ctx, plan = plan_for(path, users["county"], region="150202")
    assert plan.errors == [] and plan.creates[0].values["region_id"] == "150202"
    _, plan = plan_for(path, users["region"], region="150200")
    assert [e.column for e in plan.errors] == ["所在地区"]


def test_a_code_held_by_a_project_the_importer_cannot_see_answers_as_unused(tmp_path, users, make_project):
    """Baotou cannot see Chifeng's project: its code is, for Baotou, unused — a new project, Chifeng's untouched
    (the clash goes to the office: tests/test_code_clashes.py)."""
    chifeng = make_project(name="赤峰项目", region_id="150402", project_code="2018-150402-47-01-000001")
    _, plan = plan_for(csv_file(tmp_path, [["赤峰项目", "2018-150402-47-01-000001", "东河区", "教育", "停建", "", "",
                                            ""]]), users["region"])
    assert plan.errors == [] and len(plan.creates) == 1 and plan.updates == []
    chifeng.refresh_from_db()
    assert chifeng.region_id == "150402"


def test_a_code_of_a_visible_project_outside_the_imports_region_is_not_touched(tmp_path, users, make_project):
    """Baotou sees Kundulun's project, but this import is Donghe's: the row may not change it, and is told so."""
    make_project(name="昆都仑项目", region_id="150203", project_code="2018-150203-47-01-000001")
    _, plan = plan_for(csv_file(tmp_path, [["昆都仑项目", "2018-150203-47-01-000001", "东河区", "教育", "停建", "", "",
                                            ""]]), users["region"], region="150202")
    assert len(plan.errors) == 1 and "无权修改" in plan.errors[0].message


def test_classified_flag_column(tmp_path, users):
    rows = [["某业务技术用房", "", "东河区", "业务技术用房", "停建", "500", "", "是"]]
    _, plan = plan_for(csv_file(tmp_path, rows + [["普通项目", "", "东河区", "教育", "停建", "", "", "否"]]),
                       users["region"])
    assert [(e.row, e.column) for e in plan.errors] == [(2, "涉密")]  # a region cannot file a classified project
    rows[0].append("内蒙古自治区公安厅")
    path = messy_files.write_csv(tmp_path / "gat.csv", rows=[[*HEADER, "主管部门"], *rows])
    do_import(path, users["department_gat"], region="150000")
    project = Project.objects.get()
    assert project.classified is True and project.department_id == "GAT"
    assert not Project.objects.restrict(users["office"]).exists()  # the office does not see it
    assert Project.objects.restrict(users["department_gat"]).get() == project


def test_department_submitter_is_bound_to_its_line(tmp_path, users):
    path = csv_file(tmp_path, [
        ["某学校", "", "东河区", "教育", "停建", "", "", ""],
        ["某敬老院", "", "东河区", "敬老院", "停建", "", "", ""],
    ])
    _, plan = plan_for(path, users["department_baotou"])
    assert [(e.row, e.column) for e in plan.errors] == [(3, "行业主管部门")]


def test_completed_greater_than_total_after_merge_with_stored_values(tmp_path, users):
    do_import(csv_file(tmp_path, [["某项目", "", "东河区", "教育", "停建", "100", "50", ""]]), users["region"])
    _, plan = plan_for(csv_file(tmp_path, [["某项目", "", "东河区", "教育", "停建", "", "150", ""]], "b.csv"),
                       users["region"])
    assert len(plan.errors) == 1 and "大于总投资" in plan.errors[0].message


def test_concurrent_edit_between_preview_and_apply_writes_nothing(tmp_path, users):
    do_import(csv_file(tmp_path, [["某项目", "", "东河区", "教育", "停建", "100", "50", ""]]), users["region"])
    ctx, plan = plan_for(csv_file(tmp_path, [["某项目", "", "东河区", "教育", "停建", "200", "50", ""],
                                             ["新项目", "", "东河区", "教育", "停建", "", "", ""]], "b.csv"),
                         users["region"])
    Project.objects.filter(name="某项目").update(version=5)  # someone saved in between
    with pytest.raises(ServiceError, match="他人修改"):
        apply_plan(plan, ctx, batch="b2")
    assert Project.objects.count() == 1 and Project.objects.get().total_investment == Decimal("100")


def test_no_header_and_no_rows(tmp_path, users):
    path = messy_files.write_csv(tmp_path / "x.csv", rows=[["随便写点什么"], ["没有表头"]])
    _, plan = plan_for(path, users["region"])
    assert len(plan.errors) == 1 and "未找到表头" in plan.errors[0].message
    _, plan = plan_for(messy_files.write_csv(tmp_path / "y.csv", rows=[HEADER]), users["region"])
    assert "没有项目数据" in plan.errors[0].message


def test_a_data_row_with_a_header_word_is_not_a_second_header_row(tmp_path, users):
    """审批层级 "盟市" is also a column name (盟市); the first data row must still be imported."""
    path = messy_files.write_csv(tmp_path / "l.csv", rows=[
        ["序号", "项目名称", "所在地区", "项目类别", "类型", "审批层级", "总投资（万元）"],
        ["1", "第一个项目", "东河区", "教育", "停建", "盟市", "100"],
        ["2", "第二个项目", "东河区", "教育", "停建", "旗县", "200"],
    ])
    _, plan = plan_for(path, users["region"])
    assert plan.errors == [] and [c.values["name"] for c in plan.creates] == ["第一个项目", "第二个项目"]
    assert plan.creates[0].values["approval_level"] == "prefecture"


def test_descriptions_keep_their_punctuation(tmp_path, users):
    path = messy_files.write_csv(tmp_path / "d.csv", rows=[
        ["项目名称", "所在地区", "项目类别", "类型", "建设内容及规模", "停建或未投用原因"],
        ["某项目", "东河区", "教育", "停建", "总建筑面积2万平方米，主体5层。", " 资金断链（拖欠工程款）\n"],
    ])
    _, plan = plan_for(path, users["region"])
    assert plan.creates[0].values["content"] == "总建筑面积2万平方米，主体5层。"
    assert plan.creates[0].values["causes"] == "资金断链（拖欠工程款）"
