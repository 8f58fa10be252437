"""A campaign with something of every kind for the public portal's tests: one public project carrying personal
and internal data in every field that has them, and the projects that must never appear (candidate, rejected,
voided, classified), each with a name of its own."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from tests import world

# Values that must never leave: each is written into a field the public selector leaves out.
SECRETS = {
    "responsible_person": "钱学林",
    "phone": "13912345678",
    "person_uscc": "92150202MA0ABCDE1X",
    "person_owner": "孙某某个体工商户",
    "causes": "内部掌握停工原因甲乙丙",
    "status_reason": "核实意见丁戊己",
    "high_impact_reason": "影响较大理由庚辛",
    "approval_doc": "内发改审〔2019〕77号",
    "plan_person": "周建国",
    "plan_phone": "13800001111",
    "plan_leader": "吴副市长",
    "plan_review": "审核意见请补充壬癸",
    "plan_problems": "方案存在问题子丑",
    "report_problems": "月报存在问题寅卯",
    "report_suggestions": "月报建议辰巳",
    "report_by": "unit_school",
    "order_requirements": "督办要求午未申",
    "unit_name": "东河区第一中学",
    "draft_progress": "草稿进展酉戌",
}
NEVER = {
    "candidate": "待核实的某项目甲",
    "rejected": "不予认定的某项目乙",
    "voided": "已作废的某项目丙",
    "classified": "涉密的某项目丁",
}


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 20), "blue")
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "SecretCam 9"
    exif[ExifTags.Base.Artist] = "拍摄人某某"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


@dataclass
class PublicWorld:
    public: object  # the public project
    plain: object  # a second public project, in Chifeng, with nothing but the ledger's facts
    never: dict  # kind → project that must never appear
    photo: object  # published photo (attachment)
    hidden_photo: object  # an unpublished photo of the public project
    order: object  # a 挂牌督办 on the public project, made public
    circular: object


def build(users, orgs) -> PublicWorld:
    from halfbuilt.core.request_context import Actor
    from halfbuilt.disposal.models import Milestone, Plan, PlanStatus
    from halfbuilt.files.services import store_upload
    from halfbuilt.progress.models import ProgressReport, ReportStatus
    from halfbuilt.public import services
    from halfbuilt.supervision.circulars.models import Circular
    from halfbuilt.supervision.dashboard import cube
    from halfbuilt.supervision.orders.services import issue_order

    public = world.project(
        name="东河区公开示范学校", status="in_ledger", responsible_org=orgs["unit"],
        responsible_unit=SECRETS["unit_name"], responsible_person=SECRETS["responsible_person"],
        phone=SECRETS["phone"], owner_unit=SECRETS["person_owner"], owner_uscc=SECRETS["person_uscc"],
        causes=SECRETS["causes"], status_reason=SECRETS["status_reason"], high_impact=True,
        high_impact_reason=SECRETS["high_impact_reason"], approval_doc=SECRETS["approval_doc"],
        address="东河区公开路1号", longitude=Decimal("109.9"), latitude=Decimal("40.6"), start_date="2019-05",
        content="教学楼一栋", stage="disposing")
    plain = world.project(name="红山区公开幼儿园", region_id="150402", status="in_ledger",
                          owner_unit="赤峰市红山区教育局", owner_uscc="11150402MB0000000X")
    never = {
        "candidate": world.project(name=NEVER["candidate"], status="candidate"),
        "rejected": world.project(name=NEVER["rejected"], status="rejected"),
        "voided": world.project(name=NEVER["voided"], status="voided"),
        "classified": world.project(name=NEVER["classified"], status="in_ledger", classified=True,
                                    category_id="A02", department_id="GAT"),
    }
    plan = Plan.objects.create(
        project=public, method="resume", lead_unit="东河区教育局", responsible_person=SECRETS["plan_person"],
        responsible_phone=SECRETS["plan_phone"], leader_in_charge=SECRETS["plan_leader"],
        review_comment=SECRETS["plan_review"], problems=SECRETS["plan_problems"],
        deadline=dt.date.today() + dt.timedelta(days=200), status=PlanStatus.CONFIRMED)
    Milestone.objects.create(plan=plan, title="完成复工手续", due_date=dt.date.today() + dt.timedelta(days=30))
    Milestone.objects.create(plan=plan, title="落实续建资金", due_date=dt.date.today() - dt.timedelta(days=10),
                             met_date=dt.date.today() - dt.timedelta(days=12))
    today = dt.date.today()
    ProgressReport.objects.create(
        project=public, period=f"{today.year - 1}-11", progress="主体结构已封顶，正在办理续建手续",
        physical_progress=Decimal("45"), problems=SECRETS["report_problems"],
        suggestions=SECRETS["report_suggestions"], status=ReportStatus.SUBMITTED, submitted_by=SECRETS["report_by"],
        submitted_at=dt.datetime.now(dt.UTC))
    ProgressReport.objects.create(project=public, period=f"{today.year - 1}-12", progress=SECRETS["draft_progress"],
                                  physical_progress=Decimal("50"), status=ReportStatus.DRAFT)
    unit = Actor(users["unit"])
    photo = store_upload(actor=unit, project=public, kind="photo", upload=SimpleUploadedFile(
        "现场.jpg", jpeg_with_exif(), content_type="image/jpeg"))
    hidden = store_upload(actor=unit, project=public, kind="photo", upload=SimpleUploadedFile(
        "未审核.jpg", jpeg_with_exif(), content_type="image/jpeg"))
    services.set_photo_published(actor=Actor(users["county"]), attachment_id=photo.pk, published=True,
                                 caption="教学楼现状")
    order = issue_order(actor=Actor(users["office"]), reason="停工两年未复工",
                        requirements=SECRETS["order_requirements"], addressee=orgs["unit"], project=public,
                        deadline_workdays=5, listed=True)
    services.set_order_published(actor=Actor(users["office"]), order_id=order.pk, published=True)
    circular = Circular.objects.create(
        issuer_org=orgs["office"], created_by=users["office"], period_kind="month", start=today, end=today,
        title="关于十一月半拉子工程处置进展的通报", opening="现将进展通报如下", findings="各盟市进展总体平稳",
        requirements="加快处置", public=True, status="published", doc_no="内半办通〔2026〕1号",
        published_at=dt.datetime.now(dt.UTC))
    cube.rebuild()
    return PublicWorld(public, plain, never, photo, hidden, order, circular)
