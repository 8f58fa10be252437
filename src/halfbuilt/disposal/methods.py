"""The work plan's five disposal methods (§四（二）1–5): one schema and rule set per method.

A plan's `facts` (JSON) hold what each method needs to know. Each method is a `MethodRules` with its
fields (key, Chinese label, kind) and its rules:
- `clean(raw)` parses and checks the facts typed into the form or sent to the API; hard rules (e.g. 依法拆除
  refused when relocation is involved) are refused here, on every save.
- `confirm_errors(plan)` lists what the office may not confirm without (e.g. 复工续建's continuing entity).

Stored values are JSON: dates as ISO strings, money as exact decimal strings in 万元, choices as codes.
Messages are Chinese and name the field; the error's `field` is `facts.<key>`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.core.errors import ServiceError
from halfbuilt.core.formatting import money
from halfbuilt.core.inputs import too_long_message
from halfbuilt.ledger.dictionary import LINE_TEXT_MAX, NOTE_TEXT_MAX
from halfbuilt.ledger.rules import clean_text, parse_money

from .models import Method

# Keys the services write (never the form or the API): carried over on every save.
SYSTEM_KEYS = {"resumed_date", "proceeds_to_debts"}


class FactError(ServiceError):
    def __init__(self, key: str, message: str):
        super().__init__(message, field=f"facts.{key}")
        self.key = key


@dataclass(frozen=True)
class FactField:
    key: str
    label: str
    kind: str  # text | longtext | date | bool | choice | money | list
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""

    def choice_label(self, code: str) -> str:
        return str(dict(self.choices).get(code, code))  # a str: it goes into the change log's JSON


def _parse_date(value, label: str) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = clean_text(value).replace("/", "-").replace(".", "-")
    match = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日?", text)
    if match:
        text = "-".join(match.groups())
    try:
        year, month, day = (int(p) for p in text.split("-"))
        return dt.date(year, month, day).isoformat()
    except (ValueError, TypeError):
        raise ValueError(
            _("{label}“{value}”不是有效日期，应写作 2023-05-20").format(label=label, value=clean_text(value)),
        ) from None


def _parse_bool(value, label: str) -> bool:
    if isinstance(value, bool):
        return value
    text = clean_text(value).lower()
    if text in {"true", "1", "是", "yes", "on", "y"}:
        return True
    if text in {"false", "0", "否", "no", "off", "n", ""}:
        return False
    raise ValueError(_("{label}应为“是”或“否”").format(label=label))


def _parse_choice(value, field: FactField) -> str:
    text = clean_text(value)
    codes = dict(field.choices)
    if text in codes:
        return text
    by_label = {str(label): code for code, label in field.choices}
    if text in by_label:
        return by_label[text]
    allowed = "、".join(str(label) for _code, label in field.choices)
    raise ValueError(_("{label}“{text}”无效，应为：{allowed}").format(label=field.label, text=text, allowed=allowed))


def _parse_list(value, label: str) -> list[str]:
    if isinstance(value, list | tuple):
        items = [clean_text(v) for v in value]
    elif isinstance(value, str):
        items = [clean_text(v) for v in re.split(r"[\n、,，;；]", value)]
    else:
        raise ValueError(_("{label}应为名称列表").format(label=label))
    return [item for item in items if item]


def parse_value(field: FactField, value):
    """One typed-in value → its stored JSON form; empty → None (or False / [] for flags and lists)."""
    if field.kind == "bool":
        return _parse_bool(value, field.label)
    if field.kind == "list":
        items = [] if value in (None, "") else _parse_list(value, field.label)
        _within(field, "、".join(items), NOTE_TEXT_MAX)
        return items
    if value is None or (isinstance(value, str) and not clean_text(value)):
        return None
    if field.kind == "date":
        return _parse_date(value, field.label)
    if field.kind == "choice":
        return _parse_choice(value, field)
    if field.kind == "money":
        amount = parse_money(value)  # exact Decimal in 万元; refuses negatives, NaN and words
        return None if amount is None else format(amount.normalize(), "f")  # "0.1", "100": exact, no exponent
    text = value if isinstance(value, str) else str(value)
    if field.kind == "longtext":
        return _within(field, text.strip(), NOTE_TEXT_MAX)
    return _within(field, clean_text(text), LINE_TEXT_MAX)


def _within(field: FactField, text: str, limit: int) -> str:
    if len(text) > limit:
        raise ValueError(too_long_message(field.label, limit, len(text)))
    return text


def display_value(field: FactField, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if field.kind == "bool":
        return _("是") if value else _("否")
    if field.kind == "choice":
        return field.choice_label(value)
    if field.kind == "list":
        return "、".join(value)
    if field.kind == "money":
        return _("{money}万元").format(money=money(value))
    return str(value)


class MethodRules:
    method: str = ""
    fields: tuple[FactField, ...] = ()

    @property
    def label(self) -> str:
        return str(Method(self.method).label)

    def field(self, key: str) -> FactField:
        return next(f for f in self.fields if f.key == key)

    def clean(self, raw: dict | None, *, previous: dict | None = None) -> dict:
        """Parse every field, refuse unknown keys, then apply the method's rules. Returns the stored facts."""
        raw = dict(raw or {})
        known = {f.key for f in self.fields}
        for key in raw:
            if key in SYSTEM_KEYS:
                continue
            if key not in known:
                names = "、".join(f"{f.key}（{f.label}）" for f in self.fields)
                raise FactError(
                    key,
                    _("“{key}”不是“{label}”的要素，可填写：{names}").format(key=key, label=self.label, names=names),
                )
        facts: dict = {}
        for field in self.fields:
            try:
                facts[field.key] = parse_value(field, raw.get(field.key))
            except ValueError as exc:
                raise FactError(field.key, f"{self.label}·{exc}") from None
        for key in SYSTEM_KEYS:
            if previous and key in previous:
                facts[key] = previous[key]
        self.rules(facts)
        return facts

    def rules(self, facts: dict) -> None:
        """Hard rules, checked on every save."""

    def confirm_errors(self, plan) -> list[FactError]:
        """What the office may not confirm without."""
        return []

    def submit_errors(self, plan) -> list[FactError]:
        """What a plan must state before it goes to review."""
        return []

    def require(self, facts: dict, *keys: str) -> list[FactError]:
        return [
            FactError(key, _("{method}方案须填写“{field}”").format(method=self.label, field=self.field(key).label))
            for key in keys if facts.get(key) in (None, "", [])
        ]


