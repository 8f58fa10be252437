"""A circular's words: its period and title, and the text prefilled from its figures in the register of a
government notice (the office edits all of it before publishing)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from halfbuilt.core.formatting import percent
from halfbuilt.core.govdoc import NUMERALS

from .figures import METRICS
from .models import Circular, PeriodKind


def chinese_date(day: dt.date) -> str:
    return _("{y}年{m}月{d}日").format(y=day.year, m=day.month, d=day.day)


def period_label(circular: Circular) -> str:
    start, end = circular.start, circular.end
    if circular.period_kind == PeriodKind.MONTH:
        return _("{y}年{m}月").format(y=start.year, m=start.month)
    if circular.period_kind == PeriodKind.QUARTER:
        return _("{y}年第{q}季度").format(y=start.year, q=NUMERALS[(start.month - 1) // 3])
    return _("{start}至{end}").format(start=chinese_date(start), end=chinese_date(end))


def title(circular: Circular) -> str:
    return _("关于{period}全区“半拉子”工程大起底工作进展情况的通报").format(period=period_label(circular))


def rate_text(value: str | None) -> str:
    return percent(value) if value is not None else "—"


def _names(rows: list[dict]) -> str:
    return "、".join(r["name"] for r in rows)


def prefill(circular: Circular, data: dict) -> tuple[str, str, str]:
    """(opening, findings, requirements) from the figures `data` (figures.compute)."""
    t = data["totals"]
    opening = _(
        "为深入贯彻落实自治区党委和政府关于“半拉子”工程大起底工作的部署要求，加大督促检查力度，根据《内蒙古自治区"
        "“半拉子”工程大起底工作方案》，现将{period}全区“半拉子”工程大起底工作进展情况通报如下。"
    ).format(period=period_label(circular))
    label = METRICS[data["metric"]][0]
    findings = _(
        "截至{day}，全区纳入台账的“半拉子”工程共{n}个，已制定处置方案{planned}个，方案制定率{plan_rate}；已销号{closed}个，"
        "销号率{rate}，其中通报期间销号{closed_in_period}个。通报期间应报送月度进展{due}份，按时报送{on_time}份，"
        "按时报送率{on_time_rate}。目前亮红灯项目{red}个，逾期未回复督办{overdue}件。"
    ).format(
        day=chinese_date(dt.date.fromisoformat(data["as_of"])), n=t["n"], planned=t["planned"],
        plan_rate=rate_text(t["plan_rate"]), closed=t["closed"], rate=rate_text(t["rate"]),
        closed_in_period=t["closed_in_period"], due=t["due"], on_time=t["on_time"],
        on_time_rate=rate_text(t["on_time_rate"]), red=t["red"], overdue=t["overdue"],
    )
    for group, group_label in (("leagues", _("盟市")), ("departments", _("行业主管部门"))):
        top, bottom = data["honour"][group], data["shame"][group]
        if top:
            findings += "\n" + _("按{label}排名，{group}中{names}位居前列").format(
                label=label, group=group_label, names=_names(top))
            findings += (_("，{names}相对靠后。").format(names=_names(bottom)) if bottom else _("。"))
    requirements = _(
        "一、提高政治站位。各盟市、各部门要切实增强责任感和紧迫感，对照台账逐项目落实处置措施，确保如期盘活销号。\n"
        "二、聚焦问题整改。对亮红灯项目，责任单位要逐一分析原因，制定整改措施，限期消除预警；对逾期未回复的督办，"
        "要立即回复整改情况。\n"
        "三、按时报送进展。各责任单位要按月如实报送处置进展，不得迟报、漏报。\n"
        "排名靠后的盟市和部门要认真查找差距，加大攻坚力度。领导小组办公室将持续跟踪调度，定期通报。"
    )
    return opening, findings, requirements
