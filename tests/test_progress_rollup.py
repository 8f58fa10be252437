"""Roll-up arithmetic on a hand-computed example, figures that cannot be typed, and the Word/Excel files."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from python_calamine import CalamineWorkbook

from halfbuilt.accounts.models import Organization
from halfbuilt.core.errors import ConflictError, NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.disposal.models import Milestone, Plan
from halfbuilt.ledger.models import Project
from halfbuilt.progress import services
from halfbuilt.progress.models import Rollup
from halfbuilt.regions.models import Department

P = "2026-03"  # due 2026-04-05
BEIJING = dt.timezone(dt.timedelta(hours=8))
ON_TIME = dt.datetime(2026, 4, 3, 10, 0, tzinfo=BEIJING)
LATE = dt.datetime(2026, 4, 6, 0, 10, tzinfo=BEIJING)


def _milestones(project, report, count):
    plan = Plan.objects.create(project=project, method="revitalise", lead_unit="某局", responsible_person="张三",
                               deadline=dt.date(2027, 1, 1), status="confirmed")
    Plan.objects.filter(pk=plan.pk).update(created_at=dt.datetime(2026, 1, 1, tzinfo=BEIJING))
    for i in range(count):
        milestone = Milestone.objects.create(plan=plan, title=f"节点{i}", due_date=dt.date(2026, 3, 10),
                                             met_date=dt.date(2026, 3, 20))
        report.milestones_met.add(milestone)


@pytest.fixture
def world(make_project, progress_report, orgs):
    """A..I of the module docstring's example; see the expected figures in each test."""
    other_dept = Department.objects.exclude(code__in=["JYT", "GAT"]).first()

    def project(name, region="150202", stage="disposing", status="in_ledger", **fields):
        return make_project(name=name, region_id=region, stage=stage, status=status, **fields)

    a = project("A 东河按时")
    _milestones(a, progress_report(a, P, submitted_at=ON_TIME, month="10", cumulative="410", funds="5"), 1)
    b = project("B 东河逾期")
    progress_report(b, P, submitted_at=LATE, month="20.5", cumulative="1020.5")
    project("C 昆都仑未报", region="150203", department_id=other_dept.code)
    d = project("D 赤峰按时", region="150402")
    progress_report(d, P, submitted_at=ON_TIME, month="100", cumulative="600", funds="30")
    e = project("E 东河只有草稿")
    progress_report(e, P, status="draft", month="9", cumulative="9")
    f = project("F 涉密", department_id="GAT", category_id="A02", classified=True)
    progress_report(f, P, submitted_at=ON_TIME, month="999", cumulative="999", funds="999")
    project("G 方案阶段", stage="planning")
    project("H 待核实", status="candidate")
    i = project("I 包头市本级已销号", region="150200", stage="closed")
    _milestones(i, progress_report(i, P, submitted_at=ON_TIME, month="7", cumulative="107"), 2)
    return {"orgs": orgs, "other_dept": other_dept}


def _org(org) -> Organization:
    return Organization.objects.select_related("region").get(pk=org.pk)


def _expect(figures, due, submitted, late, missing, drafts, month, cumulative, funds, milestones):
    got = {k: figures[k] for k in ("due", "submitted", "late", "missing", "drafts", "investment_month",
                                   "investment_cumulative", "new_funds", "milestones_met")}
    assert got == {"due": due, "submitted": submitted, "late": late, "missing": missing, "drafts": drafts,
                   "investment_month": month, "investment_cumulative": cumulative, "new_funds": funds,
                   "milestones_met": milestones}
    assert figures["on_time"] == submitted - late and figures["pending"] == 0


def test_province_figures(world, django_assert_num_queries):
    office = _org(world["orgs"]["office"])
    with django_assert_num_queries(1):
        figures = services.rollup_figures(office, P)
    _expect(figures, 6, 4, 1, 2, 1, "137.5", "2137.5", "35", 3)  # A B C D E I; F classified, G H not due
    assert figures["by_stage"] == {"disposing": 5, "closed": 1}
    assert figures["due_date"] == "2026-04-05"


