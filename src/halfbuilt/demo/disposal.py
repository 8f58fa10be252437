"""The disposal part of the demo campaign: plans of all five methods in every review status, monthly progress
reports (some late, some missing), roll-ups, closure requests in every status and a 回头看 sample.

Everything is written through the real services (plans, milestones, procedures, reports, attachments, closure,
回头看, roll-ups), each by a user whose role allows it, so the demo data obeys the same rules as real data and
every step is in the change log (via "demo"). The services stamp "now"; the story happened over the last
months, so after each step its change-log rows and the object's own timestamps are moved to the moment the
story gives (`Story.stamp`). All moments lie in the past and inside the audit retention period.

Deterministic (seeded) except the 回头看 draw, whose seed the closure service takes from `secrets` by design;
its size and results (one failed, the others passed, one left pending) are fixed.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from PIL import Image

from halfbuilt.accounts.models import Organization, OrgKind, Role, RoleAssignment, User
from halfbuilt.audit.models import ChangeLog
from halfbuilt.closure import services as closure
from halfbuilt.closure.models import ClosureRequest, FollowUpCheck, FollowUpSample, Outcome
from halfbuilt.core.request_context import Actor
from halfbuilt.demo.projects import person
from halfbuilt.disposal import services as disposal
from halfbuilt.disposal.models import Method, Milestone, Plan, PlanRevision, Procedure
from halfbuilt.files.models import Attachment
from halfbuilt.files.services import store_upload
from halfbuilt.ledger.models import Kind, Project, Stage, Status
from halfbuilt.progress import periods
from halfbuilt.progress import services as progress
from halfbuilt.progress.models import ProgressReport, Rollup
from halfbuilt.regions.models import RegionLevel

SEED = 20220901  # the day plan drafting began in the Inner Mongolia campaign
PLAN_SHARE = 0.6
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CENT = Decimal("0.01")

# (status the plan ends in, closure status or "") for showcase projects, so every demo account has a queue.
FORCED: dict[str, tuple[str, str]] = {
    "包头市东河区第二中学综合楼": ("confirmed", ""),  # demo_unit: reports due, last month missing
    "包头市东河区沙尔沁镇中心学校教学楼": ("returned", ""),  # demo_unit: a plan to fix
    "包头市东河区蒙古族中学学生宿舍楼": ("draft", ""),  # demo_unit: a draft
    "包头市东河区职业中学实训楼": ("confirmed", "returned"),  # demo_unit: a returned closure request
    "包头市第九中学综合楼": ("confirmed", "requested"),  # demo_jyt, demo_baotou_jyt: a closure to review
    "包头市白云鄂博矿区蒙古族中学学生宿舍楼": ("submitted", ""),  # demo_jyt, demo_baotou_jyt: a plan to review
    "包头市东河区公安分局业务技术用房": ("confirmed", ""),  # demo_gat: classified, all by itself
    "包头市东河区人民医院住院楼": ("confirmed", "approved"),  # demo_office: a closure to close
}
FORCED_METHOD = {
    "包头市东河区第二中学综合楼": Method.RESUME, "包头市东河区职业中学实训楼": Method.PROCEDURES,
    "包头市东河区公安分局业务技术用房": Method.RESUME, "包头市东河区沙尔沁镇中心学校教学楼": Method.RESUME,
}
# The demo unit's missing report: last month, so its queue shows a report due.
SKIP_LAST_MONTH = {"包头市东河区第二中学综合楼"}
STATUS_WEIGHTS = {"draft": 8, "submitted": 12, "returned": 8, "approved": 10, "confirmed": 62}
METHOD_WEIGHTS = {
    Kind.STALLED: {Method.PROCEDURES: 15, Method.RESUME: 40, Method.REVITALISE: 20, Method.JUDICIAL: 10,
                   Method.DEMOLISH: 15},
    Kind.IDLE: {Method.PROCEDURES: 45, Method.RESUME: 5, Method.REVITALISE: 35, Method.JUDICIAL: 5,
                Method.DEMOLISH: 10},
}
CLOSURE_WEIGHTS = {"": 72, "closed": 15, "requested": 5, "approved": 4, "returned": 4}

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


@dataclass
class Story:
    """Moves what the services stamped "now" to the moment the story gives."""

    now: dt.datetime
    mark: int = 0
    uploads: dict[int, Attachment] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.mark = ChangeLog.objects.aggregate(m=Max("id"))["m"] or 0

    def stamp(self, moment: dt.datetime) -> dt.datetime:
        ChangeLog.objects.filter(id__gt=self.mark).update(at=moment)
        self.mark = ChangeLog.objects.aggregate(m=Max("id"))["m"] or self.mark
        return moment

    def clamp(self, moment: dt.datetime, *, before: dt.timedelta = dt.timedelta(hours=1)) -> dt.datetime:
        return min(moment, self.now - before)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)), timezone.get_current_timezone())


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- who acts -------------------------------------------------------------------------------------------

class Cast:
    """The user who plays each part for a project: the demo accounts where they apply, otherwise a user of the
    league government or the autonomous region's department (created here, without a usable password)."""

    def __init__(self) -> None:
        self.users = {u.username: u for u in User.objects.filter(username__startswith="demo_")}
        self.office = self.users["demo_office"]
        self.unit_org = Organization.objects.get(name="包头市东河区教育局", region_id="150202")

    def _user(self, username: str, role: str, org: Organization) -> User:
        if username not in self.users:
            user, created = User.objects.get_or_create(username=username, defaults={"first_name": org.name[:150]})
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            RoleAssignment.objects.get_or_create(user=user, role=role, organization=org)
            self.users[username] = user
        return self.users[username]

    def government(self, prefecture_code: str) -> User:
        if prefecture_code == "150200":
            return self.users["demo_baotou"]
        org = Organization.objects.get(kind=OrgKind.GOVERNMENT, region_id=prefecture_code)
        return self._user(f"demo_gov_{prefecture_code}", Role.REGION, org)

    def department(self, project: Project) -> User:
        if project.department_id == "GAT":
            return self.users["demo_gat"]
        if project.department_id == "JYT":
            return self.users["demo_baotou_jyt" if project.prefecture_id == "150200" else "demo_jyt"]
        org = Organization.objects.get(kind=OrgKind.DEPARTMENT, region_id="150000", department_id=project.department_id)
        return self._user(f"demo_dept_{project.department_id}", Role.DEPARTMENT, org)

    def drafter(self, project: Project) -> User:
        """The unit, its county or its league drafts, reports and requests closure; for a classified project its
        department does everything."""
        if project.classified:
            return self.department(project)
        if project.responsible_org_id == self.unit_org.pk:
            return self.users["demo_unit"]
        if project.region_id == "150202":
            return self.users["demo_donghe"]
        return self.government(project.prefecture_id)

    def confirmer(self, project: Project) -> User:
        return self.department(project) if project.classified else self.office


