"""What demo projects are made of: name templates per category, places, people, causes; and the showcase
projects every demo has, so each demo account has a story to walk through."""

from __future__ import annotations

import re
from dataclasses import dataclass

from halfbuilt.ledger.models import Status


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