@pytest.mark.parametrize("org,expected", [
    ("region", (5, 3, 1, 2, 1, "37.5", "1537.5", "5", 3)),  # Baotou: A B C E I
    ("county", (3, 2, 1, 1, 1, "30.5", "1430.5", "5", 1)),  # Donghe: A B E
    ("department", (5, 4, 1, 1, 1, "137.5", "2137.5", "35", 3)),  # JYT everywhere: A B D E I
    ("department_baotou", (4, 3, 1, 1, 1, "37.5", "1537.5", "5", 3)),  # Baotou JYT: A B E I
    ("department_gat", (0, 0, 0, 0, 0, "0", "0", "0", 0)),  # its classified project stays out
])
def test_region_and_department_figures_cover_only_their_scope(world, org, expected):
    _expect(services.rollup_figures(_org(world["orgs"][org]), P), *expected)


def test_rollup_submit_freezes_the_computed_figures_and_ignores_posted_ones(world, users):
    client = Client()
    client.force_login(users["region"])
    org = world["orgs"]["region"]
    url = f"/progress/rollups/new/{org.pk}/{P}/"
    page = client.get(url)
    assert page.status_code == 200 and "逾期未报" in page.content.decode()
    response = client.post(url, {
        "progress": "全市处置工作有序推进。\n东河区两个项目已复工。", "problems": "个别项目资金缺口较大",
        "suggestions": "加快专项债券发行", "action": "submit",
        "due": "999", "submitted": "999", "investment_month": "1", "figures": '{"due": 999}',
    })
    rollup = Rollup.objects.get(organization=org, period=P)
    assert response.status_code == 302 and response["Location"] == f"/progress/rollups/{rollup.pk}/"
    assert rollup.status == "submitted" and rollup.submitted_by == "gov_baotou"
    assert rollup.figures["due"] == 5 and rollup.figures["investment_month"] == "37.5"
    # A report arriving later changes the live figures, not the submitted roll-up.
    Project.objects.filter(name="E 东河只有草稿").update(stage="closed")
    assert services.rollup_figures(_org(org), P)["due"] == 4
    rollup.refresh_from_db()
    assert rollup.figures["due"] == 5
    with pytest.raises(ConflictError):
        services.rollup_submit(actor=Actor(users["region"]), organization=org, period=P, progress="再报一次")
    with pytest.raises(TypeError):  # the service has no way to take figures
        services.rollup_submit(actor=Actor(users["region"]), organization=org, period=P, progress="x",
                               figures={"due": 1})


def test_only_the_organizations_own_region_or_department_users_submit(world, users):
    orgs = world["orgs"]
    for role in ("office", "unit", "county", "department", "sysadmin"):
        with pytest.raises(NotAllowed):
            services.rollup_submit(actor=Actor(users[role]), organization=orgs["region"], period=P, progress="x")
    with pytest.raises(ServiceError) as caught:
        services.rollup_submit(actor=Actor(users["region"]), organization=orgs["region"], period=P, progress="")
    assert caught.value.field == "progress"
    rollup = services.rollup_submit(actor=Actor(users["department"]), organization=orgs["department"], period=P,
                                    progress="教育系统进展")
    assert rollup.figures["due"] == 5
    assert not Rollup.objects.filter(organization=orgs["region"]).exists()


def test_a_draft_rollup_can_be_saved_then_submitted(world, users):
    client = Client()
    client.force_login(users["county"])
    url = f"/progress/rollups/new/{world['orgs']['county'].pk}/{P}/"
    assert client.post(url, {"progress": "", "problems": "草稿中的问题", "action": "save"}).status_code == 302
    rollup = Rollup.objects.get(organization=world["orgs"]["county"], period=P)
    assert rollup.status == "draft"
    assert "草稿中的问题" in client.get(url).content.decode()
    response = client.post(url, {"progress": "", "action": "submit"})
    assert response.status_code == 200 and "请填写工作进展" in response.content.decode()
    client.post(url, {"progress": "东河区进展", "action": "submit"})
    rollup.refresh_from_db()
    assert rollup.status == "submitted" and rollup.figures["due"] == 3


