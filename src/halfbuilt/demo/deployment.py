"""The demo's deployment phase (部署阶段): the default campaign (loaded by `init`), criteria recorded by a few
competent departments (one of them revised), and 实施方案 filed: accepted, waiting for the office, returned with
comments, and the rest still missing. Through the campaign's services, by the users whose role allows it; safe to
run again (what is there already is left alone)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from halfbuilt.accounts.models import Organization, OrgKind
from halfbuilt.campaign import selectors, services
from halfbuilt.campaign.models import CriteriaVersion, FilingStatus, PlanFiling
from halfbuilt.regions.models import Department

from .accounts import Cast, actor

# A one-page PDF: the demo's stand-in for the documents departments and leagues would upload.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")

CRITERIA = {
    "JYT": ["停建满一年、无续建资金来源的校舍（教学楼、宿舍、食堂、体育馆）工程；已竣工一年以上仍未交付使用的校舍。",
            "停建满六个月、无续建资金来源的校舍工程；已竣工一年以上仍未交付使用、或交付后闲置一年以上的校舍。"],
    "WJW": ["停建满一年的医疗卫生机构业务用房；已竣工一年以上因设备、人员未到位等原因未开诊的医院、卫生院。"],
    "ZJT": ["停建满一年的公租房、棚户区改造安置房项目；已竣工一年以上未分配入住的保障性住房。"],
}
# filer (league/city code or department code) → (how its 实施方案 ends, the office's comment when returned)
FILINGS: dict[str, tuple[str, str]] = {
    "150200": (FilingStatus.ACCEPTED, ""),  # 包头市: accepted
    "150600": (FilingStatus.ACCEPTED, ""),  # 鄂尔多斯市
    "JYT": (FilingStatus.SUBMITTED, ""),  # 教育厅: waiting for the office
    "150100": (FilingStatus.SUBMITTED, ""),  # 呼和浩特市
    "150400": (FilingStatus.RETURNED, "处置时限不具体，请按项目逐一明确完成时限和责任单位后重新报送"),  # 赤峰市
}


def build(cast: Cast) -> dict:
    """Criteria and filings not there yet; returns how many of each were written now."""
    return {"criteria": _criteria(cast), "filings": _filings(cast)}


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _criteria(cast: Cast) -> int:
    written = 0
    for code, versions in CRITERIA.items():
        department = Department.objects.get(code=code)
        if CriteriaVersion.objects.filter(department=department).exists():
            continue
        user = cast.department(code, "150000")
        for number, text in enumerate(versions, start=1):
            uploads = [_pdf(f"{department.short_name}半拉子工程认定标准.pdf")] if number == 1 else []
            services.record_criteria(actor=actor(user), department=department, text=text,
                                     note="根据摸底情况修订" if number > 1 else "", uploads=uploads)
            written += 1
    return written


def _filer(cast: Cast, key: str):
    if key.isdigit():
        return cast.government(key), Organization.objects.get(kind=OrgKind.GOVERNMENT, region_id=key)
    return cast.department(key, "150000"), Organization.objects.get(kind=OrgKind.DEPARTMENT, department_id=key,
                                                                   region_id="150000")


def _filings(cast: Cast) -> int:
    campaign = selectors.current()
    if campaign is None:
        return 0
    written = 0
    for key, (status, comment) in FILINGS.items():
        user, org = _filer(cast, key)
        filing = PlanFiling.objects.filter(campaign=campaign, organization=org, status=FilingStatus.PENDING).first()
        if filing is None:
            continue
        services.file_plan(actor=actor(user), filing=filing, title=f"{org.name}“半拉子”工程处置工作实施方案",
                           targets="年内盘活、解决一批；2023年底前全部盘活销号", deadline=dt.date(2023, 12, 31),
                           upload=_pdf(f"{org.name}实施方案.pdf"))
        if status in (FilingStatus.ACCEPTED, FilingStatus.RETURNED):
            services.review_plan(actor=actor(cast.office), filing=filing,
                                 action="accept" if status == FilingStatus.ACCEPTED else "return", comment=comment)
        written += 1
    return written