def actor(user: User) -> Actor:
    return Actor(user=user, via="demo")


# --- the plan -------------------------------------------------------------------------------------------

def _facts(rng: random.Random, method: str, project: Project, drafted: dt.date, complete: bool) -> dict:
    place = project.region.full_name
    if method == Method.PROCEDURES:
        central = rng.random() < 0.1
        return {"central_approval_needed": central,
                "central_approval_note": "已按程序报国家有关部门审批" if central else ""}
    if method == Method.RESUME:
        if not complete and rng.random() < 0.4:
            return {"continuation_plan": "待评估鉴定完成后编制续建方案"}
        appraised = drafted - dt.timedelta(days=rng.randint(25, 90))
        confirmed = appraised + dt.timedelta(days=rng.randint(5, 20))
        return {
            "appraisal_date": appraised.isoformat(), "appraisal_agency": rng.choice(AGENCIES),
            "appraisal_conclusion": "qualified" if rng.random() < 0.6 else "basically_qualified",
            "authority_confirmed_by": f"{place}住房和城乡建设局", "authority_confirmed_date": confirmed.isoformat(),
            "continuation_plan": "按原设计完成剩余主体及配套工程，对鉴定指出的部位先行加固。",
            "continuing_entity": project.owner_unit if rng.random() < 0.6 else rng.choice(CONTRACTORS),
        }
    if method == Method.REVITALISE:
        route = rng.choice(list(REVITALISE_ROUTES))
        funds = (project.total_investment * Decimal(str(rng.uniform(0.1, 0.5)))).quantize(CENT)
        return {"route": route, "counterparties": REVITALISE_ROUTES[route], "new_funds": str(funds),
                "funds_source": rng.choice(FUND_SOURCES)}
    if method == Method.JUDICIAL:
        route = rng.choice(["judgment", "judgment", "auction", "mediation"])
        court = f"{project.prefecture.name}中级人民法院" if rng.random() < 0.5 else f"{place}人民法院"
        year = drafted.year if rng.random() < 0.6 else drafted.year - 1
        return {
            "route": route, "developer_extinct": route == "auction", "court": court,
            "case_number": f"（{year}）内{project.prefecture_id[2:4]}民初{rng.randint(100, 3999)}号",
            "outcome": "调解协议已经司法确认" if route == "mediation" and complete else "",
        }
    conditions = rng.sample(["cannot_legalise", "fails_planning", "fails_safety", "no_market_need"], rng.randint(1, 2))
    demolition = drafted + dt.timedelta(days=rng.randint(60, 200))
    return {"involves_relocation": False, **{c: True for c in conditions},
            "demolition_date": demolition.isoformat() if complete else None, "site_use_after": rng.choice(SITE_USES)}