@pytest.fixture
def submitted(world, users):
    return services.rollup_submit(
        actor=Actor(users["region"]), organization=world["orgs"]["region"], period=P,
        progress="全市处置工作有序推进。\n东河区两个项目已复工。", problems="个别项目资金缺口较大", suggestions="")


def test_docx_has_the_government_layout_and_the_figures(submitted, users):
    client = Client()
    client.force_login(users["office"])
    response = client.get(f"/progress/rollups/{submitted.pk}/rollup.docx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs]
    title = doc.paragraphs[0]
    assert "包头市人民政府" in title.text and "2026年3月" in title.text
    assert title.alignment == 1  # centred
    run = title.runs[0]
    assert run.font.size == Pt(22)
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    for heading in ("一、工作进展", "二、存在问题", "三、工作建议"):
        assert heading in texts
    body = doc.paragraphs[texts.index("一、工作进展") + 1]
    assert body.text == "全市处置工作有序推进。"
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert body.runs[0].font.size == Pt(16)
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert texts[texts.index("三、工作建议") + 1] == "无。"
    cells = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert cells["应报送项目（个）"] == "5" and cells["逾期未报（个）"] == "2"
    assert cells["本月完成投资（万元）"] == "37.5" and cells["累计完成投资（万元）"] == "1537.5"


def test_xlsx_lists_each_project_with_late_and_missing_and_totals(submitted, users):
    client = Client()
    client.force_login(users["region"])
    response = client.get(f"/progress/rollups/{submitted.pk}/rollup.xlsx")
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert "包头市人民政府" in sheet[0][0]
    assert sheet[1] == ["序号", "所在地区", "项目名称", "台账编号", "形象进度（%）", "本月完成投资（万元）",
                        "累计完成投资（万元）", "新增到位资金（万元）", "报送情况", "报送时间"]
    rows = {r[2]: r for r in sheet[2:-1]}
    assert set(rows) == {"A 东河按时", "B 东河逾期", "C 昆都仑未报", "E 东河只有草稿", "I 包头市本级已销号"}
    assert rows["B 东河逾期"][8] == "逾期报送" and rows["C 昆都仑未报"][8] == "逾期未报"
    assert rows["A 东河按时"][8] == "按时报送" and rows["A 东河按时"][5] == 10
    assert rows["E 东河只有草稿"][5] == ""  # a draft is not counted
    totals = sheet[-1]
    assert totals[0] == "合计"
    assert [Decimal(str(v)) for v in totals[5:8]] == [Decimal("37.5"), Decimal("1537.5"), Decimal("5")]


def test_the_api_never_names_an_organization_the_asker_does_not_submit_for(users, orgs):
    """An existing id and a missing one answer alike: 404 without the name (a 403 naming it listed all 556)."""
    from django.test import Client

    from halfbuilt.accounts.models import ApiToken, Organization

    api = Client(headers={"authorization": f"Bearer {ApiToken.issue(users['unit'])}"})
    someone_else = Organization.objects.exclude(role_assignments__user=users["unit"]).first()
    answers = []
    for org_id in (someone_else.pk, 10**9):
        response = api.post("/api/v1/progress/rollups", {"organization_id": org_id, "period": "2026-01",
                                                         "progress": "x"}, content_type="application/json")
        answers.append((response.status_code, response.json()["detail"]))
    assert answers[0] == answers[1] == (404, "报送单位不存在，或您无权代表其报送月度汇总")
    assert someone_else.name not in answers[0][1]
