"""The words of the demo's disposal: plan measures and milestones per method, the bodies that appraise,
build and lend, review comments, monthly progress lines, closure outcomes; and the files attached."""

from __future__ import annotations

import io

from PIL import Image

from halfbuilt.disposal.models import Method

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

MEASURES = {
    Method.PROCEDURES: "对照规划核实建设内容，开展技术性验收，补缴相关规费，逐项补办{items}等手续，"
                       "办理不动产登记后投入使用。",
    Method.RESUME: "委托具备资质的机构开展安全质量评估鉴定，经住房城乡建设部门确认后，由续建主体按续建方案组织复工，"
                   "落实续建资金，按期竣工验收并投入使用。",
    Method.REVITALISE: "通过{route}引入新的建设运营主体，落实新增资金，完成剩余建设内容后按新用途投入运营。",
    Method.JUDICIAL: "通过{route}依法化解债权债务纠纷，明确资产权属，处置所得优先用于清偿项目已发生债务。",
    Method.DEMOLISH: "经论证项目不具备续建或改造价值，依法履行程序后予以拆除，拆除后场地用于{use}。",
}
COOPERATING = {
    Method.PROCEDURES: "{p}发展和改革委员会、{p}自然资源局、{p}住房和城乡建设局",
    Method.RESUME: "{p}住房和城乡建设局、{p}财政局",
    Method.REVITALISE: "{p}财政局、{p}国有资产监督管理委员会、{p}金融工作办公室",
    Method.JUDICIAL: "{p}人民法院、{p}司法局、{p}财政局",
    Method.DEMOLISH: "{p}自然资源局、{p}住房和城乡建设局、{p}城市管理综合执法局",
}
MILESTONES = {
    Method.PROCEDURES: ["完成技术性验收", "补办规划、施工许可手续", "完成竣工验收备案", "办理不动产登记"],
    Method.RESUME: ["完成安全质量评估鉴定", "落实续建资金", "复工建设", "主体工程完工", "竣工验收并投入使用"],
    Method.REVITALISE: ["确定合作方", "签订盘活协议", "新增资金到位", "投入运营"],
    Method.JUDICIAL: ["立案", "开庭审理（调解）", "作出裁判（达成协议）", "执行完毕"],
    Method.DEMOLISH: ["完成拆除论证", "履行拆除审批程序", "完成拆除", "场地平整移交"],
}
PROCEDURE_AUTHORITY = {
    "project_approval": "发展和改革委员会", "land_use": "自然资源局", "planning_permit": "自然资源局",
    "construction_permit": "住房和城乡建设局", "completion_acceptance": "住房和城乡建设局",
    "fire_acceptance": "住房和城乡建设局", "property_registration": "不动产登记中心",
}
AGENCIES = ["内蒙古自治区建筑工程质量检测鉴定中心", "内蒙古建科检测鉴定有限公司", "包头市建筑工程质量检测中心",
            "赤峰市建设工程质量检测有限公司"]
CONTRACTORS = ["内蒙古第一建设工程有限公司", "内蒙古兴泰建设集团有限公司", "内蒙古巨华集团大华建筑安装有限公司",
               "中建三局第一建设工程有限责任公司"]
REVITALISE_ROUTES = {
    "debt_restructuring": ["内蒙古金融资产管理有限公司"], "bankruptcy": ["破产管理人"],
    "social_capital": ["内蒙古蒙能建设工程监理有限责任公司", "内蒙古伊泰置业有限责任公司"],
    "acquisition": ["内蒙古城市更新投资有限公司"], "financial_instruments": ["国家开发银行内蒙古分行"],
}
FUND_SOURCES = ["政府专项债券", "中央预算内投资", "自治区本级财政资金", "社会资本投入", "政策性开发性金融工具"]
SITE_USES = ["城市绿地", "社区停车场", "土地收储后重新出让", "复垦为耕地", "社区广场"]
RETURN_COMMENTS = [
    "续建资金来源不明确，请补充资金落实情况后重新提交。", "节点安排过于笼统，请细化到月并明确责任人。",
    "评估鉴定结论为基本合格，请补充加固措施后重新提交。", "完成时限与专项行动要求不符，请调整至专项行动期限内。",
]
PROGRESS_TEXT = {
    Method.PROCEDURES: ["与自然资源、住建部门对接补办手续", "完成技术性验收资料整理", "补缴相关规费",
                        "完成竣工验收备案"],
    Method.RESUME: ["续建施工有序推进", "完成主体结构加固", "室内外装修施工", "设备安装调试"],
    Method.REVITALISE: ["与合作方开展商务谈判", "完成资产评估", "新增资金陆续到位", "按新用途完成改造"],
    Method.JUDICIAL: ["配合法院开展诉前调解", "案件审理中", "依法开展资产评估拍卖准备", "执行程序推进中"],
    Method.DEMOLISH: ["完成拆除方案论证", "开展拆除前安全评估", "拆除施工", "场地平整"],
}
PROBLEMS = ["续建资金到位较慢", "部分手续办理周期较长", "冬季停工影响进度", "", "", "原施工单位债务尚未清理"]
SUGGESTIONS = ["建议自治区协调专项债券额度", "建议相关部门开辟绿色通道", "", "", "建议加快审批进度"]
OUTCOME_BY_METHOD = {
    Method.PROCEDURES: "in_use", Method.RESUME: "in_use", Method.REVITALISE: "transferred",
    Method.JUDICIAL: "transferred", Method.DEMOLISH: "demolished",
}
EVIDENCE_NAMES = {"in_use": "竣工验收证书.pdf", "demolished": "拆除完成核查表.pdf", "transferred": "资产移交协议.pdf"}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 140, 160)).save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()