class Procedures(MethodRules):
    """完善手续: the missing procedures are `Procedure` rows, each tracked to done."""

    method = Method.PROCEDURES
    fields = (
        FactField("central_approval_needed", gettext_lazy("需中央或国家有关部门批准"), "bool",
                  help=gettext_lazy("需要中央或国家相关部门批准的，按国家要求履行报批手续")),
        FactField("central_approval_note", gettext_lazy("报批情况"), "longtext"),
    )

    def submit_errors(self, plan) -> list[FactError]:
        if plan.pk and plan.procedures.exists():
            return []
        return [FactError("procedures", _("完善手续方案须列出至少一项待补手续"))]


CONCLUSIONS = (
    ("qualified", gettext_lazy("合格")), ("basically_qualified", gettext_lazy("基本合格")),
    ("unqualified", gettext_lazy("不合格")),
)
PASSING = {"qualified", "basically_qualified"}


class Resume(MethodRules):
    """复工续建: appraisal first, confirmed by the construction authority; entity and completion date committed."""

    method = Method.RESUME
    fields = (
        FactField("appraisal_date", gettext_lazy("安全质量评估鉴定日期"), "date"),
        FactField("appraisal_agency", gettext_lazy("评估鉴定机构"), "text"),
        FactField("appraisal_conclusion", gettext_lazy("评估鉴定结论"), "choice", CONCLUSIONS),
        FactField("authority_confirmed_by", gettext_lazy("施工主管部门确认单位"), "text"),
        FactField("authority_confirmed_date", gettext_lazy("施工主管部门确认日期"), "date"),
        FactField("continuation_plan", gettext_lazy("续建方案"), "longtext"),
        FactField("continuing_entity", gettext_lazy("续建主体"), "text"),
        FactField("committed_completion_date", gettext_lazy("承诺竣工时限"), "date"),
    )

    def rules(self, facts: dict) -> None:
        appraisal = ("appraisal_date", "appraisal_agency", "appraisal_conclusion")
        if any(facts[k] for k in appraisal):
            for key in appraisal:
                if not facts[key]:
                    message = _("复工续建·评估鉴定须同时填写日期、机构和结论，缺“{label}”")
                    raise FactError(key, message.format(label=self.field(key).label))
        authority = ("authority_confirmed_by", "authority_confirmed_date")
        if any(facts[k] for k in authority):
            for key in authority:
                if not facts[key]:
                    label = self.field(key).label
                    raise FactError(
                        key, _("复工续建·施工主管部门确认须同时填写确认单位和日期，缺“{label}”").format(label=label),
                    )
            if not facts["appraisal_date"]:
                raise FactError(
                    "authority_confirmed_date", _("复工续建·施工主管部门确认须在安全质量评估鉴定之后，请先填写评估鉴定")
                )
            if facts["authority_confirmed_date"] < facts["appraisal_date"]:
                raise FactError("authority_confirmed_date", _("复工续建·施工主管部门确认日期不能早于评估鉴定日期"))

    def confirm_errors(self, plan) -> list[FactError]:
        return self.require(plan.facts, "continuing_entity", "committed_completion_date")

    def resumption_errors(self, facts: dict, date: dt.date) -> list[FactError]:
        """Work may resume only after a passing appraisal confirmed by the construction authority."""
        if not facts.get("appraisal_date"):
            return [FactError("appraisal_date", _("未经安全质量评估鉴定，不能复工续建"))]
        if facts.get("appraisal_conclusion") not in PASSING:
            label = self.field("appraisal_conclusion").choice_label(facts.get("appraisal_conclusion") or "")
            return [
                FactError(
                    "appraisal_conclusion", _("评估鉴定结论为“{label}”，不符合要求，不能复工续建").format(label=label),
                ),
            ]
        if not facts.get("authority_confirmed_date"):
            return [FactError("authority_confirmed_date", _("评估鉴定尚未经施工主管部门确认，不能复工续建"))]
        if date.isoformat() < facts["authority_confirmed_date"]:
            return [FactError("resumed_date", _("复工日期不能早于施工主管部门确认日期"))]
        return []


