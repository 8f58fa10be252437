"""《XX项目处置方案》 as a Word document, in the layout of Chinese government documents (core/govdoc.py)."""

from __future__ import annotations

from halfbuilt.core import govdoc
from halfbuilt.core.formatting import money
from halfbuilt.core.govdoc import CENTER, SUBTITLE_FONT, heading, paragraph, table

from . import methods
from .models import Plan, ProcedureKind

MIME = govdoc.DOCX_TYPE


def title_of(plan: Plan) -> str:
    return f"{plan.project.name}处置方案"


def build_plan_docx(plan: Plan) -> bytes:
    project = plan.project
    doc = govdoc.new_document(title_of(plan))
    govdoc.title(doc, title_of(plan))
    subtitle = f"（台账编号 {project.ledger_no}"
    subtitle += f" · 第{plan.revision}次修订）" if plan.revision else "）"
    paragraph(doc, subtitle, face=SUBTITLE_FONT, indent=False, align=CENTER)
    paragraph(doc, "", indent=False)

    basics = [f"{project.name}位于{project.region.full_name}", f"属{project.get_kind_display()}项目"]
    if project.total_investment is not None:
        basics.append(f"总投资{money(project.total_investment)}万元")
    if project.completed_investment is not None:
        basics.append(f"已完成投资{money(project.completed_investment)}万元")
    phone = f"（联系电话：{plan.responsible_phone}）" if plan.responsible_phone else ""
    sections: list[tuple[str, list[str]]] = [
        ("项目介绍", ["，".join(basics) + "。", plan.introduction]),
        ("存在问题", [plan.problems or "无。"]),
        ("处置方式及措施", [f"处置方式：{plan.get_method_display()}。", plan.measures or ""]),
        ("责任分工", [
            f"主责单位：{plan.lead_unit}。",
            f"责任人：{plan.responsible_person}{phone}。",
            f"配合单位：{plan.cooperating_units or '无'}。",
            f"包联领导：{plan.leader_in_charge or '无'}。",
        ]),
        ("完成时限", [f"{plan.deadline.year}年{plan.deadline.month}月{plan.deadline.day}日前完成处置。"]),
    ]
    number = 0
    for name, lines in sections:
        number += 1
        heading(doc, number, name)
        for line in lines:
            if line:
                paragraph(doc, line)

    number += 1
    heading(doc, number, "节点安排")
    milestones = list(plan.milestones.all())
    if milestones:
        table(doc, ["序号", "节点", "计划完成日期", "实际完成日期"], [
            [str(i), m.title, m.due_date.isoformat(), m.met_date.isoformat() if m.met_date else "—"]
            for i, m in enumerate(milestones, 1)
        ])
    else:
        paragraph(doc, "暂未安排节点。")

    number += 1
    heading(doc, number, f"{plan.get_method_display()}有关情况")
    for label, value in methods.fact_rows(plan):
        paragraph(doc, f"{label}：{value}。" if value != "—" else f"{label}：—")
    if plan.method == "procedures":
        procedures = list(plan.procedures.all())
        if procedures:
            table(doc, ["序号", "待补手续", "办理部门", "办结日期", "批准文号"], [
                [str(i), p.name or ProcedureKind(p.kind).label, p.authority or "—",
                 p.done_date.isoformat() if p.done_date else "未办结", p.document_no or "—"]
                for i, p in enumerate(procedures, 1)
            ])

    return govdoc.to_bytes(doc)
