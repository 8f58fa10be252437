"""The demo's deployment phase (部署阶段): the default campaign (loaded by `init`), criteria recorded by a few
competent departments (one of them revised), and 实施方案 filed: accepted, waiting for the office, returned with
comments, and the rest still missing. Through the campaign's services, by the users whose role allows it; safe to
run again (what is there already is left alone)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from halfbuilt.accounts.models import Organization, OrgKind
from halfbuilt.campaign import selectors, services
from halfbuilt.campaign.models import CriteriaVersion, Document, FilingStatus, PlanFiling
from halfbuilt.regions.models import Department

from .accounts import Cast, actor
from .clock import Clock
from .story import Story

# A one-page PDF: the demo's stand-in for the documents departments and leagues would upload.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")

CRITERIA = {
    "JYT": ["停建满一年、无续建资金来源的校舍（教学楼、宿舍、食堂、体育馆）工程；已竣工一年以上仍未交付使用的校舍。",
            "停建满六个月、无续建资金来源的校舍工程；已竣工一年以上仍未交付使用、或交付后闲置一年以上的校舍。"],
    "WJW": ["停建满一年的医疗卫生机构业务用房；已竣工一年以上因设备、人员未到位等原因未开诊的医院、卫生院。"],
    "ZJT": ["停建满一年的公租房、棚户区改造安置房项目；已竣工一年以上未分配入住的保障性住房。"],
}
# filer (league/city code or department code) → (how its 实施方案 ends, the office's comment when returned,
# how many days ago it was filed)
FILINGS: dict[str, tuple[str, str, int]] = {
    "150200": (FilingStatus.ACCEPTED, "", 150),  # 包头市: accepted
    "150600": (FilingStatus.ACCEPTED, "", 140),  # 鄂尔多斯市
    "JYT": (FilingStatus.SUBMITTED, "", 12),  # 教育厅: waiting for the office
    "150100": (FilingStatus.SUBMITTED, "", 9),  # 呼和浩特市
    "150400": (FilingStatus.RETURNED, "处置时限不具体，请按项目逐一明确完成时限和责任单位后重新报送", 30),  # 赤峰市
}
CRITERIA_DAYS_AGO = 170  # the criteria came first (部署阶段), a revision later
REVISED_DAYS_AGO = 60
REVIEW_AFTER = 5  # days from filing to the office's answer


def build(cast: Cast, now: dt.datetime | None = None) -> dict:
    """Criteria and filings not there yet, each at its moment in the past (the story moves what the services
    stamp "now" in the change log; this moves the campaign's own time fields); how many of each were written."""
    story = Story(Clock(now or timezone.now()))
    written = {"criteria": _criteria(cast, story), "filings": _filings(cast, story)}
    story.run()
    return written


def _at(story: Story, days_ago: int, hour: int) -> dt.datetime:
    return story.clock.at(story.clock.day(days_ago), hour)


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _criteria(cast: Cast, story: Story) -> int:
    written = 0
    for code, versions in CRITERIA.items():
        department = Department.objects.get(code=code)
        if CriteriaVersion.objects.filter(department=department).exists():
            continue
        user = cast.department(code, "150000")
        for number, text in enumerate(versions, start=1):

            def record(moment, number=number, text=text, department=department, user=user):
                uploads = [_pdf(f"{department.short_name}半拉子工程认定标准.pdf")] if number == 1 else []
                version = services.record_criteria(actor=actor(user), department=department, text=text,
                                                   note="根据摸底情况修订" if number > 1 else "", uploads=uploads)
                CriteriaVersion.objects.filter(pk=version.pk).update(created_at=moment)
                Document.objects.filter(criteria=version).update(uploaded_at=moment)

            story.add(_at(story, CRITERIA_DAYS_AGO if number == 1 else REVISED_DAYS_AGO, 10), record)
            written += 1
    return written


def _filer(cast: Cast, key: str):
    if key.isdigit():
        return cast.government(key), Organization.objects.get(kind=OrgKind.GOVERNMENT, region_id=key)
    return cast.department(key, "150000"), Organization.objects.get(kind=OrgKind.DEPARTMENT, department_id=key,
                                                                   region_id="150000")


def _filings(cast: Cast, story: Story) -> int:
    campaign = selectors.current()
    if campaign is None:
        return 0
    written = 0
    for key, (status, comment, days_ago) in FILINGS.items():
        user, org = _filer(cast, key)
        filing = PlanFiling.objects.filter(campaign=campaign, organization=org, status=FilingStatus.PENDING).first()
        if filing is None:
            continue

        def file(moment, filing=filing, user=user, org=org):
            services.file_plan(actor=actor(user), filing=filing, title=f"{org.name}“半拉子”工程处置工作实施方案",
                               targets="年内盘活、解决一批；2023年底前全部盘活销号", deadline=dt.date(2023, 12, 31),
                               upload=_pdf(f"{org.name}实施方案.pdf"))
            PlanFiling.objects.filter(pk=filing.pk).update(submitted_at=moment, updated_at=moment)
            Document.objects.filter(filing=filing).update(uploaded_at=moment)

        def review(moment, filing=filing, status=status, comment=comment):
            action = "accept" if status == FilingStatus.ACCEPTED else "return"
            services.review_plan(actor=actor(cast.office), filing=filing.pk, action=action, comment=comment)
            PlanFiling.objects.filter(pk=filing.pk).update(reviewed_at=moment, updated_at=moment)

        story.add(_at(story, days_ago, 9), file)
        if status in (FilingStatus.ACCEPTED, FilingStatus.RETURNED):
            story.add(_at(story, days_ago - REVIEW_AFTER, 15), review)
        written += 1
    return written
