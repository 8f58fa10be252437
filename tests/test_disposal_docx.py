"""《XX项目处置方案》 as .docx: opens with python-docx, holds the headings and values, in the government layout."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from halfbuilt.disposal.documents import build_plan_docx
from halfbuilt.disposal.models import Milestone, PlanStatus, Procedure


@pytest.fixture
def plan(disposal_projects, disposal_make_plan):
    plan = disposal_make_plan(
        disposal_projects["in_scope"], method="procedures", facts={"central_approval_needed": True},
        introduction="教学楼主体已完工，未办理竣工验收。", problems="缺少消防验收和不动产登记。",
        measures="先组织竣工技术性验收，补齐手续、缴齐费用后办理验收和登记。", lead_unit="东河区教育局",
        responsible_person="张三", responsible_phone="0472-1234567", cooperating_units="东河区住建局、东河区自然资源局",
        leader_in_charge="王副区长", deadline=dt.date(2026, 6, 30), status=PlanStatus.CONFIRMED, revision=2,
    )
    Milestone.objects.create(plan=plan, title="完成竣工技术性验收", due_date=dt.date(2025, 12, 31),
                             met_date=dt.date(2025, 12, 20))
    Milestone.objects.create(plan=plan, title="办理不动产登记", due_date=dt.date(2026, 6, 30))
    Procedure.objects.create(plan=plan, kind="fire_acceptance", authority="东河区住建局",
                             done_date=dt.date(2025, 11, 1), document_no="包东消验〔2025〕7号")
    Procedure.objects.create(plan=plan, kind="property_registration")
    return plan


def test_docx_holds_headings_values_and_tables(plan):
    doc = Document(io.BytesIO(build_plan_docx(plan)))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "东河区第一中学教学楼处置方案"
    assert "第2次修订" in texts[1]
    headings = [t for t in texts if t[:2] in {f"{n}、" for n in "一二三四五六七"}]
    assert headings == ["一、项目介绍", "二、存在问题", "三、处置方式及措施", "四、责任分工", "五、完成时限",
                        "六、节点安排", "七、完善手续有关情况"]
    body = "\n".join(texts)
    for value in ("教学楼主体已完工，未办理竣工验收。", "缺少消防验收和不动产登记。", "处置方式：完善手续。",
                  "主责单位：东河区教育局。", "责任人：张三（联系电话：0472-1234567）。",
                  "配合单位：东河区住建局、东河区自然资源局。", "包联领导：王副区长。", "2026年6月30日前完成处置。",
                  "需中央或国家有关部门批准：是。", "总投资1,000万元"):
        assert value in body, value
    milestones, procedures = doc.tables
    assert [c.text for c in milestones.rows[0].cells] == ["序号", "节点", "计划完成日期", "实际完成日期"]
    assert [c.text for c in milestones.rows[1].cells] == ["1", "完成竣工技术性验收", "2025-12-31", "2025-12-20"]
    assert [c.text for c in milestones.rows[2].cells][3] == "—"
    assert [c.text for c in procedures.rows[1].cells] == [
        "1", "消防验收", "东河区住建局", "2025-11-01", "包东消验〔2025〕7号",
    ]
    assert procedures.rows[2].cells[3].text == "未办结"


def test_docx_layout_follows_government_documents(plan):
    doc = Document(io.BytesIO(build_plan_docx(plan)))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    title = doc.paragraphs[0]
    assert title.alignment == 1  # centred
    run = title.runs[0]
    assert run.font.size == Pt(22)
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in doc.paragraphs if p.text.startswith("主责单位"))
    assert body.runs[0].font.size == Pt(16)
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert body.paragraph_format.line_spacing == Pt(28)
    heading = next(p for p in doc.paragraphs if p.text == "一、项目介绍")
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml


@pytest.mark.parametrize("method,facts,expected", [
    ("resume", {"appraisal_date": "2025-03-01", "appraisal_agency": "某检测中心", "appraisal_conclusion": "合格",
                "continuing_entity": "某建设集团", "committed_completion_date": "2026-09-30"},
     ["七、复工续建有关情况", "评估鉴定结论：合格。", "续建主体：某建设集团。"]),
    ("judicial", {"route": "auction", "developer_extinct": True, "court": "包头市中级人民法院"},
     ["七、司法处置有关情况", "司法处置途径：拍卖。", "拍卖所得用途：用于处置该项目已发生债务。"]),
    ("revitalise", {"route": "acquisition", "new_funds": "2500.5", "funds_source": "企业自筹",
                    "counterparties": ["某置业公司"]},
     ["新增资金（万元）：2,500.5万元。", "合作方：某置业公司。"]),
    ("demolish", {"fails_safety": True, "site_use_after": "停车场"},
     ["涉及拆迁安置：否。", "拆除后场地用途：停车场。"]),
])
def test_docx_has_the_methods_facts(disposal_projects, disposal_make_plan, method, facts, expected):
    plan = disposal_make_plan(disposal_projects["in_scope"], method=method, facts=facts)
    body = "\n".join(p.text for p in Document(io.BytesIO(build_plan_docx(plan))).paragraphs)
    for text in expected:
        assert text in body, text
    assert "暂未安排节点。" in body


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed here")
def test_docx_converts_to_pdf_with_libreoffice(plan, tmp_path):
    source = tmp_path / "plan.docx"
    source.write_bytes(build_plan_docx(plan))
    profile = tmp_path / "lo-profile"  # its own profile: a LibreOffice already running elsewhere is not disturbed
    subprocess.run(
        [shutil.which("soffice"), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, timeout=120, capture_output=True,
    )
    pdf = tmp_path / "plan.pdf"
    assert pdf.exists() and pdf.read_bytes()[:4] == b"%PDF"
