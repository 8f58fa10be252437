"""Import of users from a league's contact list (.xlsx, .xls, .csv): every row checked, every error named by
sheet, row and column at once, nothing written unless all rows are valid; a preview, then the confirmation
writes them all in one transaction. The file is read by the ledger importer's reader and its errors are the
ledger importer's `Issue`s."""

from __future__ import annotations

import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts.models import Organization, OrgKind, Role, User
from halfbuilt.core import inputs
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.intake.plan import Issue
from halfbuilt.ledger.intake.reader import ReadError, Sheet, read_workbook
from halfbuilt.regions.models import Region

from . import services
from .headers import HEADER_ALIASES, ROLE_ALIASES, ROLE_SEPARATORS

# The template's columns, in order: key, header, whether required, note.
COLUMNS = (
    ("full_name", gettext_lazy("姓名"), True, gettext_lazy("必填")),
    ("username", gettext_lazy("登录名"), True, gettext_lazy("必填；字母、数字和 @.+-_，全系统唯一")),
    ("org_name", gettext_lazy("单位"), True, gettext_lazy("必填；单位全称。责任单位尚未建立的，导入时新建")),
    ("region_code", gettext_lazy("单位所在地区代码"), True, gettext_lazy("必填；6 位行政区划代码，如 150202")),
    ("role", gettext_lazy("角色"), True,
     gettext_lazy("必填；领导小组办公室、行业主管部门、盟市/旗县、责任单位，多个用顿号分隔")),
    ("phone", gettext_lazy("手机"), False, gettext_lazy("11 位手机号")),
    ("email", gettext_lazy("邮箱"), False, None),
)
LABELS = {key: label for key, label, _required, _note in COLUMNS}
REQUIRED = [key for key, _label, required, _note in COLUMNS if required]
IMPORTABLE_ROLES = {Role.OFFICE, Role.DEPARTMENT, Role.REGION, Role.UNIT}
USERNAME_RE = re.compile(r"^[\w.@+-]{1,150}$", re.ASCII)
PHONE_RE = re.compile(r"^1\d{10}$")
MAX_ROWS = 5000
HEADER_SCAN = 10  # the header row is among the first rows (a title line may come first)


@dataclass
class UserRow:
    sheet: str
    row: int
    full_name: str
    username: str
    org_name: str
    region_code: str
    roles: list[str]
    phone: str = ""
    email: str = ""
    new_org: bool = False  # a responsible unit not in the system yet: created with the user

    def stored(self) -> dict:
        return dict(self.__dict__)

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in self.roles]


@dataclass
class UserImport:
    rows: list[UserRow] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def new_orgs(self) -> list[tuple[str, str]]:
        return sorted({(r.org_name, r.region_code) for r in self.rows if r.new_org})


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code or a phone number typed as a number
    return str(value).strip()


def _match(header) -> str | None:
    text = re.sub(r"[\s*＊]", "", _cell(header))
    for key, names in HEADER_ALIASES.items():
        if text in names:
            return key
    return None