def _plan_data(rng, method, project, facts, deadline: dt.date) -> dict:
    place = project.region.full_name
    route = ""
    if method in (Method.REVITALISE, Method.JUDICIAL) and facts.get("route"):
        from halfbuilt.disposal.methods import METHODS

        route = METHODS[method].field("route").choice_label(facts["route"])
    measures = MEASURES[method].format(items="规划许可、施工许可、竣工验收", route=route or "多种方式",
                                       use=facts.get("site_use_after", ""))
    if method == Method.RESUME and facts.get("continuing_entity"):
        facts = {**facts, "committed_completion_date": deadline.isoformat()}
    return {
        "introduction": f"{project.name}，{project.content}，总投资{project.total_investment}万元，"
                        f"已完成投资{project.completed_investment}万元。",
        "problems": project.causes or "资金不足导致停建",
        "method": method, "measures": measures, "lead_unit": project.responsible_unit,
        "responsible_person": project.responsible_person or "王建国", "responsible_phone": project.phone,
        "cooperating_units": COOPERATING[method].format(p=place), "deadline": deadline,
        "leader_in_charge": f"{person(rng)}（副{_title(project)}）",
        "facts": facts,
    }


def _title(project: Project) -> str:
    name = project.region.name
    if name.endswith("旗"):
        return "旗长"
    if name.endswith("县"):
        return "县长"
    if name.endswith("区"):
        return "区长"
    return "市长" if not name.endswith("盟") else "盟长"


@dataclass
class Planned:
    project: Project
    plan: Plan
    method: str
    drafted: dt.date
    confirmed: dt.datetime | None


