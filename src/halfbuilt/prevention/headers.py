"""What the platform's exports and the lists sent for reconciling may say: header names and cell words, matched
against and never shown (like ledger/intake/headers.py)."""

import re

FEED_HEADERS: dict[str, tuple[str, ...]] = {
    "project_code": ("项目代码", "项目编码", "项目统一代码"),
    "name": ("项目名称", "名称"),
    "region": ("所在地区", "建设地点", "地区", "行政区划", "地区代码", "行政区划代码", "所在地区代码"),
    "category": ("项目类别", "行业类别", "类别"),
    "planned_start": ("计划开工", "计划开工时间", "计划开工日期"),
    "planned_completion": ("计划竣工", "计划竣工时间", "计划竣工日期", "计划完工时间"),
    "started": ("开工", "开工时间", "实际开工时间", "开工报告", "开工报告时间"),
    "stopped": ("停工", "停工时间", "停工报告", "停工报告时间"),
    "completed": ("竣工", "竣工时间", "实际竣工时间", "竣工报告", "竣工报告时间"),
    "in_use": ("投用", "投用时间", "投入使用时间", "投产时间"),
    "total_investment": ("总投资（万元）", "总投资", "总投资(万元)"),
    # Only in lists sent for reconciling: the list's own word for the project's state.
    "state": ("状态", "项目状态", "建设状态"),
}
# A month of completed investment: 2026-03, 2026.3, 2026年3月, 2026年3月完成投资（万元）.
MONTH_HEADER = re.compile(r"^(\d{4})[-年./](\d{1,2})月?份?(?:完成投资)?(?:（万元）|\(万元\))?$")
# A list's state cell that says the work is stalled or idle (清仓见底 looks for these first).
STALLED_WORDS = ("停建", "停工", "未完工", "未投用", "闲置", "烂尾", "缓建")
