"""The web import flow: upload → preview → confirm, as a region user; big files in the background;
jobs private to their uploader; the template and the error report."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from halfbuilt.audit.models import ChangeLog
from halfbuilt.ledger.models import ImportJob, Project
from tests import messy_files

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def login(client, user):
    client.force_login(user)
    return client


def upload(client, path, region="150200"):
    with open(path, "rb") as f:
        return client.post(reverse("ledger:import_upload"), {"region": region, "file": f})


@pytest.fixture
def files(tmp_path):
    return messy_files.write_all(tmp_path / "files")


def test_upload_preview_confirm_as_region_user(client, users, files):
    login(client, users["region"])
    page = client.get(reverse("ledger:import_upload"))
    assert page.status_code == 200 and "包头市东河区" in page.content.decode()
    response = upload(client, files["xlsx"])
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("ledger:import_preview", args=[job.pk])
    assert job.status == "ready" and job.result["created"] == 12 and Project.objects.count() == 0

    preview = client.get(response["Location"]).content.decode()
    assert "将新建" in preview and "12" in preview and "确认导入" in preview
    assert re.search(r'<button type="submit" class="button">确认导入', preview)  # enabled

    done = client.post(reverse("ledger:import_confirm", args=[job.pk]), follow=True)
    job.refresh_from_db()
    assert job.status == "done" and Project.objects.count() == 12
    body = done.content.decode()
    assert "导入完成" in body and reverse("ledger:project_list") in body
    assert ChangeLog.objects.filter(batch=str(job.pk), action="import_create").count() == 12
    assert set(ChangeLog.objects.values_list("username", flat=True)) == {users["region"].username}
    # Confirming twice does nothing more.
    client.post(reverse("ledger:import_confirm", args=[job.pk]))
    assert Project.objects.count() == 12


def test_errors_are_listed_with_cells_and_confirm_is_disabled(client, users, files):
    login(client, users["region"])
    upload(client, files["errors"])
    job = ImportJob.objects.get()
    assert job.status == "invalid" and len(job.result["errors"]) == len(messy_files.ERROR_CELLS)
    page = client.get(reverse("ledger:import_preview", args=[job.pk])).content.decode()
    assert "11 处错误" in page and "<td>B4</td>" in page and "东风区" in page
    assert re.search(r"<button[^>]*disabled[^>]*>确认导入", page)
    assert reverse("ledger:import_error_report", args=[job.pk]) in page
    client.post(reverse("ledger:import_confirm", args=[job.pk]))
    assert Project.objects.count() == 0


def test_error_report_marks_the_bad_cell(client, users, files):
    login(client, users["region"])
    upload(client, files["errors"])
    job = ImportJob.objects.get()
    response = client.get(reverse("ledger:import_error_report", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert workbook.sheet_names == ["错误汇总", "停建项目", "其他"]
    summary = workbook.get_sheet_by_name("错误汇总").to_python()
    assert summary[1][:4] == ["停建项目", 4.0, "所在地区", "B4"]
    sheet = workbook.get_sheet_by_name("停建项目").to_python(skip_empty_area=False)
    assert sheet[3][1] == "东风区"  # the county's row, where it was
    assert "东风区" in sheet[3][-1] and sheet[1][-1] == "错误说明"
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        comments = "".join(z.read(n).decode() for n in z.namelist() if "comments" in n)
        sheet_xml = z.read("xl/worksheets/sheet2.xml").decode()
        styles = z.read("xl/styles.xml").decode()
    assert 'ref="B4"' in comments and "东风区" in comments
    style = re.search(r'<c r="B4" s="(\d+)"', sheet_xml).group(1)  # a style of its own: the red fill
    assert style != "0" and "FFFFC7CE" in styles


def test_job_of_another_user_is_404(client, users, files, make_user, orgs):
    login(client, users["region"])
    upload(client, files["errors"])
    job = ImportJob.objects.get()
    colleague = make_user("region", orgs["region"])  # same organization, still not theirs
    client.logout()
    login(client, colleague)
    for name in ("import_preview", "import_status", "import_error_report"):
        assert client.get(reverse(f"ledger:{name}", args=[job.pk])).status_code == 404
    assert client.post(reverse("ledger:import_confirm", args=[job.pk])).status_code == 404


def test_big_file_runs_in_the_background_with_progress(client, users, tmp_path, settings, monkeypatch):
    from halfbuilt.ledger import tasks

    settings.IMPORT_BACKGROUND_ROWS = 10
    queued = []
    for name in ("analyse_import", "apply_import"):
        task = getattr(tasks, name)
        monkeypatch.setattr(tasks, name, lambda job_id, _t=task, _n=name: (queued.append(_n), _t(job_id)))
    login(client, users["region"])
    upload(client, messy_files.big_ledger(tmp_path / "big.xlsx", 50))
    job = ImportJob.objects.get()
    status = client.get(reverse("ledger:import_status", args=[job.pk])).json()
    assert status == {"status": "ready", "status_label": "待确认", "progress": 100, "running": False,
                      "rows": 50, "errors": 0}
    client.post(reverse("ledger:import_confirm", args=[job.pk]))
    assert queued == ["analyse_import", "apply_import"]
    assert Project.objects.count() == 50


def test_running_job_page_polls_status(client, users, files):
    login(client, users["region"])
    upload(client, files["csv_utf8"])
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status="analysing", progress=40)
    page = client.get(reverse("ledger:import_preview", args=[job.pk])).content.decode()
    # site.js follows the box's status address (no inline script: the Content-Security-Policy forbids it).
    assert 'value="40"' in page and 'id="job-progress"' in page
    assert f'data-status-url="{reverse("ledger:import_status", args=[job.pk])}"' in page


@pytest.mark.parametrize(("name", "content", "message"), [
    ("ledger.txt", b"abc", "不支持的文件类型"),
    ("ledger.xlsx", "项目名称,所在地区\n".encode(), "与扩展名"),
    ("ledger.xls", b"<html><table><tr><td>1</td></tr></table></html>", "网页格式"),
    ("ledger.csv", b"\x00\x01\x02\x03" * 10, "与扩展名"),
])
def test_bad_uploads_get_clear_chinese_errors(client, users, name, content, message):
    login(client, users["region"])
    response = client.post(reverse("ledger:import_upload"),
                           {"region": "150200", "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200 and message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_upload_size_limit(client, users, files, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0
    login(client, users["region"])
    response = upload(client, files["xlsx"])
    assert response.status_code == 200 and "超过 0 MB 的上限" in response.content.decode()


def test_region_must_be_one_the_user_may_submit_in(client, users, files):
    login(client, users["county"])  # Donghe's government
    page = client.get(reverse("ledger:import_upload")).content.decode()
    assert 'value="150202"' in page and 'value="150200"' not in page
    response = upload(client, files["csv_utf8"], region="150200")
    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_only_submitters_may_import(client, users):
    for role in ("unit", "auditor", "sysadmin"):
        client.logout()
        login(client, users[role])
        assert client.get(reverse("ledger:import_upload")).status_code == 403
        assert client.get(reverse("ledger:import_template")).status_code == 403


def test_template_has_chinese_headers_and_drop_downs(client, users, tmp_path):
    login(client, users["region"])
    response = client.get(reverse("ledger:import_template"))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert workbook.sheet_names == ["项目台账", "填表说明", "lists"]
    from python_calamine import SheetVisibleEnum

    assert workbook.sheets_metadata[2].visible == SheetVisibleEnum.Hidden
    headers = workbook.get_sheet_by_name("项目台账").to_python()[0]
    assert headers[:3] == ["*项目名称", "项目代码", "*所在地区"] and "总投资（万元）" in headers
    lists = workbook.get_sheet_by_name("lists").to_python()
    regions = [row[0] for row in lists[1:] if row[0]]
    assert "包头市东河区" in regions and "赤峰市红山区" not in regions
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert sheet.count("<dataValidation ") >= 3 and "lists!$A$2" in sheet
    # A filled-in template imports cleanly.
    path = tmp_path / "filled.xlsx"
    path.write_bytes(response.content)
    from halfbuilt.core.request_context import Actor
    from halfbuilt.ledger.intake.plan import ImportContext, build_plan
    from halfbuilt.ledger.intake.reader import read_workbook
    from halfbuilt.regions.models import Region

    sheets = read_workbook(path)
    sheets[0].rows = [*sheets[0].rows, ["模板项目", "", "包头市东河区", "", "", "", "A03 教育", "", "", "2018年6月"]
                      + [""] * 4 + ["未完工停建", 100]]
    plan = build_plan(sheets, ImportContext.for_user(Actor(users["region"]), Region.objects.get(code="150200")))
    assert plan.errors == [] and plan.creates[0].values["category_id"] == "A03"
    assert plan.creates[0].values["approval_date"] == "2018-06"