def _draft_plan(story: Story, cast: Cast, rng, project: Project, status: str, method: str) -> Planned:
    today = timezone.localdate(story.now)
    current = periods.current_period()
    if status == "confirmed":
        start = periods.shift(current, -rng.randint(3, 5))
    else:
        start = periods.shift(current, -rng.randint(0, 1))
    drafted = periods.first_day(start) + dt.timedelta(days=rng.randint(0, 9))
    drafted = min(drafted, today - dt.timedelta(days=12))
    complete = status in ("submitted", "approved", "confirmed") or rng.random() < 0.5
    facts = _facts(rng, method, project, drafted, complete)
    deadline = periods.last_day(periods.shift(periods.period_of(drafted), rng.randint(8, 14)))
    unit = actor(cast.drafter(project))
    moment = story.clamp(_at(drafted, 9))
    plan = disposal.plan_create(actor=unit, project=project, data=_plan_data(rng, method, project, facts, deadline))
    titles = MILESTONES[method]
    count = min(len(titles), 3)
    chosen = [titles[i] for i in sorted(rng.sample(range(len(titles)), count))]
    span = (deadline - drafted).days
    for n, title in enumerate(chosen, 1):
        due = drafted + dt.timedelta(days=span * n // (count + 1) + rng.randint(-5, 5))
        disposal.milestone_add(actor=unit, plan=plan, title=title, due_date=due)
    if method == Method.PROCEDURES:
        for kind in sorted(rng.sample(list(PROCEDURE_AUTHORITY), rng.randint(2, 4))):
            disposal.procedure_add(actor=unit, plan=plan, kind=kind,
                                   authority=f"{project.region.full_name}{PROCEDURE_AUTHORITY[kind]}")
    story.stamp(moment)
    Plan.objects.filter(pk=plan.pk).update(created_at=moment, updated_at=moment)
    return Planned(project, plan, method, drafted, None)


def _review(story: Story, cast: Cast, rng, item: Planned, status: str) -> None:
    """Take the drafted plan through review until it stands at `status`."""
    project, plan = item.project, item.plan
    moment = _at(item.drafted, 10)

    def step(action: str, user: User, comment: str = "") -> None:
        nonlocal moment, plan
        moment = story.clamp(moment + dt.timedelta(days=rng.randint(2, 5), hours=rng.randint(0, 6)))
        plan = disposal.plan_transition(actor=actor(user), plan=plan, action=action, comment=comment)
        story.stamp(moment)

    if status == "draft":
        return
    unit, department, office = cast.drafter(project), cast.department(project), cast.confirmer(project)
    step("submit", unit)
    if status == "returned":
        by_office = rng.random() < 0.3 and not project.classified
        if by_office:
            step("approve", department)
        step("return", office if by_office else department, rng.choice(RETURN_COMMENTS))
    elif status in ("approved", "confirmed"):
        step("approve", department, "方案内容完整，同意。")
        if status == "confirmed":
            step("confirm", cast.confirmer(project))
            item.confirmed = moment
    Plan.objects.filter(pk=plan.pk).update(updated_at=moment)
    item.plan = plan


def _after_confirmation(story: Story, cast: Cast, rng, item: Planned) -> None:
    """Procedures done, work resumed, a revision: what happens to a confirmed plan in the following weeks."""
    unit = actor(cast.drafter(item.project))
    today = timezone.localdate(story.now)
    confirmed_on = timezone.localdate(item.confirmed)
    if item.method == Method.PROCEDURES:
        for procedure in Procedure.objects.filter(plan=item.plan).order_by("id"):
            if rng.random() < 0.55:
                done = min(confirmed_on + dt.timedelta(days=rng.randint(10, 90)), today - dt.timedelta(days=1))
                number = f"{item.project.region.name[0]}建字〔{done.year}〕{rng.randint(10, 300)}号"
                disposal.procedure_done(actor=unit, procedure=procedure, done_date=done, document_no=number)
                story.stamp(story.clamp(_at(done, 15)))
    facts = item.plan.facts
    if item.method == Method.RESUME and facts.get("authority_confirmed_date"):
        resumed = min(confirmed_on + dt.timedelta(days=rng.randint(5, 30)), today - dt.timedelta(days=1))
        disposal.record_resumption(actor=unit, plan=item.plan, date=resumed)
        story.stamp(story.clamp(_at(resumed, 11)))
    if rng.random() < 0.12:
        when = story.clamp(item.confirmed + dt.timedelta(days=rng.randint(20, 60)))
        plan = Plan.objects.get(pk=item.plan.pk)
        successor = person(rng)
        while successor == plan.responsible_person:
            successor = person(rng)
        _, revision = disposal.plan_revise(
            actor=unit, plan=plan, version=plan.version, data={"responsible_person": successor},
            reason="原责任人工作调动，调整责任人",
        )
        story.stamp(when)
        PlanRevision.objects.filter(pk=revision.pk).update(changed_at=when)
        Plan.objects.filter(pk=plan.pk).update(updated_at=when)


# --- monthly reports ------------------------------------------------------------------------------------

def _photo(story: Story, cast: Cast, project: Project, moment: dt.datetime) -> Attachment:
    if project.pk not in story.uploads:
        attachment = store_upload(actor=actor(cast.drafter(project)), project=project, kind="photo",
                                  upload=_upload("现场照片.png", PNG, "image/png"))
        Attachment.objects.filter(pk=attachment.pk).update(uploaded_at=moment)
        story.uploads[project.pk] = attachment
    return story.uploads[project.pk]


def _reports(story: Story, cast: Cast, rng, item: Planned, last: str, skip_last: bool) -> dt.datetime | None:
    """Monthly reports from the month the plan was drafted to `last`: physical progress rising, cumulative
    investment continuing; now and then a month late or skipped. Returns when the last one was submitted."""
    project = item.project
    unit = actor(cast.drafter(project))
    period = periods.period_of(item.drafted)
    total, done = project.total_investment or Decimal(0), project.completed_investment or Decimal(0)
    physical = Decimal(int(done * 100 / total * Decimal("0.9"))) if total else Decimal(10)
    texts = PROGRESS_TEXT[item.method]
    submitted_at = None
    step = 0
    while period <= last:
        is_last = period == last
        if (is_last and skip_last) or (not is_last and step and rng.random() < 0.05):
            period, step = periods.shift(period, 1), step + 1
            continue
        physical = min(Decimal(100), physical + Decimal(rng.randint(2, 9)))
        month = Decimal(0)
        if item.method in (Method.RESUME, Method.REVITALISE) and total > done:
            month = ((total - done) * Decimal(str(rng.uniform(0.02, 0.08)))).quantize(CENT)
            done += month
        elif item.method == Method.PROCEDURES and rng.random() < 0.3:
            month = Decimal(rng.randint(2, 30))
        new_funds = month if item.method == Method.REVITALISE else Decimal(0)
        due = periods.due_date(period)
        late = rng.random() < 0.15
        day = due + dt.timedelta(days=rng.randint(1, 12)) if late else due - dt.timedelta(days=rng.randint(0, 6))
        moment = story.clamp(_at(day, rng.randint(9, 17)))
        if submitted_at is not None and moment <= submitted_at:
            moment = submitted_at + dt.timedelta(minutes=10)
        data = {
            "progress": f"{texts[min(step, len(texts) - 1)]}，形象进度达到{physical}%。",
            "physical_progress": str(physical), "investment_month": str(month), "new_funds": str(new_funds),
            "problems": rng.choice(PROBLEMS), "suggestions": rng.choice(SUGGESTIONS),
        }
        open_ones = progress.open_milestones(project, period)
        photo_ids = []
        if open_ones and rng.random() < 0.75:
            data["milestones_met"] = [open_ones[0].pk]
            photo_ids = [str(_photo(story, cast, project, moment).pk)]
        report = progress.report_submit(actor=unit, project=project, period=period, data=data, photo_ids=photo_ids)
        story.stamp(moment)
        ProgressReport.objects.filter(pk=report.pk).update(submitted_at=moment)
        submitted_at = moment
        period, step = periods.shift(period, 1), step + 1
    return submitted_at


# --- closure and 回头看 --------------------------------------------------------------------------------

def _closure(story: Story, cast: Cast, rng, item: Planned, status: str, after: dt.datetime) -> None:
    project = item.project
    unit = actor(cast.drafter(project))
    requested = story.clamp(after + dt.timedelta(days=rng.randint(2, 8)), before=dt.timedelta(days=3))
    outcome = OUTCOME_BY_METHOD[item.method]
    if outcome == "transferred" and rng.random() < 0.4:
        outcome = "in_use"
    pdf = store_upload(actor=unit, project=project, kind="evidence",
                       upload=_upload(EVIDENCE_NAMES.get(outcome, "处置情况说明.pdf"), PDF, "application/pdf"))
    evidence = [str(pdf.pk)]
    if project.pk in story.uploads:
        evidence.append(str(story.uploads[project.pk].pk))
    outcome_date = timezone.localdate(requested) - dt.timedelta(days=rng.randint(3, 20))
    request = closure.closure_request(
        actor=unit, project=project, outcome=outcome, outcome_date=outcome_date, evidence_ids=evidence,
        description=f"{project.name}已按处置方案完成处置，{Outcome(outcome).label}，申请销号。",
    )
    story.stamp(requested)
    Attachment.objects.filter(pk=pdf.pk).update(uploaded_at=requested)
    ClosureRequest.objects.filter(pk=request.pk).update(requested_at=requested)
    if status == "requested":
        return
    reviewed = story.clamp(requested + dt.timedelta(days=rng.randint(1, 3)), before=dt.timedelta(hours=30))
    department = actor(cast.department(project))
    if status == "returned":
        closure.closure_review(actor=department, request=request, approve=False,
                               comment="证明材料不全，请补充消防验收意见书和现场照片后重新申请。")
    else:
        closure.closure_review(actor=department, request=request, approve=True, comment="材料齐全，同意销号。")
    story.stamp(reviewed)
    ClosureRequest.objects.filter(pk=request.pk).update(reviewed_at=reviewed)
    if status != "closed":
        return
    closed = story.clamp(reviewed + dt.timedelta(days=rng.randint(1, 3)))
    closure.closure_close(actor=actor(cast.confirmer(project)), request=request)
    story.stamp(closed)
    ClosureRequest.objects.filter(pk=request.pk).update(closed_at=closed)


def _followup(story: Story, cast: Cast) -> None:
    """The office samples closed projects: the first check fails (the project reopens), one stays pending."""
    office = actor(cast.office)
    drawn = story.clamp(story.now - dt.timedelta(days=3))
    sample = closure.draw_sample(actor=office, share="0.3", note="专项行动回头看（演示）")
    story.stamp(drawn)
    FollowUpSample.objects.filter(pk=sample.pk).update(drawn_at=drawn)
    checks = list(sample.checks.order_by("project_id"))
    for n, check in enumerate(checks[:-1] if len(checks) > 2 else checks):
        checked = story.clamp(drawn + dt.timedelta(hours=20 + n))
        if n == 0:
            closure.record_check(actor=office, check=check, passed=False,
                                 finding="现场核查发现项目尚未实际投入使用，配套设施未完工。")
        else:
            closure.record_check(actor=office, check=check, passed=True)
        story.stamp(checked)
        FollowUpCheck.objects.filter(pk=check.pk).update(checked_at=checked)


def _rollups(story: Story, cast: Cast) -> None:
    """Last month's roll-up from Baotou, six other leagues and the education department; the month before from
    every league."""
    last, before = periods.open_period(), periods.shift(periods.open_period(), -1)
    leagues = list(
        Organization.objects.filter(kind=OrgKind.GOVERNMENT, region__level=RegionLevel.PREFECTURE).order_by("region_id")
    )
    jyt = Organization.objects.get(name="内蒙古自治区教育厅")
    plan = [(org, before) for org in leagues] + [(jyt, before)]
    plan += [(org, last) for org in leagues if org.region_id == "150200" or int(org.region_id[2:4]) % 2] + [(jyt, last)]
    for org, period in plan:
        user = cast.users["demo_jyt"] if org == jyt else cast.government(org.region_id)
        rollup = progress.rollup_submit(
            actor=actor(user), organization=org, period=period,
            progress="各项目按照处置方案有序推进，本月召开调度会一次，逐项目督导进度。",
            problems="部分项目续建资金缺口较大，个别项目手续办理周期较长。",
            suggestions="建议自治区统筹专项债券额度，对手续办理开辟绿色通道。",
        )
        moment = story.clamp(_at(periods.due_date(period) - dt.timedelta(days=1), 16))
        story.stamp(moment)
        Rollup.objects.filter(pk=rollup.pk).update(submitted_at=moment)


# --- the whole story ------------------------------------------------------------------------------------

@transaction.atomic
def create_demo_disposal(seed: int = SEED) -> dict | None:
    """Plans, reports, closures and a 回头看 sample for the demo projects; None when plans exist already."""
    if Plan.objects.exists():
        return None
    rng = random.Random(seed)
    story, cast = Story(timezone.now()), Cast()
    open_period = periods.open_period()
    projects = list(
        Project.objects.filter(status=Status.IN_LEDGER, stage=Stage.NONE)
        .select_related("region", "prefecture").order_by("ledger_no")
    )
    confirmed: list[tuple[Planned, str]] = []
    for project in projects:
        forced = FORCED.get(project.name)
        if forced is None and rng.random() >= PLAN_SHARE:
            continue
        status, closure_status = forced or (_pick(rng, STATUS_WEIGHTS), "")
        method = FORCED_METHOD.get(project.name) or _pick(rng, METHOD_WEIGHTS[project.kind])
        item = _draft_plan(story, cast, rng, project, status, method)
        _review(story, cast, rng, item, status)
        if status == "confirmed":
            _after_confirmation(story, cast, rng, item)
            if forced is None:
                closure_status = _pick(rng, CLOSURE_WEIGHTS)
            confirmed.append((item, closure_status))
    for item, closure_status in confirmed:
        last = open_period
        if closure_status == "closed":
            last = periods.shift(open_period, -1)
        skip = item.project.name in SKIP_LAST_MONTH or (not closure_status and rng.random() < 0.15)
        submitted = _reports(story, cast, rng, item, last, skip)
        if closure_status and submitted is not None:
            _closure(story, cast, rng, item, closure_status, submitted)
    _rollups(story, cast)
    if closure.sample_population(cast.office).exists():
        _followup(story, cast)
    return {
        "plans": Plan.objects.count(), "reports": ProgressReport.objects.count(),
        "closures": ClosureRequest.objects.count(),
        "milestones_met": Milestone.objects.filter(met_date__isnull=False).count(),
    }
