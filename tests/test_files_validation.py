"""Attachments: what store_upload refuses (type, size, content, zip bombs, image bombs) and what it keeps
(GPS from EXIF, upright photo, no EXIF in the stored copy)."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.files.models import Attachment
from halfbuilt.files.services import attachments_visible_to, store_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def store(user, project, name, data, kind="evidence"):
    return store_upload(actor=Actor(user=user), project=project, upload=upload(name, data), kind=kind)


def stored_files() -> int:
    from pathlib import Path

    from django.conf import settings

    return sum(1 for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())


def refused(user, project, name, data, kind="evidence") -> str:
    """The refusal's message; nothing was recorded or stored."""
    before = Attachment.objects.count(), stored_files()
    with pytest.raises(ServiceError) as info:
        store(user, project, name, data, kind)
    assert (Attachment.objects.count(), stored_files()) == before
    return info.value.message


def ooxml(main: str, part: str, extra: dict | None = None) -> bytes:
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/{part}" ContentType="{main}"/></Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr(part, "<document/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def docx(extra=None) -> bytes:
    return ooxml(DOCX_MAIN, "word/document.xml", extra)


def xlsx(extra=None) -> bytes:
    return ooxml(XLSX_MAIN, "xl/workbook.xml", extra)


def real_docx() -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph("验收证明")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def real_xlsx() -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer)
    workbook.add_worksheet().write(0, 0, "投资")
    workbook.close()
    return buffer.getvalue()


def dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)