def _header(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(sheet.rows[:HEADER_SCAN]):
        found: dict[str, int] = {}
        for col, cell in enumerate(row):
            key = _match(cell)
            if key and key not in found:
                found[key] = col
        if len(found) >= 3:
            return index, found
    return None


def read(path: Path, ext: str | None = None, name: str | None = None) -> UserImport:
    """Check every row of the file; ReadError when it cannot be read at all."""
    result = UserImport()
    seen: dict[str, tuple[str, int]] = {}
    headed, counted, lookups = False, 0, _Lookups()
    for sheet in read_workbook(path, ext, name):
        found = _header(sheet)
        if found is None:
            continue  # an instructions sheet
        headed = True
        head, columns = found
        for key in REQUIRED:
            if key not in columns:
                result.errors.append(Issue(sheet.name, head + 1, str(LABELS[key]),
                                           _("缺少“{column}”列").format(column=LABELS[key])))
        if any(key not in columns for key in REQUIRED):
            continue
        for index in range(head + 1, len(sheet.rows)):
            values = {key: _cell(sheet.rows[index][col]) if col < len(sheet.rows[index]) else ""
                      for key, col in columns.items()}
            if not any(values.values()):
                continue
            counted += 1
            if counted > MAX_ROWS:
                raise ReadError(_("一次最多导入 {count} 个用户，请分成几个文件").format(count=MAX_ROWS))
            _check_row(result, sheet.name, index + 1, values, columns, seen, lookups)
    if not headed:
        raise ReadError(_("文件中没有找到表头：须有“姓名”“登录名”“单位”“单位所在地区代码”“角色”等列"))
    if not result.rows and not result.errors:
        raise ReadError(_("文件中没有用户"))
    return result


def _check_row(result: UserImport, sheet: str, number: int, values: dict, columns: dict, seen: dict,
               lookups: _Lookups) -> None:
    errors = []

    def fail(key: str, message: str) -> None:
        errors.append(Issue(sheet, number, str(LABELS[key]), message, columns.get(key)))

    checked = {}
    for key, limit in (("full_name", 150), ("username", 150), ("org_name", 100), ("phone", 20), ("email", 254)):
        try:
            checked[key] = inputs.text(values.get(key, ""), field=key, label=str(LABELS[key]), limit=limit,
                                       required=key in REQUIRED)
        except ServiceError as exc:
            fail(key, exc.message)
            checked[key] = ""
    username = checked["username"]
    if username:
        if not USERNAME_RE.match(username):
            fail("username", _("登录名“{username}”只能包含字母、数字和 @.+-_").format(username=username))
        elif username.lower() in seen:
            other_sheet, other_row = seen[username.lower()]
            fail("username", _("登录名“{username}”与{sheet}第 {row} 行重复").format(
                username=username, sheet=other_sheet, row=other_row))
        elif User.objects.filter(username__iexact=username).exists():
            fail("username", _("登录名“{username}”已被使用").format(username=username))
        seen.setdefault(username.lower(), (sheet, number))
    if checked["phone"] and not PHONE_RE.match(checked["phone"]):
        fail("phone", _("手机号“{phone}”应为 11 位数字").format(phone=checked["phone"]))
    if checked["email"]:
        try:
            validate_email(checked["email"])
        except ValidationError:
            fail("email", _("邮箱“{email}”格式不正确").format(email=checked["email"]))
    roles = _roles(values.get("role", ""), fail)
    code = values.get("region_code", "")
    region = lookups.region(code) if code else None
    if not code:
        fail("region_code", inputs.required_message(str(LABELS["region_code"])))
    elif region is None:
        fail("region_code", _("地区代码“{code}”不存在").format(code=code))
    new_org = False
    if region is not None and checked["org_name"] and roles:
        org = lookups.organization(checked["org_name"], region.code)
        if org is None and set(roles) == {Role.UNIT}:
            new_org = True
        elif org is None:
            fail("org_name", _("{region}没有单位“{org}”；只有责任单位可在导入时新建").format(
                region=region.name, org=checked["org_name"]))
        else:
            try:
                services.check_assignments([(role, org) for role in roles])
            except ServiceError as exc:
                fail("role", exc.message)
    if errors:
        result.errors.extend(errors)
        return
    result.rows.append(UserRow(sheet, number, checked["full_name"], username, checked["org_name"], code, roles,
                               checked["phone"], checked["email"], new_org))


class _Lookups:
    """Regions and organisations repeat down a contact list: each is read once per file."""

    def __init__(self) -> None:
        self.regions: dict[str, Region | None] = {}
        self.orgs: dict[tuple[str, str], Organization | None] = {}

    def region(self, code: str) -> Region | None:
        if code not in self.regions:
            self.regions[code] = Region.objects.filter(code=code).first()
        return self.regions[code]

    def organization(self, name: str, region_code: str) -> Organization | None:
        key = (name, region_code)
        if key not in self.orgs:
            self.orgs[key] = Organization.objects.filter(name=name, region_id=region_code).first()
        return self.orgs[key]


def _roles(text: str, fail) -> list[str]:
    if not text:
        fail("role", inputs.required_message(str(LABELS["role"])))
        return []
    roles = []
    for part in filter(None, re.split(f"[{re.escape(ROLE_SEPARATORS)}]+", text)):
        labels = {str(label): value for value, label in Role.choices}  # the three administrators' too
        role = ROLE_ALIASES.get(part) or labels.get(part) or (part if part in Role.values else None)
        if role is None:
            fail("role", _("角色“{role}”无法识别，应为领导小组办公室、行业主管部门、盟市/旗县或责任单位").format(
                role=part))
            return []
        if role not in IMPORTABLE_ROLES:
            fail("role", _("管理员账户（三员）不能导入：由部署时在服务器上开设"))
            return []
        roles.append(role)
    return list(dict.fromkeys(roles))


def read_upload(upload) -> UserImport:
    """The uploaded file, read from a temporary copy (the reader takes a path)."""
    suffix = Path(upload.name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        return read(Path(copy.name), suffix, upload.name)


@transaction.atomic
def apply(*, actor: Actor, rows: list[dict]) -> list[tuple[User, str]]:
    """Create every user of a checked import (stored rows), all or nothing; returns each with its temporary
    password. Rows are checked again: a login may have been taken since the preview."""
    made = []
    for data in rows:
        row = UserRow(**data)
        region = Region.objects.get(code=row.region_code)
        org = Organization.objects.filter(name=row.org_name, region=region).first()
        if org is None:
            org = services.create_organization(actor=actor, name=row.org_name, kind=OrgKind.UNIT, region=region)
        try:
            user, password = services.create_user(
                actor=actor, username=row.username, full_name=row.full_name, phone=row.phone, email=row.email,
                assignments=[(role, org) for role in row.roles])
        except ServiceError as exc:
            raise ServiceError(_("{sheet}第 {row} 行：{message}").format(
                sheet=row.sheet, row=row.row, message=exc.message)) from exc
        made.append((user, password))
    return made


def template() -> bytes:
    """The .xlsx to fill in: the headers with their notes, an instructions sheet."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = book.add_format({"num_format": "@"})
    sheet = book.add_worksheet(_("用户"))
    for col, (_key, label, required, note) in enumerate(COLUMNS):
        sheet.write(0, col, f"*{label}" if required else str(label), head)
        sheet.set_column(col, col, 22, text)
        if note:
            sheet.write_comment(0, col, str(note))
    sheet.freeze_panes(1, 0)
    notes = book.add_worksheet(_("填写说明"))
    for line, (_key, label, _required, note) in enumerate(COLUMNS):
        notes.write(line, 0, str(label))
        notes.write(line, 1, str(note or ""))
    notes.write(len(COLUMNS) + 1, 0, _("每个用户一行；导入的用户首次登录时须修改系统给出的临时密码。"))
    book.close()
    return buffer.getvalue()
