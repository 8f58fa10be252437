"""A realistic demo campaign: ~430 half-built projects over every league/city and category, and one
account per role. Deterministic (seeded), and safe to run again: projects already there (same region and
name) are skipped, accounts are refreshed.

Projects are written in bulk with a change-log entry each (via "demo"), the way an import would, because
going through `project_create` one by one would need a different acting user per classified line and
take several times longer.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import get_random_string

from halfbuilt.accounts.models import Organization, OrgKind, Role, RoleAssignment, User
from halfbuilt.audit.models import ChangeLog
from halfbuilt.ledger.dictionary import snapshot
from halfbuilt.ledger.models import ApprovalLevel, Kind, Project, Status
from halfbuilt.ledger.rules import USCC_CHARSET, USCC_WEIGHTS
from halfbuilt.ledger.services import next_ledger_numbers, resolve_unit
from halfbuilt.regions.models import Category, Region, RegionLevel

SEED = 20220810  # the day the Inner Mongolia campaign was deployed
PROJECTS_PER_PREFECTURE = 36  # × 12 leagues/cities = 432
DEMO_PASSWORD = "BanLaZi@2026"
OFFICE_NAME = "半拉子工程大起底工作领导小组办公室"


@dataclass(frozen=True)
class Template:
    name: str  # {p}: place, {n}: ordinal, {town}: a town (苏木乡镇)
    department: str  # department line code
    bureau: str  # the county/league office that is usually the responsible unit
    content: str
    facility: bool = False  # the name is itself a public institution that can own the project
    industry: str = "92"  # 国民经济行业 segment (DD) of the 项目代码


def _t(name, department, bureau, content, facility=False, industry="92") -> Template:
    return Template(name, department, bureau, content, facility, industry)


BUILDING = "总建筑面积{area}平方米，地上{floors}层框架结构"
TEMPLATES: dict[str, list[Template]] = {
    "A01": [
        _t("{p}人民政府综合办公楼", "JGSW", "机关事务服务中心", BUILDING),
        _t("{p}{town}便民服务中心", "JGSW", "机关事务服务中心", BUILDING),
        _t("{p}行政服务中心", "JGSW", "机关事务服务中心", BUILDING),
    ],
    "A02": [
        _t("{p}公安局业务技术用房", "GAT", "公安局", BUILDING),
        _t("{p}公安局看守所迁建工程", "GAT", "公安局", BUILDING),
        _t("{p}人民法院审判法庭", "FY", "人民法院", BUILDING),
        _t("{p}人民检察院技侦办案用房", "JCY", "人民检察院", BUILDING),
        _t("{p}司法局社区矫正中心", "SFT", "司法局", BUILDING),
        _t("{p}应急指挥中心", "YJT", "应急管理局", BUILDING),
        _t("{p}消防救援大队特勤站", "XFZD", "消防救援大队", BUILDING),
        _t("{p}粮食储备库", "LSJ", "粮食和物资储备局", "仓容{units}吨，配套烘干设施", industry="59"),
        _t("{p}科技馆", "KJT", "科学技术局", BUILDING),
    ],
    "A03": [
        _t("{p}第{n}中学综合楼", "JYT", "教育局", BUILDING, True, "83"),
        _t("{p}第{n}幼儿园", "JYT", "教育局", "{area}平方米，{units}个班", True, "83"),
        _t("{p}职业中学实训楼", "JYT", "教育局", BUILDING, True, "83"),
        _t("{p}{town}中心学校教学楼", "JYT", "教育局", BUILDING, True, "83"),
        _t("{p}蒙古族中学学生宿舍楼", "JYT", "教育局", BUILDING, True, "83"),
    ],
    "A04": [
        _t("{p}公共实训基地", "RST", "人力资源和社会保障局", BUILDING, industry="83"),
        _t("{p}创业孵化园", "RST", "人力资源和社会保障局", BUILDING),
        _t("{p}就业和社会保障服务中心", "RST", "人力资源和社会保障局", BUILDING),
    ],
    "A05": [
        _t("{p}人民医院住院楼", "WJW", "卫生健康委员会", "{beds}张床位，" + BUILDING, True, "84"),
        _t("{p}蒙医医院门诊综合楼", "WJW", "卫生健康委员会", BUILDING, True, "84"),
        _t("{p}{town}卫生院", "WJW", "卫生健康委员会", "{beds}张床位", True, "84"),
        _t("{p}疾病预防控制中心实验楼", "WJW", "卫生健康委员会", BUILDING, True, "84"),
    ],
    "A06": [
        _t("{p}敬老院改扩建工程", "MZT", "民政局", "{beds}张床位，" + BUILDING, industry="85"),
        _t("{p}社会福利中心养老院", "MZT", "民政局", "{beds}张床位", industry="85"),
        _t("{p}{town}养老服务中心", "MZT", "民政局", "{beds}张床位", industry="85"),
    ],
    "A07": [
        _t("{p}公租房项目（{n}期）", "ZJT", "住房和城乡建设局", "{units}套，总建筑面积{area}平方米", industry="70"),
        _t("{p}棚户区改造安置房", "ZJT", "住房和城乡建设局", "{units}套，总建筑面积{area}平方米", industry="70"),
    ],
    "A08": [
        _t("{p}全民健身中心", "TYJ", "文化旅游体育局", BUILDING, industry="89"),
        _t("{p}体育场", "TYJ", "文化旅游体育局", "{units}座看台，标准田径场", industry="89"),
        _t("{p}文化馆", "WLT", "文化旅游体育局", BUILDING, industry="88"),
        _t("{p}图书馆", "WLT", "文化旅游体育局", BUILDING, industry="88"),
        _t("{p}博物馆", "WLT", "文化旅游体育局", BUILDING, industry="88"),
        _t("{p}广播电视发射台", "GDJ", "融媒体中心", "发射塔高{floors}0米及机房", industry="87"),
        _t("{p}{town}综合文化服务中心", "WLT", "文化旅游体育局", BUILDING, industry="88"),
    ],
    "A09": [
        _t("{p}残疾人康复托养中心", "CL", "残疾人联合会", BUILDING, industry="85"),
        _t("{p}未成年人救助保护中心", "MZT", "民政局", BUILDING, industry="85"),
        _t("{p}殡仪馆迁建工程", "MZT", "民政局", BUILDING, industry="80"),
        _t("{p}退役军人服务中心", "TYJR", "退役军人事务局", BUILDING, industry="85"),
        _t("{p}光荣院", "TYJR", "退役军人事务局", "{beds}张床位", industry="85"),
        _t("{p}法律援助中心", "SFT", "司法局", BUILDING, industry="72"),
    ],
    "A10": [
        _t("{p}智慧城市综合平台", "ZSJ", "政务服务局", "数据中心机房{area}平方米及平台软件", industry="65"),
        _t("{p}政务云数据中心", "ZSJ", "政务服务局", "机柜{units}个", industry="65"),
    ],
    "B01": [
        _t("{p}{town}至{town2}公路", "JTT", "交通运输局", "全长{km}公里，二级公路", industry="48"),
        _t("{p}客运枢纽站", "JTT", "交通运输局", BUILDING, industry="54"),
    ],
    "B02": [
        _t("{p}集中供热热源厂", "NYJ", "发展和改革委员会", "{units}吨/小时燃煤锅炉", industry="44"),
        _t("{p}天然气输配管网工程", "NYJ", "发展和改革委员会", "管网{km}公里", industry="45"),
    ],
    "B03": [
        _t("{p}{river}防洪治理工程", "SLT", "水利局", "治理河道{km}公里", industry="76"),
        _t("{p}农村牧区饮水安全巩固提升工程", "SLT", "水利局", "供水管网{km}公里", industry="76"),
        _t("{p}{town}水库除险加固工程", "SLT", "水利局", "库容{units}万立方米", industry="76"),
    ],
    "B04": [
        _t("{p}现代农牧业示范园", "NMT", "农牧局", "{area}亩", industry="01"),
        _t("{p}{town}肉牛养殖基地", "NMT", "农牧局", "棚圈{area}平方米", industry="03"),
        _t("{p}林草种苗繁育基地", "LCJ", "林业和草原局", "{area}亩", industry="02"),
        _t("{p}防沙治沙综合示范区", "LCJ", "林业和草原局", "{area}亩", industry="02"),
    ],
    "B05": [
        _t("{p}污水处理厂提标改造工程", "STT", "生态环境分局", "日处理{units}吨", industry="77"),
        _t("{p}生活垃圾填埋场", "STT", "生态环境分局", "库容{units}立方米", industry="77"),
        _t("{p}矿山地质环境恢复治理工程", "STT", "生态环境分局", "治理面积{area}亩", industry="77"),
    ],
    "B06": [
        _t("{p}{street}改造工程", "ZJT", "住房和城乡建设局", "全长{km}公里", industry="48"),
        _t("{p}第{n}水厂", "ZJT", "住房和城乡建设局", "日供水{units}吨", industry="46"),
        _t("{p}城市地下综合管廊", "ZJT", "住房和城乡建设局", "全长{km}公里", industry="48"),
    ],
    "B07": [
        _t("{p}工业园区标准化厂房", "GXT", "工业和信息化局", BUILDING, industry="47"),
        _t("{p}物流园区", "GXT", "工业和信息化局", "占地{area}亩", industry="59"),
    ],
}
BUILDING_SUFFIX = re.compile(r"(门诊综合楼|综合楼|住院楼|实训楼|教学楼|学生宿舍楼|实验楼)$")
# Projects every demo has, to walk through a story: a Donghe school seen by the county, the Baotou and
# autonomous-region education lines and its responsible unit (包头市东河区教育局); a classified GAT project.
_CONFIRMED = {"status": Status.IN_LEDGER, "status_reason": ""}
SHOWCASE: list[tuple[str, str, int, str, dict]] = [
    ("150202", "A03", 0, "包头市东河区第二中学综合楼", _CONFIRMED),
    ("150202", "A03", 1, "包头市东河区第一幼儿园", {"status": Status.CANDIDATE, "status_reason": ""}),
    ("150202", "A03", 3, "包头市东河区沙尔沁镇中心学校教学楼", _CONFIRMED),
    ("150202", "A05", 0, "包头市东河区人民医院住院楼", _CONFIRMED),
    ("150202", "A02", 0, "包头市东河区公安分局业务技术用房", {**_CONFIRMED, "classified": True}),
    ("150200", "A03", 0, "包头市第九中学综合楼", _CONFIRMED),
    ("152921", "A06", 0, "阿拉善左旗敬老院改扩建工程", _CONFIRMED),
    ("150402", "A08", 0, "赤峰市红山区全民健身中心", _CONFIRMED),
]
# Drawn after the generated projects, so adding them left the rest of the demo unchanged: they give the demo
# unit (东河区教育局) enough projects for a queue in every disposal step.
LATE_SHOWCASE: list[tuple[str, str, int, str, dict]] = [
    ("150202", "A03", 4, "包头市东河区蒙古族中学学生宿舍楼", _CONFIRMED),
    ("150202", "A03", 2, "包头市东河区职业中学实训楼", _CONFIRMED),
]
# Categories where several departments are competent: some demo projects are left 待指定 there.
MULTI_DEPARTMENT = {"A02", "A08", "A09", "B04"}
# Departments whose A02 projects are sometimes classified (政法).
CLASSIFIED_LINES = {"GAT", "FY", "JCY"}

TOWNS = [
    "沙尔沁镇", "河西镇", "新地镇", "哈达门镇", "巴音宝力格镇", "宝昌镇", "白音察干镇", "查干淖尔镇", "乌兰镇",
    "塔拉壕镇", "巴彦花镇", "新民镇", "红旗镇", "阿拉坦合力苏木", "巴彦乌拉镇", "兴隆镇", "联合镇", "五一镇",
    "胜利镇", "吉日嘎郎图苏木", "那仁宝力格苏木", "额尔格图镇",
]
STREETS = ["团结大街", "建设路", "人民路", "新华大街", "健康路", "民族东路", "友谊大街", "滨河路", "阿尔丁大街"]
RIVERS = ["黄河", "西辽河", "嫩江", "大黑河", "昆都仑河", "锡林河", "海拉尔河", "老哈河", "绰尔河"]
ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜白乔"
GIVEN = "建国志强海军丽娟晓东文华玉兰卫东永红金山秀英宏伟春燕立新国庆桂芳振华俊峰"
MONGOLIAN_NAMES = ["巴特尔", "乌力吉", "其木格", "额尔敦", "苏日娜", "那仁", "宝音", "阿拉坦", "图雅", "朝鲁"]
AREA_CODES = {
    "150100": "0471", "150200": "0472", "150300": "0473", "150400": "0476", "150500": "0475", "150600": "0477",
    "150700": "0470", "150800": "0478", "150900": "0474", "152200": "0482", "152500": "0479", "152900": "0483",
}
CENTRES = {  # approximate (longitude, latitude) of each league/city's seat
    "150100": (111.75, 40.84), "150200": (109.84, 40.66), "150300": (106.82, 39.67), "150400": (118.89, 42.26),
    "150500": (122.24, 43.65), "150600": (109.78, 39.61), "150700": (119.77, 49.21), "150800": (107.39, 40.74),
    "150900": (113.13, 40.99), "152200": (122.04, 46.08), "152500": (116.05, 43.93), "152900": (105.73, 38.85),
}
STALLED_CAUSES = [
    "建设资金不到位，施工单位停工", "地方财政困难，后续资金无法落实", "规划调整，原设计方案不再适用",
    "征地拆迁问题未解决", "施工合同纠纷，承包方撤场", "前期手续不全被责令停工", "设计变更，投资超概算",
    "施工企业破产，无人接续",
]
IDLE_CAUSES = [
    "配套设施（水、电、暖）未建成，无法投入使用", "缺少运营经费和专业人员", "未办理竣工验收和消防验收",
    "需求发生变化，原定功能已不需要", "设备未购置，无法开展业务", "选址偏远，使用率低",
    "产权不清，移交手续未办理", "存在质量问题，需整改后方可使用",
]
REJECT_REASONS = [
    "经核实，项目已于2021年投入使用，不属于半拉子工程", "属社会投资项目，不在本次清理范围",
    "项目正常建设中，未停工", "与台账中已有项目重复", "已列入其他专项整治台账",
]


def uscc(rng: random.Random, prefix: str, region_code: str) -> str:
    """A well-formed 统一社会信用代码 with a correct check character (GB 32100)."""
    body = prefix + region_code + "".join(rng.choice(USCC_CHARSET) for _ in range(9))
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return body + USCC_CHARSET[(31 - total % 31) % 31]


def partial_date(rng: random.Random, year: int) -> str:
    """Ledgers often know only the year or the month: keep a mix of precisions."""
    roll = rng.random()
    if roll < 0.2:
        return f"{year}"
    month = rng.randint(1, 12)
    if roll < 0.7:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def money(rng: random.Random, value: float) -> Decimal:
    """万元 with decimals; one in ten exact to the yuan (4 places)."""
    places = Decimal("0.0001") if rng.random() < 0.1 else Decimal("0.01")
    return Decimal(str(value)).quantize(places)


def person(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return rng.choice(MONGOLIAN_NAMES)
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def phone(rng: random.Random, prefecture_code: str) -> str:
    if rng.random() < 0.6:
        return rng.choice(["13", "15", "18"]) + "".join(str(rng.randint(0, 9)) for _ in range(9))
    return f"{AREA_CODES[prefecture_code]}-{rng.randint(2000000, 8999999)}"


def place_name(rng: random.Random, region: Region) -> str:
    """How a county writes its own name in a project name: 旗/县 often alone, districts with their city."""
    if region.level == RegionLevel.PREFECTURE or region.is_functional_zone:
        return region.name
    if region.kind != "市辖区" and rng.random() < 0.5:
        return region.name
    return region.full_name


def generate(rng: random.Random, regions: list[Region], categories: list[str]) -> list[dict]:
    """Project field values (no DB access): every league/city gets every category, both kinds."""
    prefectures = [r for r in regions if r.level == RegionLevel.PREFECTURE]
    children: dict[str, list[Region]] = {}
    for region in regions:
        if region.level == RegionLevel.COUNTY:
            children.setdefault(region.parent_id, []).append(region)
    by_code = {r.code: r for r in regions}
    taken: set[tuple[str, str]] = set()
    codes: set[str] = set()
    rows = []

    def showcase(entries: list[tuple[str, str, int, str, dict]]) -> None:
        for region_code, category, index, name, overrides in entries:
            region = by_code[region_code]
            row = _project(rng, region, region.prefecture, category, taken, codes, TEMPLATES[category][index], name)
            rows.append({**row, **overrides})

    showcase(SHOWCASE)
    for i in range(PROJECTS_PER_PREFECTURE * len(prefectures)):
        prefecture = prefectures[i % len(prefectures)]
        category = categories[(i // len(prefectures)) % len(categories)]
        region = prefecture if rng.random() < 0.15 else rng.choice(children[prefecture.code])
        rows.append(_project(rng, region, prefecture, category, taken, codes))
    showcase(LATE_SHOWCASE)
    return rows


def _project(
    rng, region: Region, prefecture: Region, category: str, taken: set, codes: set,
    template: Template | None = None, name: str = "",
) -> dict:
    place = place_name(rng, region)
    attempt = 0
    while not name:
        template = rng.choice(TEMPLATES[category])
        town, town2 = rng.sample(TOWNS, 2)
        candidate = template.name.format(
            p=place, n=rng.choice(ORDINALS[: 3 + attempt // 4]), town=town, town2=town2,
            street=rng.choice(STREETS), river=rng.choice(RIVERS),
        )
        if attempt >= 20:
            candidate += f"（{ORDINALS[1 + attempt % 9]}期）"
        if (region.code, candidate) not in taken:
            name = candidate
        attempt += 1
    taken.add((region.code, name))

    kind = Kind.STALLED if rng.random() < 0.6 else Kind.IDLE
    approval_year = rng.randint(2008, 2017)
    start_year = approval_year + rng.randint(1, 2)
    end_year = start_year + rng.randint(1, 3)
    total = math.exp(rng.uniform(math.log(80), math.log(30000)))
    share = rng.uniform(0.15, 0.9) if kind == Kind.STALLED else rng.uniform(0.92, 1.0)
    total_investment = money(rng, total)
    completed = min(money(rng, total * share), total_investment)
    funds = completed * Decimal(str(round(rng.uniform(0.6, 1.0), 2)))
    funds = funds.quantize(Decimal("0.01"))
    has_funds = rng.random() > 0.05

    department: str | None = template.department
    if category in MULTI_DEPARTMENT and rng.random() < 0.08:
        department = None  # 待指定: the office assigns it
    classified = department in CLASSIFIED_LINES and rng.random() < 0.4
    roll = rng.random()
    if department is None:
        status, reason = Status.CANDIDATE, ""  # cannot be confirmed before a department is assigned
    elif classified or roll < 0.8:
        status, reason = Status.IN_LEDGER, ""
    elif roll < 0.93:
        status, reason = Status.CANDIDATE, ""
    else:
        status, reason = Status.REJECTED, rng.choice(REJECT_REASONS)

    project_code = ""
    if approval_year >= 2015 and rng.random() < 0.8:
        while not project_code or project_code in codes:
            project_code = (
                f"{approval_year}-{region.code}-{template.industry}-01-{rng.randint(0, 99999):05d}{rng.randint(0, 9)}"
            )
        codes.add(project_code)

    unit_place = region.full_name
    responsible_unit = f"{unit_place}{template.bureau}"
    owner_roll = rng.random()
    if template.facility and owner_roll < 0.4:
        owner_unit, owner_prefix = BUILDING_SUFFIX.sub("", name), "12"
    elif owner_roll < 0.8:
        owner_unit, owner_prefix = responsible_unit, "11"
    else:
        owner_unit, owner_prefix = f"{unit_place}城市建设投资有限责任公司", "91"
    if prefecture.code == region.code:
        approval_level = ApprovalLevel.REGION if rng.random() < 0.2 else ApprovalLevel.PREFECTURE
    else:
        approval_level = ApprovalLevel.PREFECTURE if rng.random() < 0.1 else ApprovalLevel.COUNTY
    lon, lat = CENTRES[prefecture.code]
    located = rng.random() < 0.85
    causes = rng.sample(STALLED_CAUSES if kind == Kind.STALLED else IDLE_CAUSES, rng.choice((1, 1, 2)))
    abbreviation = region.name[0] if region.level == RegionLevel.COUNTY else prefecture.name[0]
    return {
        "project_code": project_code,
        "name": name,
        "region": region,
        "prefecture": prefecture,
        "address": f"{unit_place}{rng.choice(STREETS)}{rng.randint(1, 300)}号" if rng.random() < 0.6
        else f"{unit_place}{rng.choice(TOWNS)}",
        "longitude": Decimal(f"{lon + rng.uniform(-0.4, 0.4):.6f}") if located else None,
        "latitude": Decimal(f"{lat + rng.uniform(-0.3, 0.3):.6f}") if located else None,
        "category_id": category,
        "department_id": department,
        "approval_level": approval_level,
        "approval_date": partial_date(rng, approval_year),
        "approval_doc": f"{abbreviation}发改审批字〔{approval_year}〕{rng.randint(3, 260)}号",
        "owner_unit": owner_unit,
        "owner_uscc": uscc(rng, owner_prefix, region.code),
        "content": template.content.format(
            area=rng.randrange(800, 30000, 50), floors=rng.randint(2, 12), units=rng.randrange(50, 2000, 10),
            beds=rng.randrange(40, 500, 10), km=round(rng.uniform(1.5, 48), 1),
        ),
        "kind": kind,
        "total_investment": total_investment,
        "completed_investment": completed,
        "funds_in_place": funds if has_funds else None,
        "unpaid_amount": max(completed - funds, Decimal(0)) if has_funds else None,
        "start_date": partial_date(rng, start_year),
        "stop_date": partial_date(rng, end_year) if kind == Kind.STALLED else "",
        "completion_date": partial_date(rng, end_year) if kind == Kind.IDLE else "",
        "causes": "；".join(causes),
        "responsible_unit": responsible_unit,
        "responsible_person": person(rng),
        "phone": phone(rng, prefecture.code),
        "status": status,
        "status_reason": reason,
        "classified": classified,
    }


def ensure_demo_organizations() -> None:
    """A league-level counterpart of a department line (before the projects, which may name it as their
    responsible unit: 包头市本级 schools answer to 包头市教育局)."""
    Organization.objects.update_or_create(
        name="包头市教育局", region_id="150200", defaults={"kind": OrgKind.DEPARTMENT, "department_id": "JYT"}
    )


@transaction.atomic
def create_demo_projects(seed: int = SEED) -> tuple[int, int]:
    """Write the demo projects that are not there yet; returns (created, already present)."""
    ensure_demo_organizations()
    regions = list(Region.objects.select_related("parent").order_by("code"))
    categories = list(Category.objects.order_by("code").values_list("code", flat=True))
    rows = generate(random.Random(seed), regions, categories)

    existing = set(
        Project.objects.filter(name__in=[r["name"] for r in rows]).values_list("region_id", "name")
    )
    new_rows = [r for r in rows if (r["region"].code, r["name"]) not in existing]
    used_codes = set(
        Project.objects.filter(project_code__in=[r["project_code"] for r in new_rows if r["project_code"]])
        .values_list("project_code", flat=True)
    )
    units: dict[tuple[str, str], Organization | None] = {}
    by_region: dict[str, list[dict]] = {}
    for row in new_rows:
        by_region.setdefault(row["region"].code, []).append(row)
    projects = []
    for region_code, group in by_region.items():
        for row, ledger_no in zip(group, next_ledger_numbers(region_code, len(group)), strict=True):
            if row["project_code"] in used_codes:
                row["project_code"] = ""
            key = (row["responsible_unit"], region_code)
            if key not in units:
                units[key] = resolve_unit(row["responsible_unit"], row["region"])
            version = 1 if row["status"] == Status.CANDIDATE else 2
            projects.append(Project(ledger_no=ledger_no, responsible_org=units[key], version=version, **row))
    Project.objects.bulk_create(projects, batch_size=500)
    _log(projects)
    return len(projects), len(rows) - len(new_rows)


def _log(projects: list[Project]) -> None:
    """The timeline starts as it would in real life: submitted as a candidate, then confirmed or rejected."""
    entries = []
    for project in projects:
        after = snapshot(project)
        after["status"] = Status.CANDIDATE.value
        common = {
            "user": None, "username": "demo", "via": "demo", "object_type": "project", "object_id": project.pk,
            "object_repr": project.name[:200], "project_id": project.pk, "classified": project.classified,
        }
        entries.append(ChangeLog(action="create", before=None, after=after, **common))
        if project.status != Status.CANDIDATE:
            action = "confirm" if project.status == Status.IN_LEDGER else "reject"
            entries.append(ChangeLog(
                action=action, before={"status": Status.CANDIDATE.value}, after={"status": project.status},
                reason=project.status_reason, **common,
            ))
    ChangeLog.objects.bulk_create(entries, batch_size=500)


# username, role, organization name, organization region.
ACCOUNTS: list[tuple[str, str, str, str]] = [
    ("demo_office", Role.OFFICE, OFFICE_NAME, "150000"),
    ("demo_jyt", Role.DEPARTMENT, "内蒙古自治区教育厅", "150000"),
    ("demo_baotou_jyt", Role.DEPARTMENT, "包头市教育局", "150200"),
    ("demo_gat", Role.DEPARTMENT, "内蒙古自治区公安厅", "150000"),
    ("demo_baotou", Role.REGION, "包头市人民政府", "150200"),
    ("demo_donghe", Role.REGION, "包头市东河区人民政府", "150202"),
    ("demo_unit", Role.UNIT, "包头市东河区教育局", "150202"),
    ("demo_sysadmin", Role.SYSADMIN, "系统管理", "150000"),
    ("demo_secadmin", Role.SECADMIN, "系统管理", "150000"),
    ("demo_auditor", Role.AUDITOR, "系统管理", "150000"),
]


def demo_password(user: User) -> str:
    """The documented demo password, unless the configured password rules are stricter."""
    try:
        validate_password(DEMO_PASSWORD, user)
        return DEMO_PASSWORD
    except ValidationError:
        # 24 characters of all four classes: passes any stricter profile a deployer is likely to set.
        parts = (("abcdefghjkmnpqrstuvwxyz", 12), ("ABCDEFGHJKLMNPQRSTUVWXYZ", 6), ("23456789", 4), ("#@%+", 2))
        return "".join(get_random_string(n, chars) for chars, n in parts)


@transaction.atomic
def ensure_demo_accounts() -> list[dict]:
    """One account per role; passwords are (re)set each run so the accounts file is always right."""
    from axes.utils import reset as axes_reset

    ensure_demo_organizations()
    accounts = []
    for username, role, org_name, region_code in ACCOUNTS:
        # The unit's organization exists because demo projects name it as their responsible unit.
        org = Organization.objects.get(name=org_name, region_id=region_code)
        user, _ = User.objects.get_or_create(username=username, defaults={"first_name": org.name[:150]})
        password = demo_password(user)
        user.set_password(password)
        user.is_active = True
        user.save()
        user.role_assignments.exclude(role=role, organization=org).delete()
        RoleAssignment.objects.get_or_create(user=user, role=role, organization=org)
        axes_reset(username=username)
        accounts.append({
            "username": username, "password": password, "role": str(role), "organization": org.name,
            "region_code": org.region_id,
        })
    return accounts
