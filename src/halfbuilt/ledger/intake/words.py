"""What counties write in their sheets, as the importer matches it: words for the kinds, the flags, the levels
of approval, categories and departments, notes and totals. Data to match typed text against, never shown; the
column headers' words are in headers.py."""

import re

from halfbuilt.ledger.models import ApprovalLevel, Kind

# Words counties use for the two kinds. Matched whole first, then as parts of a longer phrase.
KIND_WORDS: dict[str, list[str]] = {
    Kind.STALLED: [
        "未完工停建", "未完工停建项目", "停建", "停工", "未完工", "停缓建", "缓建", "在建停工", "停建项目",
        "未完工停工", "中途停建", "烂尾", "未完工停缓建", "stalled",
    ],
    Kind.IDLE: [
        "已竣工未投用", "已竣工未投用项目", "建成未投用", "完工未使用", "竣工未投用", "已完工未投用", "建成未使用",
        "已建成未投用", "未投用", "未投入使用", "闲置", "建成闲置", "竣工未使用", "已竣工未投入使用", "竣工未投入使用",
        "建成未投入使用", "已建成未投入使用", "idle",
    ],
}

TRUE_WORDS = {"是", "涉密", "y", "yes", "true", "1", "√", "✓", "✔"}
FALSE_WORDS = {"否", "非涉密", "不涉密", "n", "no", "false", "0", "×", "✗", "无", "-", "—", "/"}
APPROVAL_LEVELS = {
    ApprovalLevel.REGION: ["自治区", "自治区级", "省级", "省", "区级", "region"],
    ApprovalLevel.PREFECTURE: ["盟市", "盟市级", "市级", "盟级", "市", "盟", "prefecture"],
    ApprovalLevel.COUNTY: ["旗县", "旗县级", "县级", "旗县区", "旗县区级", "旗县(市、区)级", "旗县(市区)级", "县",
                           "county"],
}
UNASSIGNED = {"待指定", "待定", "待明确", "未指定"}
SEPARATORS = re.compile(r"[、,，;；/|]|和|及")
COUNTY_SUFFIX = re.compile(r"(自治旗|联合旗|区|县|旗|市)$")
DEPT_SUFFIX = re.compile(r"(委员会|委|厅|局|总队|支队|大队|院|联合会)$")
CATEGORY_SYNONYMS = {  # common words for a category that its examples column does not spell out
    "学校": "A03", "小学": "A03", "中学": "A03", "初中": "A03", "高中": "A03", "职业学校": "A03",
    "医院": "A05", "卫生院": "A05", "卫生室": "A05", "养老院": "A06", "公租房": "A07", "廉租房": "A07",
    "博物馆": "A08", "图书馆": "A08", "体育馆": "A08", "文化馆": "A08", "殡仪馆": "A09", "公路": "B01",
}

# A league's or city's own level, written instead of a county ("本级", "包头市本级").
LEVEL_ITSELF = {"本级", "市本级", "盟本级", "市直", "盟直"}
LEVEL_ITSELF_SUFFIXES = ("本级", "直属", "市直", "盟直")
PROVINCE_SUFFIXES = ("自治区", "省")  # "内蒙古" for 内蒙古自治区
PREFECTURE_SUFFIX = re.compile(r"(市|盟)$")
# A category's examples column: "幼儿园、中小学等"; items too short or too general to name it.
EXAMPLES_TAIL = re.compile(r"等.*$")
NOT_EXAMPLES = {"自治区", "盟市"}
# What may follow a kind in a heading: "未完工停建项目清单", "已竣工未投入使用类".
KIND_TAIL = re.compile(r"类?(?:半拉子)?(?:工程|项目)?(?:清单|台账|情况|明细)?$")
KIND_SUFFIXES = ("项目", "类")
APPROVAL_SUFFIX = "审批"

# Rows that are not projects: notes and signatures under the table.
NOTE_WORDS = (
    "备注", "注:", "注：", "说明", "填表说明", "填表人", "填报人", "填报单位", "审核人", "制表人", "单位负责人",
    "分管领导", "联系人", "填报日期", "填表日期", "报送日期",
)
# A sheet whose name says it explains the form ("填表说明") is no data sheet.
EXPLANATION = "说明"

# Section headings ("一、未完工停建项目（6个）"), compared after compact(): NFKC has made （一） into (一), ： into :.
NUMERALS = "一二三四五六七八九十"
SECTION_RE = re.compile(
    # 一、 （一） (1) 1. 第一部分
    rf"(?:第?[{NUMERALS}]+(?:部分|类|批)?[、.:]?|\(?[{NUMERALS}\d]{{1,3}}\)|\d{{1,2}}[、.])?"
    r"(?P<kind>.+?)"
    r"(?:\(?(?:共|计|合计)?(?P<count>\d+)(?:个|项|处)(?:项目)?\)?)?"  # （6个） 共6项
    r":?"
)
NUMBER_RE = re.compile(r"[-+]?[\d,]*\.?\d+(?:万元|亿元|元|万|亿)?")

# Totals and subtotals: "合计", "东胜区小计", "教育类合计（3个）", "东胜区（小计）".
TOTAL_STARTS = ("合计", "小计", "总计", "累计", "其中")
TOTAL_CHAR = "计"
TOTAL_END = re.compile(r"(?:小计|合计|总计)\)?(?:\(?共?\d+(?:个|项)\)?)?:?$")