class Revitalise(MethodRules):
    """引导盘活: debt restructuring, bankruptcy, social capital, acquisition, financial instruments."""

    method = Method.REVITALISE
    fields = (
        FactField("route", gettext_lazy("盘活路径"), "choice", (
            ("debt_restructuring", gettext_lazy("债务重组")), ("bankruptcy", gettext_lazy("破产清算")),
            ("social_capital", gettext_lazy("社会资本合作")),
            ("acquisition", gettext_lazy("收购续建开发")), ("financial_instruments", gettext_lazy("金融工具")),
        )),
        FactField("counterparties", gettext_lazy("合作方"), "list", help=gettext_lazy("多个以顿号或换行分隔")),
        FactField("new_funds", gettext_lazy("新增资金（万元）"), "money"),
        FactField("funds_source", gettext_lazy("资金来源"), "text"),
    )

    def rules(self, facts: dict) -> None:
        if facts["new_funds"] is not None and Decimal(facts["new_funds"]) > 0 and not facts["funds_source"]:
            raise FactError("funds_source", _("引导盘活·填写了新增资金时须注明资金来源"))

    def submit_errors(self, plan) -> list[FactError]:
        return self.require(plan.facts, "route")


JUDICIAL_ROUTES = (
    ("judgment", gettext_lazy("判决")), ("auction", gettext_lazy("拍卖")),
    ("mediation", gettext_lazy("人民调解+司法确认")),
)


