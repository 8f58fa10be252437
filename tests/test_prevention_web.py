"""The prevention pages as their users meet them: a county registers a proposal and reads its risk, the office
decides; the feed's errors listed all at once; a flag put on the ledger from the list; a list reconciled; a pair of
duplicates merged from its page; the menu."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from halfbuilt.ledger.models import Project
from halfbuilt.prevention.models import MergeProposal, ProposedProject, StallFlag
from tests.world import project

HEAD = "项目代码,项目名称,所在地区,计划开工,计划竣工,开工,停工,竣工,投用,总投资（万元）,2026-03"


def client(users, role):
    c = Client()
    c.force_login(users[role])
    return c


def csv_upload(lines, name="进度.csv"):
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), content_type="text/csv")


PROPOSAL_FORM = {
    "name": "东河区新区综合体", "region": "150202", "category": "A03", "department": "JYT",
    "total_investment": "600000",
    "fiscal_capacity": "32400", "feasibility": "underway", "performance": "none", "needs_operation": "on",
    "fund_level_0": "local", "fund_amount_0": "600000", "fund_state_0": "promised",
}


def test_a_county_registers_and_reads_every_reason_then_the_office_decides(users):
    county = client(users, "county")
    response = county.post("/prevention/proposals/new/", PROPOSAL_FORM)
    proposal = ProposedProject.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/prevention/proposals/{proposal.pk}/"
    page = county.get(response["Location"]).content.decode()
    assert "风险：高（100 分）" in page
    for text in ("已落实资金 0 万元，仅占总投资 600,000 万元的 0%，低于 60%", "是本级可承受出资 32,400 万元的 18.5 倍",
                 "建成后需运营，但未落实运营单位、年运营经费", "可行性研究正在开展", "用地手续、规划许可尚未落实"):
        assert text in page
    assert "不予实施" not in page  # the county does not decide
    office = client(users, "office")
    response = office.post(f"/prevention/proposals/{proposal.pk}/reject/", {"comment": "本级财政无力承担",
                                                                             "version": proposal.version})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_reason) == ("rejected", "本级财政无力承担")
    assert "本级财政无力承担" in office.get(f"/prevention/proposals/{proposal.pk}/").content.decode()


def test_a_bad_form_says_which_field(users):
    response = client(users, "county").post("/prevention/proposals/new/", {
        **PROPOSAL_FORM, "total_investment": "很多", "fund_state_0": "", "planned_start": "2027.13"})
    page = response.content.decode()
    assert response.status_code == 200 and not ProposedProject.objects.exists()
    assert "金额应为数字（单位万元）" in page and "资金来源 1：来源、金额、落实情况须同时填写" in page
    assert "2027年13月" in page or "日期" in page


def test_the_feed_page_lists_every_error_and_the_flag_goes_on_the_ledger(users):
    office = client(users, "office")
    bad = office.post("/prevention/watch/import/",
                      {"file": csv_upload([HEAD, ",,东河区,,,,,,,,", "x,乙,无此地,,,,,,,,"])})
    page = bad.content.decode()
    assert bad.status_code == 200 and "文件有 3 处错误，未导入任何内容" in page and not StallFlag.objects.exists()
    good = office.post("/prevention/watch/import/", {"file": csv_upload([
        HEAD, ",东河区体育馆,150202,2021-01,2022-06,2021-04,2023-05,,,5000,"]), "as_of": dt.date.today().isoformat()})
    assert good.status_code == 302
    flag = StallFlag.objects.get()
    listing = office.get("/prevention/watch/").content.decode()
    assert "东河区体育馆" in listing and "不在台账" in listing
    response = office.post(f"/prevention/watch/flags/{flag.pk}/add/", {"category": "A08", "version": flag.version})
    made = Project.objects.get(name="东河区体育馆")
    assert response["Location"] == f"/ledger/{made.pk}/"
    assert "停建预警" in office.get(f"/ledger/{made.pk}/").content.decode()


def test_a_list_is_reconciled_missing_and_stalled_first(users, projects):
    response = client(users, "office").post("/prevention/reconcile/", {"file": csv_upload([
        "项目名称,所在地区,状态", "东河区第一中学教学楼,东河区,在建", "东河区图书馆,东河区,在建",
        "东河区体育馆,东河区,停建"])})
    page = response.content.decode()
    assert "共 3 个，不在台账 2 个（按代码匹配 0 个，按名称匹配 1 个）" in page
    assert page.index("东河区体育馆") < page.index("东河区图书馆")


def test_duplicates_are_found_and_merged_from_their_page(users, orgs):
    a = project(name="东河区第一中学教学楼", region_id="150202")
    b = project(name="东河区第一中学教学楼工程", region_id="150202")
    office = client(users, "office")
    office.post("/prevention/merges/scan/")
    pair = MergeProposal.objects.get()
    page = office.get(f"/prevention/merges/{pair.pk}/").content.decode()
    assert a.ledger_no in page and b.ledger_no in page
    response = office.post(f"/prevention/merges/{pair.pk}/merge/", {"keep": "kept", "version": pair.version})
    assert response["Location"] == f"/ledger/{a.pk}/"
    assert "已并入本项目" in office.get(f"/ledger/{a.pk}/").content.decode()
    assert "本项目与以下项目重复，已并入" in office.get(f"/ledger/{b.pk}/").content.decode()


def test_the_menu_shows_each_role_its_entries(users):
    office = client(users, "office").get("/").content.decode()
    county = client(users, "county").get("/").content.decode()
    unit = client(users, "unit").get("/").content.decode()
    for label in ("拟建项目", "停建预警", "清单比对", "疑似重复", "风险规则"):
        assert label in office
    assert "拟建项目" in county and "清单比对" in county and "停建预警" not in county
    assert "拟建项目" not in unit
