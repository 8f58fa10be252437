"""The data dictionary: stable keys for export, API and import templates (docs/api.md lists them), with their
Chinese labels — the model's verbose names, declared once there."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy

from halfbuilt.core import crypto, pii

from .models import ApprovalLevel, Kind, Project, Stage, Status

# A flag as exports write it and the importer reads it back (data, not wording).
YES, NO = "是", "否"
UNASSIGNED = gettext_lazy("待指定")  # a project whose competent department the office has still to name

# Model fields behind keys whose name differs.
MODEL_FIELD = {"region_code": "region", "category_code": "category"}


@dataclass(frozen=True)
class Field:
    key: str
    type: str = "text"  # text | money | date | code | bool | choice | coord
    own_label: str = ""  # only where the dictionary names the key otherwise than the model names its field
    personal: str = ""  # personal information, masked where no duty needs it: core.pii.PHONE or NAME

    @property
    def label(self) -> str:
        return self.own_label or str(Project._meta.get_field(MODEL_FIELD.get(self.key, self.key)).verbose_name)


FIELDS: list[Field] = [
    Field("ledger_no", "code"),
    Field("project_code", "code"),
    Field("name"),
    Field("region_code", "code", own_label="所在地区代码"),
    Field("address"),
    Field("longitude", "coord"),
    Field("latitude", "coord"),
    Field("category_code", "code"),
    Field("department", "code"),
    Field("approval_level", "choice"),
    Field("approval_date", "date"),
    Field("approval_doc"),
    Field("high_impact", "bool"),
    Field("high_impact_reason"),
    Field("owner_unit"),
    Field("owner_uscc", "code"),
    Field("content"),
    Field("kind", "choice"),
    Field("total_investment", "money"),
    Field("completed_investment", "money"),
    Field("funds_in_place", "money"),
    Field("unpaid_amount", "money"),
    Field("start_date", "date"),
    Field("stop_date", "date"),
    Field("completion_date", "date"),
    Field("causes"),
    Field("responsible_unit"),
    Field("responsible_person", personal=pii.NAME),
    Field("phone", personal=pii.PHONE),
    Field("status", "choice"),
    Field("stage", "choice"),
    Field("classified", "bool"),
]
KEYS = [f.key for f in FIELDS]
# Longest text each text key takes: the column's length, and for the long texts (建设内容, 原因) a limit of ours.
LONG_TEXT_MAX = 10000
# The free texts stored without a column length of their own (a plan's facts, kept as JSON): one-line facts, and the
# long ones (续建方案, 处理结果) and lists of names. Forms, the API and the importer all take their limit from here.
LINE_TEXT_MAX = 200
NOTE_TEXT_MAX = 2000
TEXT_LIMITS = {f.key: Project._meta.get_field(f.key).max_length or LONG_TEXT_MAX for f in FIELDS if f.type == "text"}
LABELS = {f.key: f.label for f in FIELDS}
PERSONAL = {f.key: f.personal for f in FIELDS if f.personal}
# Model attributes behind keys whose name differs.
ATTRIBUTE = {"region_code": "region_id", "category_code": "category_id", "department": "department_id"}
CHOICE_LABELS = {
    "kind": dict(Kind.choices),
    "status": dict(Status.choices),
    "approval_level": dict(ApprovalLevel.choices),
    "stage": dict(Stage.choices),
}


def raw_value(project: Project, key: str, *, masked: bool = False):
    value = getattr(project, ATTRIBUTE.get(key, key))
    return pii.masked(PERSONAL[key], value) if masked and key in PERSONAL and value else value


def to_json_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    return value


def project_record(project: Project, *, masked: bool = True) -> dict:
    """Dictionary keys → JSON-ready values (money in 万元 as numbers, partial dates as ISO text); the personal
    ones masked unless the caller's duty needs them (`masked=False`)."""
    return {key: to_json_value(raw_value(project, key, masked=masked)) for key in KEYS}


def snapshot(project: Project) -> dict:
    """What the change log stores: exact values (money as strings so no digit is lost), personal ones encrypted
    as in the table (core/crypto.py)."""
    data = {}
    for key in KEYS:
        value = raw_value(project, key)
        data[key] = str(value) if isinstance(value, Decimal) else value
    return crypto.seal(data, PERSONAL)


def display_value(project: Project, key: str, *, masked: bool = True) -> str:
    """The value as a Chinese reader expects it in a table or export (personal ones masked unless asked)."""
    value = raw_value(project, key, masked=masked)
    if value is None or value == "":
        return ""
    if key in CHOICE_LABELS:
        return str(CHOICE_LABELS[key].get(value, value))
    if key == "department":
        return project.department.name if project.department_id else ""
    if key == "category_code":
        return f"{project.category_id} {project.category.name}"
    if key == "region_code":
        return f"{project.region_id} {project.region.full_name}"
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