class Judicial(MethodRules):
    """司法处置: judgment; auction only where the developer no longer exists (proceeds to the project's debts);
    人民调解 + 司法确认 for tangled debts."""

    method = Method.JUDICIAL
    fields = (
        FactField("route", gettext_lazy("司法处置途径"), "choice", JUDICIAL_ROUTES),
        FactField("developer_extinct", gettext_lazy("开发建设单位主体已灭失"), "bool"),
        FactField("court", gettext_lazy("法院"), "text"),
        FactField("case_number", gettext_lazy("案号"), "text"),
        FactField("outcome", gettext_lazy("处理结果"), "longtext"),
    )

    def rules(self, facts: dict) -> None:
        if facts["route"] == "auction":
            if not facts["developer_extinct"]:
                raise FactError("developer_extinct", _("司法处置·依法拍卖仅适用于开发建设单位主体已灭失的项目"))
            facts["proceeds_to_debts"] = True  # 拍卖所得资金用于处置该项目已发生债务
        else:
            facts.pop("proceeds_to_debts", None)

    def submit_errors(self, plan) -> list[FactError]:
        return self.require(plan.facts, "route", "court")


DEMOLITION_CONDITIONS = ("cannot_legalise", "fails_planning", "fails_safety", "no_market_need")


class Demolish(MethodRules):
    """依法拆除: only where no relocation is involved, and the work cannot be legalised or fails planning,
    building safety or market need."""

    method = Method.DEMOLISH
    fields = (
        FactField("involves_relocation", gettext_lazy("涉及拆迁安置"), "bool"),
        FactField("cannot_legalise", gettext_lazy("无法补齐建设手续"), "bool"),
        FactField("fails_planning", gettext_lazy("不符合现行规划"), "bool"),
        FactField("fails_safety", gettext_lazy("不符合建筑安全要求"), "bool"),
        FactField("no_market_need", gettext_lazy("不符合市场需求"), "bool"),
        FactField("demolition_date", gettext_lazy("拆除日期"), "date"),
        FactField("site_use_after", gettext_lazy("拆除后场地用途"), "text"),
    )

    def rules(self, facts: dict) -> None:
        if facts["involves_relocation"]:
            raise FactError("involves_relocation", _("依法拆除·涉及拆迁安置的项目不能采用依法拆除，请选择其他处置方式"))
        if not any(facts[k] for k in DEMOLITION_CONDITIONS):
            names = "、".join(str(self.field(k).label) for k in DEMOLITION_CONDITIONS)
            raise FactError("cannot_legalise", _("依法拆除·须至少符合一项拆除条件：{names}").format(names=names))


METHODS: dict[str, MethodRules] = {
    rules.method: rules for rules in (Procedures(), Resume(), Revitalise(), Judicial(), Demolish())
}


def rules_for(method: str) -> MethodRules:
    try:
        return METHODS[method]
    except KeyError:
        allowed = "、".join(f"{m.value}（{m.label}）" for m in Method)
        raise ServiceError(
            _("处置方式“{method}”无效，应为：{allowed}").format(method=method, allowed=allowed), field="method",
        ) from None


def clean_facts(method: str, raw: dict | None, previous: dict | None = None) -> dict:
    return rules_for(method).clean(raw, previous=previous)


def fact_rows(plan) -> list[tuple[str, str]]:
    """(label, display) of a plan's facts, for pages and the .docx."""
    rules = rules_for(plan.method)
    rows = [(f.label, display_value(f, plan.facts.get(f.key))) for f in rules.fields]
    if plan.facts.get("proceeds_to_debts"):
        rows.append((_("拍卖所得用途"), _("用于处置该项目已发生债务")))
    if plan.facts.get("resumed_date"):
        rows.append((_("复工日期"), plan.facts["resumed_date"]))
    return rows


def all_fact_labels() -> dict[str, str]:
    """Change-log labels for the flattened `facts.<key>` keys."""
    labels = {f"facts.{f.key}": f.label for rules in METHODS.values() for f in rules.fields}
    labels.update({  # called at import (services.LOG_KEYS): lazy
        "facts.resumed_date": gettext_lazy("复工日期"), "facts.proceeds_to_debts": gettext_lazy("拍卖所得用于项目债务"),
    })
    return labels