def photo(fmt="JPEG", gps=(40.657778, 109.840278), refs=("N", "E"), orientation=None, size=(40, 20)) -> bytes:
    """A left-half red, right-half blue image with GPS, time taken, camera model and maybe an orientation."""
    image = Image.new("RGB", size, "blue")
    image.paste("red", (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "TestCam 1"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2024:05:06 07:08:09"
    if gps:
        exif[ExifTags.Base.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: refs[0],
            ExifTags.GPS.GPSLatitude: dms(gps[0]),
            ExifTags.GPS.GPSLongitudeRef: refs[1],
            ExifTags.GPS.GPSLongitude: dms(gps[1]),
        }
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, exif=exif)
    return buffer.getvalue()


@pytest.fixture
def project(projects):
    return projects["in_scope"]


def test_renamed_executable_is_refused(users, project):
    message = refused(users["unit"], project, "验收报告.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200)
    assert "验收报告.pdf" in message and "可执行" in message
    elf = refused(users["unit"], project, "照片.jpg", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, kind="photo")
    assert "照片.jpg" in elf and "可执行" in elf


def test_script_named_pdf_is_refused(users, project):
    message = refused(users["unit"], project, "说明.pdf", b"<script>alert(1)</script>\n" * 20)
    assert "说明.pdf" in message and "扩展名与内容不符" in message
    assert "可执行" in refused(users["unit"], project, "run.pdf", b"#!/bin/sh\nrm -rf /\n")


def test_wrong_type_for_kind_and_unknown_extension(users, project):
    assert "照片只接受" in refused(users["unit"], project, "a.pdf", PDF, kind="photo")
    message = refused(users["unit"], project, "tool.exe", b"MZ" + b"\x00" * 50)
    assert "tool.exe" in message and "只接受" in message
    assert "无效" in refused(users["unit"], project, "a.pdf", PDF, kind="virus")
    assert "空文件" in refused(users["unit"], project, "a.pdf", b"")


def test_png_named_jpg_is_refused(users, project):
    assert "扩展名与内容不符" in refused(users["unit"], project, "a.jpg", photo("PNG", gps=None), kind="photo")


def test_oversized_file_is_refused(settings, users, project):
    settings.ATTACHMENT_MAX_MB = 1
    message = refused(users["unit"], project, "大文件.pdf", PDF + b"0" * (1024 * 1024))
    assert "大文件.pdf" in message and "超过上限 1 MB" in message


@pytest.mark.parametrize(("name", "build"), [("bomb.xlsx", xlsx), ("bomb.docx", docx)])
def test_zip_bomb_office_file_is_refused(users, project, name, build):
    # 200 MB of zeros deflate to about 200 KB: past both the ratio and the total limits.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(200):
                part.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    message = refused(users["unit"], project, name, data)
    assert name in message and "压缩炸弹" in message


def test_zip_with_too_many_entries_is_refused(users, project):
    extra = {f"xl/media/{n}.xml": "<a/>" for n in range(2001)}
    assert "部件" in refused(users["unit"], project, "many.xlsx", xlsx(extra))


def test_nested_archive_and_macros_are_refused(users, project):
    inner = b"PK\x03\x04" + b"1" * 30
    assert "内嵌压缩包" in refused(users["unit"], project, "n.docx", docx({"word/media/x.zip": inner}))
    assert "内嵌压缩包" in refused(users["unit"], project, "n.docx", docx({"word/media/x.bin": inner}))
    assert "宏" in refused(users["unit"], project, "m.xlsx", xlsx({"xl/vbaProject.bin": b"\0" * 10}))


def test_office_file_without_content_types_or_of_the_other_kind_is_refused(users, project):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.txt", "hello")
    assert "扩展名与内容不符" in refused(users["unit"], project, "plain.docx", buffer.getvalue())
    assert "扩展名与内容不符" in refused(users["unit"], project, "sheet.docx", xlsx())
    ole_without_word = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    assert "扩展名与内容不符" in refused(users["unit"], project, "old.doc", ole_without_word)


@pytest.mark.parametrize(
    ("name", "build", "content_type"),
    [
        ("验收证明.docx", real_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("投资明细.xlsx", real_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("竣工验收.pdf", lambda: PDF, "application/pdf"),
    ],
)
def test_valid_documents_are_stored_with_their_facts(users, project, name, build, content_type):
    import hashlib

    data = build()
    attachment = store(users["unit"], project, name, data)
    attachment.refresh_from_db()
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.uploaded_by == users["unit"]
    with attachment.file.open("rb") as stored:
        assert stored.read() == data
    assert name not in attachment.file.name  # stored under a generated name
    entry = ChangeLog.objects.get(action="attach", after__attachment_id=str(attachment.pk))
    assert entry.project_id == project.pk and entry.after["original_name"] == name


def test_photo_keeps_gps_as_data_and_is_stored_without_exif(users, project):
    attachment = store(users["unit"], project, "现场.jpg", photo(), kind="photo")
    assert attachment.gps_latitude == Decimal("40.657778")
    assert attachment.gps_longitude == Decimal("109.840278")
    assert attachment.taken_at.year == 2024 and attachment.taken_at.hour == 7
    with attachment.file.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "exif" not in image.info and "xmp" not in image.info


def test_southern_western_gps_is_negative_and_png_is_stripped(users, project):
    attachment = store(users["unit"], project, "p.png", photo("PNG", gps=(33.5, 70.25), refs=("S", "W")), "photo")
    assert attachment.gps_latitude == Decimal("-33.5") and attachment.gps_longitude == Decimal("-70.25")
    with attachment.file.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.format == "PNG" and dict(image.getexif()) == {}


def test_photo_orientation_is_applied(users, project):
    # Orientation 6: the camera held sideways; viewers rotate 90° clockwise. Stored upright: 20 × 40, red on top.
    attachment = store(users["unit"], project, "竖拍.jpg", photo(orientation=6), kind="photo")
    with attachment.file.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read())).convert("RGB")
    assert image.size == (20, 40)
    red, _, blue = image.getpixel((10, 5))
    assert red > 200 and blue < 60
    assert image.getexif().get(ExifTags.Base.Orientation) is None


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_undecodable_and_bomb_images_are_refused(monkeypatch, users, project):
    truncated = photo(gps=None)[:200]
    assert "不是可以打开的图片" in refused(users["unit"], project, "broken.jpg", truncated, kind="photo")
    # 40 × 20 = 800 pixels: past twice the limit (Pillow's DecompressionBombError), then past the limit alone.
    for limit in (100, 500):
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", limit)
        message = refused(users["unit"], project, "huge.png", photo("PNG", gps=None), kind="photo")
        assert "huge.png" in message and "图片炸弹" in message


def test_webp_and_multi_frame_phone_jpeg_are_stripped(users, project):
    webp = store(users["unit"], project, "w.webp", photo("WEBP"), kind="photo")
    assert webp.gps_latitude == Decimal("40.657778") and webp.content_type == "image/webp"
    image = Image.new("RGB", (30, 20), "green")
    exif = Image.Exif()
    exif[ExifTags.Base.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (41.0, 0.0, 0.0),
                                   ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (110.0, 30.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="MPO", save_all=True, append_images=[Image.new("RGB", (30, 20))], exif=exif)
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"
    mpo = store(users["unit"], project, "phone.jpg", buffer.getvalue(), kind="photo")
    assert (mpo.gps_latitude, mpo.gps_longitude) == (Decimal("41"), Decimal("110.5"))
    for attachment in (webp, mpo):
        with attachment.file.open("rb") as stored:
            assert dict(Image.open(io.BytesIO(stored.read())).getexif()) == {}


def test_word_document_with_an_embedded_chart_workbook(users, project):
    chart = real_xlsx()
    accepted = store(users["unit"], project, "图表.docx", docx({"word/embeddings/Microsoft_Excel_Sheet1.xlsx": chart}))
    assert accepted.original_name == "图表.docx"
    zipped = xlsx({"xl/media/hidden.zip": b"PK\x03\x04" + b"1" * 30})
    message = refused(users["unit"], project, "套娃.docx", docx({"word/embeddings/Sheet2.xlsx": zipped}))
    assert "套娃.docx" in message and "内嵌压缩包" in message


def test_upload_to_an_invisible_project_is_refused(users, projects):
    with pytest.raises(NotAllowed) as info:
        store(users["unit"], projects["classified"], "a.pdf", PDF)
    assert "a.pdf" in info.value.message
    assert not Attachment.objects.exists()


def test_attachments_visible_to_follows_the_project(users, projects):
    for key in ("in_scope", "elsewhere", "classified"):
        store(users["office" if key != "classified" else "department_gat"], projects[key], f"{key}.pdf", PDF)
    names = lambda user: set(attachments_visible_to(user).values_list("original_name", flat=True))  # noqa: E731
    assert names(users["unit"]) == {"in_scope.pdf"}
    assert names(users["office"]) == {"in_scope.pdf", "elsewhere.pdf"}
    assert names(users["department_gat"]) == {"classified.pdf"}
    assert names(users["auditor"]) == set()
