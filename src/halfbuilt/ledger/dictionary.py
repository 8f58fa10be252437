"""The data dictionary (DESIGN.md): stable keys for export, API and import templates, with Chinese labels."""

from dataclasses import dataclass
from decimal import Decimal

from .models import ApprovalLevel, Kind, Project, Stage, Status


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: str = "text"  # text | money | date | code | bool | choice | coord


FIELDS: list[Field] = [
    Field("ledger_no", "台账编号", "code"),
    Field("project_code", "项目代码", "code"),
    Field("name", "项目名称"),
    Field("region_code", "所在地区代码", "code"),
    Field("address", "建设地点"),
    Field("longitude", "经度", "coord"),
    Field("latitude", "纬度", "coord"),
    Field("category_code", "项目类别", "code"),
    Field("department", "行业主管部门", "code"),
    Field("approval_level", "审批层级", "choice"),
    Field("approval_date", "审批时间", "date"),
    Field("approval_doc", "审批文号"),
    Field("owner_unit", "项目（建设）单位"),
    Field("owner_uscc", "建设单位统一社会信用代码", "code"),
    Field("content", "建设内容及规模"),
    Field("kind", "类型", "choice"),
    Field("total_investment", "总投资（万元）", "money"),
    Field("completed_investment", "已完成投资（万元）", "money"),
    Field("funds_in_place", "到位资金（万元）", "money"),
    Field("unpaid_amount", "欠付资金（万元）", "money"),
    Field("start_date", "开工时间", "date"),
    Field("stop_date", "停工时间", "date"),
    Field("completion_date", "竣工时间", "date"),
    Field("causes", "停建或未投用原因"),
    Field("responsible_unit", "责任单位"),
    Field("responsible_person", "责任人"),
    Field("phone", "联系电话"),
    Field("status", "状态", "choice"),
    Field("stage", "处置阶段", "choice"),
    Field("classified", "涉密", "bool"),
]
KEYS = [f.key for f in FIELDS]
LABELS = {f.key: f.label for f in FIELDS}
# Model attributes behind keys whose name differs.
ATTRIBUTE = {"region_code": "region_id", "category_code": "category_id", "department": "department_id"}
CHOICE_LABELS = {
    "kind": dict(Kind.choices),
    "status": dict(Status.choices),
    "approval_level": dict(ApprovalLevel.choices),
    "stage": dict(Stage.choices),
}


def raw_value(project: Project, key: str):
    return getattr(project, ATTRIBUTE.get(key, key))


def to_json_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    return value


def project_record(project: Project) -> dict:
    """Dictionary keys → JSON-ready values (money in 万元 as numbers, partial dates as ISO text)."""
    return {key: to_json_value(raw_value(project, key)) for key in KEYS}


def snapshot(project: Project) -> dict:
    """What the change log stores: exact values (money as strings so no digit is lost)."""
    data = {}
    for key in KEYS:
        value = raw_value(project, key)
        data[key] = str(value) if isinstance(value, Decimal) else value
    return data


def display_value(project: Project, key: str) -> str:
    """The value as a Chinese reader expects it in a table or export."""
    value = raw_value(project, key)
    if value is None or value == "":
        return ""
    if key in CHOICE_LABELS:
        return CHOICE_LABELS[key].get(value, value)
    if key == "department":
        return project.department.name if project.department_id else ""
    if key == "category_code":
        return f"{project.category_id} {project.category.name}"
    if key == "region_code":
        return f"{project.region_id} {project.region.full_name}"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
