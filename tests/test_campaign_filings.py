"""The 实施方案 review table: a filer files (document, targets, deadline), the office accepts or returns it with
comments, a returned plan is filed again; who may do what, through the workflow kernel and its change log."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from halfbuilt.audit.models import ChangeLog
from halfbuilt.campaign import selectors, services
from halfbuilt.campaign.loader import load_campaign
from halfbuilt.campaign.models import FilingStatus, PlanFiling
from halfbuilt.campaign.workflow import FILING
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def campaign(reference):
    return load_campaign()[0]


def _pdf(name="包头市实施方案.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _filing(orgs, key) -> PlanFiling:
    return PlanFiling.objects.get(organization=orgs[key], campaign__current=True)


def _file(user, filing, **overrides):
    data = {"title": "包头市“半拉子”工程处置工作实施方案", "targets": "年内盘活一批，2023年底前全部销号",
            "deadline": dt.date(2023, 12, 31), "upload": _pdf(), **overrides}
    return services.file_plan(actor=Actor(user), filing=filing, **data)


def test_the_table(campaign):
    rows = {(t.source, t.action): (t.target, t.scope, t.comment_required) for t in FILING.transitions}
    assert rows == {
        ("pending", "file"): ("submitted", "campaign_file", False),
        ("returned", "file"): ("submitted", "campaign_file", False),
        ("submitted", "accept"): ("accepted", "campaign_review", False),
        ("submitted", "return"): ("returned", "campaign_review", True),
    }


def test_file_return_refile_accept(campaign, users, orgs):
    filing = _filing(orgs, "region")
    filed = _file(users["region"], filing)
    assert (filed.status, filed.submitted_by, filed.documents.count()) == (FilingStatus.SUBMITTED, users["region"], 1)
    with pytest.raises(ServiceError, match="退回修改必须填写审核意见"):
        services.review_plan(actor=Actor(users["office"]), filing=filing, action="return")
    returned = services.review_plan(actor=Actor(users["office"]), filing=filing, action="return",
                                    comment="请补充分年度目标")
    assert (returned.status, returned.comment) == (FilingStatus.RETURNED, "请补充分年度目标")
    with pytest.raises(ServiceError):  # nothing to accept until it is filed again
        services.review_plan(actor=Actor(users["office"]), filing=filing, action="accept")
    refiled = _file(users["region"], filing, targets="2022年盘活30%，2023年底前全部销号", upload=None)
    assert (refiled.status, refiled.comment, refiled.documents.count()) == (FilingStatus.SUBMITTED, "", 1)
    accepted = services.review_plan(actor=Actor(users["office"]), filing=filing, action="accept")
    assert accepted.status == FilingStatus.ACCEPTED and accepted.reviewed_by == users["office"]
    actions = list(ChangeLog.objects.filter(object_type="planfiling", object_id=str(filing.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["filing_file", "filing_return", "filing_file", "filing_accept"]


def test_who_may_file_and_review(campaign, users, orgs):
    filing = _filing(orgs, "region")
    for role in ("county", "department", "unit", "office"):  # not Baotou's government: it does not exist for them
        with pytest.raises(NotAllowed):
            _file(users[role], filing)
    _file(users["region"], filing)
    for role in ("region", "department"):
        with pytest.raises(NotAllowed):
            services.review_plan(actor=Actor(users[role]), filing=filing, action="accept")
    assert PlanFiling.objects.get(pk=filing.pk).status == FilingStatus.SUBMITTED


def test_a_first_filing_needs_its_document_and_fields(campaign, users, orgs):
    filing = _filing(orgs, "department")
    with pytest.raises(ServiceError, match="请上传实施方案文件") as missing:
        _file(users["department"], filing, upload=None)
    assert missing.value.field == "file"
    with pytest.raises(ServiceError, match="请填写工作目标"):
        _file(users["department"], filing, targets=" ")
    with pytest.raises(ServiceError, match="只接受"):
        _file(users["department"], filing, upload=SimpleUploadedFile("方案.exe", b"MZ\x90\x00", "application/pdf"))
    assert PlanFiling.objects.get(pk=filing.pk).status == FilingStatus.PENDING
    assert not ChangeLog.objects.filter(object_type="planfiling").exists()


def test_who_has_filed_and_who_has_not(campaign, users, orgs):
    _file(users["region"], _filing(orgs, "region"))
    status = {row.filing.organization.name: row.filed for row in selectors.filing_status()}
    assert status["包头市人民政府"] is True
    assert status["赤峰市人民政府"] is False and status["内蒙古自治区教育厅"] is False
    assert selectors.filing_counts() == {"pending": 38, "submitted": 1, "returned": 0, "accepted": 0}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_office_page_lists_every_filer_and_a_filer_sees_its_own(campaign, users, orgs):
    _file(users["region"], _filing(orgs, "region"))
    office = _client(users["office"]).get("/campaign/filings/").content.decode()
    assert office.count("data-filing=") == 39
    waiting = _client(users["office"]).get("/campaign/filings/?status=submitted").content.decode()
    assert waiting.count("data-filing=") == 1 and "包头市人民政府" in waiting
    missing = _client(users["office"]).get("/campaign/filings/?status=pending").content.decode()
    assert missing.count("data-filing=") == 38 and "包头市人民政府" not in missing
    assert 'data-status="pending"' in office and "待报送 <span data-count>38</span>" in office
    own = _client(users["region"]).get("/campaign/filings/").content.decode()
    assert own.count("data-filing=") == 1
    other = _filing(orgs, "chifeng")
    assert _client(users["region"]).get(f"/campaign/filings/{other.pk}/").status_code == 404


def test_filing_through_the_page_and_the_home_queues(campaign, users, orgs):
    filing = _filing(orgs, "region")
    region = _client(users["region"])
    home = region.get("/").content.decode()
    assert "实施方案待报送" in home and "实施方案被退回" in home
    response = region.post(f"/campaign/filings/{filing.pk}/file/", {
        "title": "包头市实施方案", "targets": "年内盘活一批", "deadline": "2023-12-31", "version": filing.version,
        "file": _pdf()})
    assert response.status_code == 302
    office = _client(users["office"])
    assert "实施方案待审核" in office.get("/").content.decode()
    response = office.post(f"/campaign/filings/{filing.pk}/return/", {"comment": "目标不够具体", "version": 2})
    assert response.status_code == 302
    assert PlanFiling.objects.get(pk=filing.pk).status == FilingStatus.RETURNED
    page = region.get(f"/campaign/filings/{filing.pk}/").content.decode()
    assert "目标不够具体" in page and "修改后重新报送" in page


def test_a_document_downloads_for_who_sees_its_filing(campaign, users, orgs):
    filed = _file(users["region"], _filing(orgs, "region"))
    document = filed.documents.get()
    assert _client(users["office"]).get(f"/campaign/documents/{document.pk}/").status_code == 200
    assert _client(users["region"]).get(f"/campaign/documents/{document.pk}/").status_code == 200
    assert _client(users["county"]).get(f"/campaign/documents/{document.pk}/").status_code == 404
