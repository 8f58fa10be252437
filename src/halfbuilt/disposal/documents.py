"""《XX项目处置方案》 as a Word document, in the layout of Chinese government documents (core/govdoc.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from halfbuilt.core import govdoc
from halfbuilt.core.formatting import money
from halfbuilt.core.govdoc import CENTER, SUBTITLE_FONT, heading, paragraph, table

from . import methods
from .models import Plan, ProcedureKind

MIME = govdoc.DOCX_TYPE


def title_of(plan: Plan) -> str:
    return _("{project}处置方案").format(project=plan.project.name)


def build_plan_docx(plan: Plan) -> bytes:
    project = plan.project
    doc = govdoc.new_document(title_of(plan))
    govdoc.title(doc, title_of(plan))
    if plan.revision:
        subtitle = _("（台账编号 {ledger_no} · 第{revision}次修订）").format(
            ledger_no=project.ledger_no, revision=plan.revision)
    else:
        subtitle = _("（台账编号 {ledger_no}）").format(ledger_no=project.ledger_no)
    paragraph(doc, subtitle, face=SUBTITLE_FONT, indent=False, align=CENTER)
    paragraph(doc, "", indent=False)

    basics = [_("{project}位于{region}").format(project=project.name, region=project.region.full_name),
              _("属{kind}项目").format(kind=project.get_kind_display())]
    if project.total_investment is not None:
        basics.append(_("总投资{amount}万元").format(amount=money(project.total_investment)))
    if project.completed_investment is not None:
        basics.append(_("已完成投资{amount}万元").format(amount=money(project.completed_investment)))
    phone = _("（联系电话：{phone}）").format(phone=plan.responsible_phone) if plan.responsible_phone else ""
    deadline = plan.deadline
    sections: list[tuple[str, list[str]]] = [
        (_("项目介绍"), ["，".join(basics) + "。", plan.introduction]),
        (_("存在问题"), [plan.problems or _("无。")]),
        (
            _("处置方式及措施"),
            [_("处置方式：{method}。").format(method=plan.get_method_display()), plan.measures or ""],
        ),
        (_("责任分工"), [
            _("主责单位：{unit}。").format(unit=plan.lead_unit),
            _("责任人：{person}{phone}。").format(person=plan.responsible_person, phone=phone),
            _("配合单位：{units}。").format(units=plan.cooperating_units or _("无")),
            _("包联领导：{leader}。").format(leader=plan.leader_in_charge or _("无")),
        ]),
        (_("完成时限"), [_("{year}年{month}月{day}日前完成处置。").format(
            year=deadline.year, month=deadline.month, day=deadline.day)]),
    ]
    number = 0
    for name, lines in sections:
        number += 1
        heading(doc, number, name)
        for line in lines:
            if line:
                paragraph(doc, line)

    number += 1
    heading(doc, number, _("节点安排"))
    milestones = list(plan.milestones.all())
    if milestones:
        table(doc, [_("序号"), _("节点"), _("计划完成日期"), _("实际完成日期")], [
            [str(i), m.title, m.due_date.isoformat(), m.met_date.isoformat() if m.met_date else "—"]
            for i, m in enumerate(milestones, 1)
        ])
    else:
        paragraph(doc, _("暂未安排节点。"))

    number += 1
    heading(doc, number, _("{method}有关情况").format(method=plan.get_method_display()))
    for label, value in methods.fact_rows(plan):
        paragraph(doc, f"{label}：{value}。" if value != "—" else f"{label}：—")
    if plan.method == "procedures":
        procedures = list(plan.procedures.all())
        if procedures:
            table(doc, [_("序号"), _("待补手续"), _("办理部门"), _("办结日期"), _("批准文号")], [
                [str(i), p.name or ProcedureKind(p.kind).label, p.authority or "—",
                 p.done_date.isoformat() if p.done_date else _("未办结"), p.document_no or "—"]
                for i, p in enumerate(procedures, 1)
            ])

    return govdoc.to_bytes(doc)
