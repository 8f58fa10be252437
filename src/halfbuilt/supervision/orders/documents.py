"""The 督办单 as a Word document in the layout of a government notice (core/govdoc.py, GB/T 9704): the issuer's
mark, the 文号, the title, 主送, the body (reason, requirements, the reply deadline), 落款 and date."""

from __future__ import annotations

from django.utils.translation import gettext as _
from docx.shared import RGBColor

from halfbuilt.core import govdoc
from halfbuilt.core.govdoc import CENTER, RIGHT, SIZE_2, TITLE_FONT, heading, paragraph

from .models import SupervisionOrder
from .services import deadline_text

MIME = govdoc.DOCX_TYPE
RED = RGBColor(0xE0, 0x00, 0x00)  # the 发文机关标志 is printed red


def title_of(order: SupervisionOrder) -> str:
    if order.listed:
        return _("关于对“{target}”挂牌督办的通知").format(target=order.target_name)
    return _("关于督促办理“{target}”有关问题的通知").format(target=order.target_name)


def filename(order: SupervisionOrder) -> str:
    return _("督办单-{doc_no}.docx").format(doc_no=order.doc_no)


def _chinese_date(day) -> str:
    return _("{y}年{m}月{d}日").format(y=day.year, m=day.month, d=day.day)


def build_order_docx(order: SupervisionOrder) -> bytes:
    doc = govdoc.new_document(title_of(order))
    mark = paragraph(doc, order.issuer_org.name, face=TITLE_FONT, size=SIZE_2, indent=False, align=CENTER)
    for run in mark.runs:
        run.font.color.rgb = RED
    paragraph(doc, "", indent=False)
    paragraph(doc, order.doc_no, indent=False, align=CENTER)
    paragraph(doc, "", indent=False)
    govdoc.title(doc, title_of(order))
    paragraph(doc, "", indent=False)
    paragraph(doc, _("{addressee}：").format(addressee=order.addressee.name), indent=False)
    if order.project_id:
        project = order.project
        intro = _("“{name}”（台账编号 {ledger_no}，{region}）存在以下问题，现予督办。").format(
            name=project.name, ledger_no=project.ledger_no, region=project.region.full_name)
    else:
        intro = _("对{subject}的“半拉子”工程处置工作，现予督办。").format(subject=order.subject.name)
    if order.listed:
        intro += _("本督办为挂牌督办，办结后摘牌。")
    paragraph(doc, intro)
    heading(doc, 1, _("督办事由"))
    paragraph(doc, order.reason)
    heading(doc, 2, _("工作要求"))
    paragraph(doc, order.requirements)
    heading(doc, 3, _("回复要求"))
    paragraph(doc, _("请于{deadline}前，将整改措施及成效、证明材料在系统中回复{issuer}。逾期未回复的，"
                     "将予以通报。").format(deadline=deadline_text(order), issuer=order.issuer_org.name))
    paragraph(doc, "", indent=False)
    paragraph(doc, order.issuer_org.name, indent=False, align=RIGHT)
    paragraph(doc, _chinese_date(order.issued_on), indent=False, align=RIGHT)
    return govdoc.to_bytes(doc)
