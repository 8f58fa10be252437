"""The 公示牌 posted at a project's site: A4 portrait, as PDF (fpdf2, the font subset embedded) and as PNG (Pillow,
150 dpi), with a QR code (segno) of the project's public page, where its tip-off form will be.

The font is Noto Sans CJK from Debian's fonts-noto-cjk (what the CI machine and the servers install, see .ci/run
and docs/deploy.md), or the file HALFBUILT_SIGN_FONT names; without one the sign cannot be drawn and the page says
so instead of printing boxes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from halfbuilt.core.formatting import money

from .selectors import PublicProject

# (file, index in the collection of its Simplified Chinese face).
FONT_CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
)
A4_MM = (210, 297)
PNG_DPI = 150


class NoFont(Exception):
    pass


def font() -> tuple[str, int]:
    named = settings.SIGN_FONT
    if named:
        return (named, 0) if Path(named).is_file() else _missing()
    for path, index in FONT_CANDIDATES:
        if Path(path).is_file():
            return path, index
    return _missing()


def _missing():
    raise NoFont(_("服务器未安装中文字体（fonts-noto-cjk），无法生成公示牌，请联系系统管理员。"))


def page_url(project: PublicProject) -> str:
    return settings.PUBLIC_SITE_URL.rstrip("/") + reverse("public:project_detail", args=[project.id])


@dataclass(frozen=True)
class Line:
    label: str
    value: str


def lines(p: PublicProject) -> list[Line]:
    """What the sign says: the project's public facts only (the same whitelist as the portal)."""
    found = [
        Line(_("台账编号"), p.ledger_no),
        Line(_("所在地区"), " ".join(x for x in (p.prefecture_name if p.prefecture_code != p.region_code else "",
                                                p.region_name) if x)),
        Line(_("建设地点"), p.address),
        Line(_("项目类别"), p.category_name),
        Line(_("类型"), p.kind_label),
        Line(_("总投资"), _("{amount}万元").format(amount=money(p.total_investment)) if p.total_investment else ""),
        Line(_("处置方式"), p.method_label),
        Line(_("计划完成"), p.planned_completion.isoformat() if p.planned_completion else ""),
        Line(_("处置阶段"), p.stage_label),
    ]
    return [line for line in found if line.value]


def qr_png(url: str, scale: int = 10) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def title() -> str:
    return _("半拉子工程公示牌")


def footer() -> str:
    return _("扫描二维码查看项目进展、反映问题")


def pdf(p: PublicProject) -> bytes:
    path, index = font()
    doc = FPDF(format="A4", unit="mm")
    doc.set_title(f"{title()} {p.name}")
    doc.set_creator("halfbuilt")
    doc.set_auto_page_break(False)
    doc.add_page()
    doc.add_font("cjk", "", path, collection_font_number=index)
    doc.set_draw_color(180, 30, 30)
    doc.set_line_width(2)
    doc.rect(8, 8, A4_MM[0] - 16, A4_MM[1] - 16)
    doc.set_font("cjk", size=30)
    doc.set_xy(15, 18)
    doc.cell(A4_MM[0] - 30, 16, title(), align="C")
    doc.set_font("cjk", size=20)
    doc.set_xy(15, 40)
    doc.multi_cell(A4_MM[0] - 30, 10, p.name, align="C")
    y = doc.get_y() + 6
    doc.set_font("cjk", size=14)
    for line in lines(p):
        doc.set_xy(22, y)
        doc.cell(38, 9, line.label)
        doc.set_xy(60, y)
        doc.multi_cell(A4_MM[0] - 82, 9, line.value)
        y = doc.get_y() + 1
    size = 70
    doc.image(io.BytesIO(qr_png(page_url(p))), x=(A4_MM[0] - size) / 2, y=max(y + 6, 170), w=size, h=size)
    doc.set_font("cjk", size=14)
    doc.set_xy(15, A4_MM[1] - 40)
    doc.cell(A4_MM[0] - 30, 9, footer(), align="C")
    doc.set_font("cjk", size=10)
    doc.set_xy(15, A4_MM[1] - 30)
    doc.cell(A4_MM[0] - 30, 7, page_url(p), align="C")
    return bytes(doc.output())


def png(p: PublicProject) -> bytes:
    path, index = font()
    px = [round(mm / 25.4 * PNG_DPI) for mm in A4_MM]
    mm = PNG_DPI / 25.4  # pixels per millimetre

    def face(points: int) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(path, round(points * PNG_DPI / 72), index=index)

    image = Image.new("RGB", px, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([8 * mm, 8 * mm, px[0] - 8 * mm, px[1] - 8 * mm], outline=(180, 30, 30), width=round(2 * mm))
    draw.text((px[0] / 2, 26 * mm), title(), font=face(30), fill="black", anchor="mm")
    y = 44 * mm
    for row in _wrap(draw, p.name, face(20), px[0] - 40 * mm):
        draw.text((px[0] / 2, y), row, font=face(20), fill="black", anchor="mt")
        y += 10 * mm
    y += 4 * mm
    body = face(14)
    for line in lines(p):
        draw.text((22 * mm, y), line.label, font=body, fill=(60, 60, 60))
        for row in _wrap(draw, line.value, body, px[0] - 82 * mm):
            draw.text((60 * mm, y), row, font=body, fill="black")
            y += 8 * mm
        y += 1 * mm
    qr = Image.open(io.BytesIO(qr_png(page_url(p), scale=12))).convert("RGB").resize((round(70 * mm),) * 2)
    image.paste(qr, (round((px[0] - qr.width) / 2), round(max(y + 6 * mm, 170 * mm))))
    draw.text((px[0] / 2, px[1] - 36 * mm), footer(), font=body, fill="black", anchor="mm")
    draw.text((px[0] / 2, px[1] - 27 * mm), page_url(p), font=face(10), fill=(60, 60, 60), anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(PNG_DPI, PNG_DPI), optimize=True)
    return out.getvalue()


def _wrap(draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Chinese wraps at any character: as many as fit on each row."""
    rows, row = [], ""
    for char in text:
        if draw.textlength(row + char, font=face) > width and row:
            rows.append(row)
            row = char
        else:
            row += char
    return [*rows, row] if row else rows
