"""Request and response shapes of the API, named by the data dictionary's keys (docs/api.md).

Input types are deliberately loose (money as a number or as text such as "1260" or "1260万元", a year
as 2018 or "2018"): the data dictionary's rules in `payload.py` do the checking and speak Chinese.
"""

from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field

Money = float | int | str | None
# Every integer the API takes fits the database's bigint: a larger one is refused naming its key (400 in the
# query, 422 in a body), never an overflow in the query.
DB_INT_MAX = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
DbInt = Annotated[int, Field(ge=-DB_INT_MAX, le=DB_INT_MAX)]
PartialDate = str | int | None


class Error(Schema):
    detail: str = Field(description="中文错误说明")


class FieldError(Schema):
    field: str = Field(description="出错的字段（数据字典键名）；整体错误时为空串")
    message: str = Field(description="中文错误说明")


class FieldErrors(Schema):
    detail: list[FieldError]


class BadRequest(Schema):
    """400: a sentence, or (a parameter of the wrong type or range, a NUL) the list naming each key."""

    detail: str | list[FieldError]


class ProjectFields(Schema):
    """Every writable key of the data dictionary; `ledger_no` and `status` are the system's."""

    model_config = ConfigDict(extra="forbid")

    project_code: str | None = Field(None, description="项目代码 YYYY-RRRRRR-DD-TT-NNNNNC")
    name: str | None = Field(None, description="项目名称")
    region_code: str | None = Field(None, description="所在地区的行政区划代码，如 150202")
    address: str | None = None
    longitude: float | str | None = None
    latitude: float | str | None = None
    category_code: str | None = Field(None, description="项目类别代码 A01..B07")
    department: str | None = Field(
        None, description="行业主管部门代码（如 JYT）；新建时省略则取类别的默认部门，null 表示待指定"
    )
    approval_level: str | None = Field(None, description="region / prefecture / county")
    approval_date: PartialDate = Field(None, description='"YYYY"、"YYYY-MM" 或 "YYYY-MM-DD"')
    approval_doc: str | None = None
    high_impact: bool | None = Field(None, description="影响较大（超出起底范围的项目须标记并说明理由）")
    high_impact_reason: str | None = Field(None, description="影响较大的理由")
    owner_unit: str | None = None
    owner_uscc: str | None = None
    content: str | None = None
    kind: str | None = Field(None, description="stalled（未完工停建）/ idle（已竣工未投用）")
    total_investment: Money = Field(None, description="万元，数字或文本")
    completed_investment: Money = Field(None, description="万元")
    funds_in_place: Money = Field(None, description="万元")
    unpaid_amount: Money = Field(None, description="万元")
    start_date: PartialDate = None
    stop_date: PartialDate = None
    completion_date: PartialDate = None
    causes: str | None = None
    responsible_unit: str | None = None
    responsible_person: str | None = None
    phone: str | None = None
    classified: bool | None = None


class ProjectCreate(ProjectFields):
    name: str = Field(description="项目名称")
    region_code: str = Field(description="所在地区的行政区划代码，如 150202")
    category_code: str = Field(description="项目类别代码 A01..B07")
    kind: str = Field(description="stalled（未完工停建）/ idle（已竣工未投用）")


class ProjectPatch(ProjectFields):
    version: int = Field(description="读取时的 version；他人已保存新版本时返回 409")
    reason: str = Field("", description="修改理由，记入变更日志")


class TransitionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field("", description="理由；不予认定（reject）和作废（void）必填")


class ProjectOut(Schema):
    id: int
    version: int
    ledger_no: str
    project_code: str
    name: str
    region_code: str
    address: str
    longitude: float | None
    latitude: float | None
    category_code: str
    department: str | None
    approval_level: str
    approval_date: str
    approval_doc: str
    high_impact: bool
    high_impact_reason: str
    owner_unit: str
    owner_uscc: str
    content: str
    kind: str
    total_investment: int | float | None
    completed_investment: int | float | None
    funds_in_place: int | float | None
    unpaid_amount: int | float | None
    start_date: str
    stop_date: str
    completion_date: str
    causes: str
    responsible_unit: str
    responsible_person: str
    phone: str
    status: str
    stage: str = Field("", description="处置阶段：空（未开始）、planning、disposing、closing、closed")
    classified: bool


class ProjectDetail(ProjectOut):
    region_name: str
    category_name: str
    department_name: str
    status_reason: str
    created_at: str
    updated_at: str
    allowed_actions: list[str] = Field(description="当前用户现在可执行的状态操作")
    warnings: list[FieldError] = Field(default_factory=list, description="不阻止保存的提示，如信用代码校验位不符")


class ProjectPage(Schema):
    results: list[ProjectOut]
    next: str | None = Field(description="下一页的完整地址；最后一页为 null")
    count: int | None = Field(None, description="符合条件的总数；仅在请求带 count=true 时计算")


class RegionOut(Schema):
    code: str
    name: str
    parent_code: str | None
    level: str
    is_functional_zone: bool


class CategoryOut(Schema):
    code: str
    group: str
    name: str
    examples: str
    default_department: str | None
