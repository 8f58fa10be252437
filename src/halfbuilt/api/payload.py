"""Turn an API body keyed by the data dictionary into the services' data, with the ledger's rules.

Every problem is collected (not only the first), each named by its key, in Chinese.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from halfbuilt.core import inputs
from halfbuilt.core.errors import ServiceError
from halfbuilt.ledger import codes, rules
from halfbuilt.ledger.dictionary import LABELS, TEXT_LIMITS
from halfbuilt.ledger.models import ApprovalLevel, Kind, Project
from halfbuilt.regions.models import Category, Department, Region

SINGLE_LINE = ["name", "address", "approval_doc", "high_impact_reason",
               "owner_unit", "responsible_unit", "responsible_person", "phone"]
MULTI_LINE = ["content", "causes"]
MONEY = ["total_investment", "completed_investment", "funds_in_place", "unpaid_amount"]
DATES = ["approval_date", "start_date", "stop_date", "completion_date"]
REQUIRED = ["name", "region_code", "category_code", "kind"]
# Service (model) field name → data-dictionary key, for errors raised by the services.
KEY_OF_FIELD = {"region": "region_code", "category": "category_code"}
COORD_RANGE = {"longitude": Decimal(180), "latitude": Decimal(90)}


class PayloadError(Exception):
    def __init__(self, errors: list[dict[str, str]]):
        super().__init__(errors)
        self.errors = errors


def _choice(value: str, choices: type, label: str) -> str:
    by_label = {str(lbl): key for key, lbl in choices.choices}
    if value in choices.values:
        return value
    if value in by_label:
        return by_label[value]
    allowed = "、".join(f"{key}（{lbl}）" for key, lbl in choices.choices)
    raise ValueError(_("{label}“{value}”无效，应为 {allowed}").format(label=label, value=value, allowed=allowed))


def _coordinate(value, key: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(_("{label}应为数字").format(label=LABELS[key])) from exc
    if not number.is_finite() or abs(number) > COORD_RANGE[key]:
        raise ValueError(
            _("{label}应在 ±{range} 度之间").format(label=LABELS[key], range=COORD_RANGE[key]),
        )
    return number.quantize(Decimal("0.000001"))


def _text(key: str, value) -> str:
    text = rules.clean_text(value) if key in SINGLE_LINE else (value or "").strip()
    limit = TEXT_LIMITS.get(key)
    if limit and len(text) > limit:
        raise ValueError(inputs.too_long_message(LABELS[key], limit, len(text)))
    return text


def _convert(key: str, value, data: dict, warnings: list[dict[str, str]]) -> None:
    """Put the clean value of one key into `data` (under the model's field name) or raise ValueError."""
    if key in REQUIRED and (value is None or rules.clean_text(value) == ""):
        raise ValueError(inputs.required_message(LABELS[key]))
    if key in SINGLE_LINE or key in MULTI_LINE:
        data[key] = _text(key, value)
    elif key in MONEY:
        data[key] = rules.parse_money(value)
    elif key in DATES:
        data[key] = rules.parse_partial_date(value)
    elif key in COORD_RANGE:
        data[key] = _coordinate(value, key)
    elif key in ("classified", "high_impact"):
        data[key] = bool(value)
    elif key == "kind":
        data[key] = _choice(rules.clean_text(value), Kind, _("类型"))
    elif key == "approval_level":
        text = rules.clean_text(value)
        data[key] = _choice(text, ApprovalLevel, _("审批层级")) if text else ""
    elif key == "region_code":
        code = rules.clean_text(value)
        region = Region.objects.select_related("parent").filter(code=code).first()
        if region is None:
            raise ValueError(_("地区代码“{code}”不存在，应为 6 位行政区划代码，如 150202").format(code=code))
        data["region"] = region
    elif key == "category_code":
        code = rules.clean_text(value).upper()
        category = Category.objects.filter(code=code).first()
        if category is None:
            raise ValueError(_("项目类别“{code}”不存在，应为 A01..B07 之类的类别代码").format(code=code))
        data["category"] = category
    elif key == "department":
        code = rules.clean_text(value).upper()
        department = Department.objects.filter(code=code).first() if code else None
        if code and department is None:
            raise ValueError(_("行业主管部门代码“{code}”不存在").format(code=code))
        data["department"] = department
    elif key == "project_code":
        data[key] = rules.check_project_code(value or "")
    elif key == "owner_uscc":
        code, warning = rules.check_uscc(value or "")
        data[key] = code
        if warning:
            warnings.append({"field": key, "message": warning})


def clean_payload(raw: dict, *, user, project: Project | None = None) -> tuple[dict, list[dict[str, str]]]:
    """(service data, warnings) from the keys given by `user`; `project` is None when creating.

    Raises PayloadError with every problem found.
    """
    data: dict = {}
    errors: list[dict[str, str]] = []
    warnings: list[dict[str, str]] = []
    if project is None:
        errors += [
            {"field": key, "message": _("{label}必填").format(label=LABELS[key])} for key in REQUIRED if key not in raw
        ]
    for key, value in raw.items():
        try:
            _convert(key, value, data, warnings)
        except ValueError as exc:
            errors.append({"field": key, "message": str(exc)})
    code = data.get("project_code")
    if code and (project is None or code != project.project_code):
        try:
            codes.check_code_free(code, project.pk if project is not None else None, user)
        except ServiceError as taken:
            errors.append({"field": "project_code", "message": taken.message})
    if project is None and "department" not in raw and "category" in data:
        data["department"] = data["category"].default_department
    if errors:
        raise PayloadError(errors)
    return data, warnings


def key_of(field: str | None) -> str:
    return KEY_OF_FIELD.get(field or "", field or "")
