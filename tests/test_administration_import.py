"""Importing users from a league's contact list: every error at once (sheet, row, column), nothing written
unless every row is valid, a preview then the confirmation; the template reads back."""

import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from python_calamine import CalamineWorkbook

from halfbuilt.accounts.models import Organization, User
from halfbuilt.administration.models import Credential
from halfbuilt.audit.models import ChangeLog

HEADERS = ["姓名", "登录名", "单位", "单位所在地区代码", "角色", "手机", "邮箱"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows: list[list], sheet: str = "联系人", title: str | None = "包头市报送名单") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    page = book.add_worksheet(sheet)
    start = 0
    if title:
        page.write(0, 0, title)
        start = 1
    for r, row in enumerate([HEADERS, *rows], start=start):
        for c, value in enumerate(row):
            page.write(r, c, value)
    book.close()
    return SimpleUploadedFile("名单.xlsx", buffer.getvalue(), content_type=XLSX)


@pytest.fixture
def admin(users):
    client = Client()
    client.force_login(users["sysadmin"])
    return client


def test_every_error_is_named_by_sheet_row_and_column_and_nothing_is_written(admin, users):
    before_users, before_log = User.objects.count(), ChangeLog.objects.count()
    upload = workbook([
        ["李明", "liming", "东河区第一中学", "150202", "责任单位", "13900000001", "liming@example.cn"],  # valid
        ["王芳", "unit_school", "东河区第一中学", "150202", "责任单位", "", ""],  # login taken
        ["赵强", "zhaoqiang", "东河区第一中学", "159999", "责任单位", "", ""],  # no such region
        ["钱进", "qianjin", "包头市东河区人民政府", "150202", "局长", "", ""],  # unknown role
        ["孙丽", "liming", "东河区第一中学", "150202", "责任单位", "1390", "不是邮箱"],  # duplicate, phone, e-mail
        ["", "zhou", "不存在的政府", "150202", "盟市/旗县", "", ""],  # no name; a government that does not exist
        ["吴刚", "wugang", "包头市东河区人民政府", "150202", "安全审计员", "", ""],  # an administrator
    ])
    response = admin.post("/administration/users/import/", {"file": upload})
    assert response.status_code == 200
    errors = [(e.sheet, e.row, e.column, e.message) for e in response.context["checked"].errors]
    assert errors == [
        ("联系人", 4, "登录名", "登录名“unit_school”已被使用"),
        ("联系人", 5, "单位所在地区代码", "地区代码“159999”不存在"),
        ("联系人", 6, "角色", "角色“局长”无法识别，应为领导小组办公室、行业主管部门、盟市/旗县或责任单位"),
        ("联系人", 7, "登录名", "登录名“liming”与联系人第 3 行重复"),
        ("联系人", 7, "手机", "手机号“1390”应为 11 位数字"),
        ("联系人", 7, "邮箱", "邮箱“不是邮箱”格式不正确"),
        ("联系人", 8, "姓名", "请填写姓名"),
        ("联系人", 8, "单位", "东河区没有单位“不存在的政府”；只有责任单位可在导入时新建"),
        ("联系人", 9, "角色", "管理员账户（三员）不能导入：由部署时在服务器上开设"),
    ]
    html = response.content.decode()
    assert "发现 9 处错误，未导入任何用户" in html and "确认导入" not in html
    assert (User.objects.count(), ChangeLog.objects.count()) == (before_users, before_log)
    # Nothing to confirm: the confirmation of an invalid file is refused.
    refused = admin.post("/administration/users/import/confirm/", {"token": "x"})
    assert refused.status_code == 302 and User.objects.count() == before_users


def test_a_missing_column_is_named(admin):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    page = book.add_worksheet("名单")
    for c, value in enumerate(["姓名", "登录名", "单位", "手机"]):
        page.write(0, c, value)
    page.write_row(1, 0, ["李明", "liming", "东河区第一中学", "13900000001"])
    book.close()
    upload = SimpleUploadedFile("名单.xlsx", buffer.getvalue(), content_type=XLSX)
    errors = admin.post("/administration/users/import/", {"file": upload}).context["checked"].errors
    assert [(e.sheet, e.row, e.column, e.message) for e in errors] == [
        ("名单", 1, "单位所在地区代码", "缺少“单位所在地区代码”列"), ("名单", 1, "角色", "缺少“角色”列")]


def test_an_unreadable_file_is_refused_at_the_file_field(admin):
    upload = SimpleUploadedFile("名单.xlsx", b"not a workbook", content_type=XLSX)
    response = admin.post("/administration/users/import/", {"file": upload})
    assert response.status_code == 200 and "file" in response.context["form"].errors


def test_a_valid_file_previews_then_creates_the_users_with_their_roles(admin, orgs, projects):
    upload = workbook([
        ["李明", "liming", "东河区第一中学", 150202, "责任单位", 13900000001, "liming@example.cn"],
        ["王芳", "wangfang", "东河区第三小学", "150202", "责任单位", "", ""],  # a new unit
        ["赵强", "zhaoqiang", "包头市东河区人民政府", "150202", "盟市/旗县", "", ""],
    ], title=None)
    preview = admin.post("/administration/users/import/", {"file": upload})
    assert preview.context["checked"].ok
    html = preview.content.decode()
    assert "全部 3 行无误" in html and "将同时新建以下责任单位：东河区第三小学（150202）" in html
    # a preview writes nothing
    assert not User.objects.filter(username__in=["liming", "wangfang", "zhaoqiang"]).exists()
    done = admin.post("/administration/users/import/confirm/", {"token": preview.context["token"]})
    assert done.status_code == 200
    made = {u.username: p for u, p in done.context["made"]}
    assert set(made) == {"liming", "wangfang", "zhaoqiang"}
    liming = User.objects.get(username="liming")
    assert (liming.first_name, liming.phone, liming.email) == ("李明", "13900000001", "liming@example.cn")
    assert [(a.role, a.organization_id) for a in liming.role_assignments.all()] == [("unit", orgs["unit"].pk)]
    new_unit = Organization.objects.get(name="东河区第三小学", region_id="150202")
    assert new_unit.kind == "unit"
    assert User.objects.get(username="zhaoqiang").role_assignments.get().organization == orgs["county"]
    assert Credential.objects.filter(user__username__in=made, must_change=True).count() == 3
    assert ChangeLog.objects.filter(action="user_create", via="import").count() == 3
    assert ChangeLog.objects.filter(action="org_create", object_id=str(new_unit.pk)).exists()
    # The imported user signs in with the temporary password shown once, and must change it first.
    client = Client()
    assert client.post("/accounts/login/", {"username": "liming", "password": made["liming"]}).status_code == 302
    assert client.get("/").url == "/password/?reason=reset"
    # The same confirmation cannot run twice.
    again = admin.post("/administration/users/import/confirm/", {"token": preview.context["token"]})
    assert again.status_code == 302 and User.objects.filter(username="liming").count() == 1


def test_the_template_has_the_columns_the_importer_reads(admin):
    response = admin.get("/administration/users/import/template.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    header = book.get_sheet_by_name("用户").to_python()[0]
    assert header == ["*姓名", "*登录名", "*单位", "*单位所在地区代码", "*角色", "手机", "邮箱"]
    empty = admin.post("/administration/users/import/", {
        "file": SimpleUploadedFile("模板.xlsx", response.content, content_type=XLSX)})
    assert "文件中没有用户" in empty.context["form"].errors["file"][0]
