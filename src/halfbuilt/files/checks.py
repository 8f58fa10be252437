"""What an upload must be before it is stored: an allowed type for its kind, within the size limit, with
content that matches its extension; office files without zip bombs; images decoded and re-encoded without
their EXIF (GPS position and time taken are kept as data).

Every refusal is a `ServiceError` whose Chinese message names the file.
"""

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import filetype
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError, features

from halfbuilt.core.errors import ServiceError

from .models import AttachmentKind

IMAGES = {"jpg", "jpeg", "png"} | ({"webp"} if features.check("webp") else set())
DOCUMENTS = {"pdf", "docx", "xlsx", "doc", "xls", "ofd"}
ALLOWED: dict[str, set[str]] = {
    AttachmentKind.PHOTO: IMAGES,
    AttachmentKind.EVIDENCE: IMAGES | DOCUMENTS,
    AttachmentKind.DOCUMENT: IMAGES | DOCUMENTS,
}
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ofd": "application/ofd",
}
# What filetype calls each allowed extension's content.
SNIFFED = {"jpg": "jpg", "jpeg": "jpg", "png": "png", "webp": "webp", "pdf": "pdf"}
PIL_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
# Many phones write MPO (a JPEG with extra frames); only the first frame is kept.
PIL_FORMATS_READ = {"jpg": {"JPEG", "MPO"}, "jpeg": {"JPEG", "MPO"}, "png": {"PNG"}, "webp": {"WEBP"}}

# Zip-bomb limits for office containers (.docx, .xlsx, .ofd), checked by actually inflating every entry.
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_TOTAL = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR = 1024 * 1024  # entries smaller than this cannot bomb; tiny XML parts compress very well
ARCHIVE_MAGIC = (b"PK\x03\x04", b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh", b"\xfd7zXZ")
OFFICE_PART = re.compile(r"\.(docx|xlsx|pptx)$", re.I)
ARCHIVE_NAMES = re.compile(r"\.(zip|rar|7z|gz|tgz|bz2|xz|tar|jar|cab|docx|xlsx|pptx|docm|xlsm)$", re.I)
# OOXML main parts by extension; macro-enabled main parts (…macroEnabled.main+xml) do not match.
OOXML_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
# Stream names an OLE compound file of each kind holds (UTF-16 in the directory).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_STREAMS = {"doc": ("WordDocument",), "xls": ("Workbook", "Book")}
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")


@dataclass
class Checked:
    name: str
    extension: str
    content_type: str
    data: bytes
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    taken_at: datetime | None = None


def clean_name(name: str) -> str:
    """The user's file name without any path or control characters, at most 200 characters."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip() or _("未命名")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 199 - len(ext)] + dot + ext) if dot and len(ext) < 10 else name[:200]
    return name


def extension_of(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def check(*, name: str, size: int, read, kind: str) -> Checked:
    """Validate an upload; `read()` returns its bytes and is only called once the size is acceptable."""
    name = clean_name(name)
    if kind not in ALLOWED:
        raise ServiceError(_("文件“{name}”：附件类别“{kind}”无效").format(name=name, kind=kind), field="kind")
    ext = extension_of(name)
    allowed = ALLOWED[kind]
    if ext not in allowed:
        label = AttachmentKind(kind).label
        listed = "、".join(sorted({".jpg" if e == "jpeg" else f".{e}" for e in allowed}))
        raise ServiceError(
            _("文件“{name}”：{label}只接受 {listed} 格式").format(name=name, label=label, listed=listed), field="file",
        )
    limit = settings.ATTACHMENT_MAX_MB * 1024 * 1024
    if size > limit:
        raise ServiceError(
            _("文件“{name}”大小 {size:.1f} MB，超过上限 {limit} MB").format(
                name=name, size=size / 1024 / 1024, limit=settings.ATTACHMENT_MAX_MB,
            ), field="file"
        )
    data = read()
    if len(data) > limit:
        raise ServiceError(
            _("文件“{name}”超过上限 {limit} MB").format(
                name=name, limit=settings.ATTACHMENT_MAX_MB,
            ), field="file",
        )
    if not data:
        raise ServiceError(_("文件“{name}”是空文件").format(name=name), field="file")
    _check_content(name, ext, data)
    if ext in PIL_FORMATS:
        return _clean_image(name, ext, data)
    return Checked(name, ext, CONTENT_TYPES[ext], data)


def _mismatch(name: str, ext: str) -> ServiceError:
    return ServiceError(
        _("文件“{name}”的内容不是 .{ext} 格式（扩展名与内容不符），请上传原始文件").format(name=name, ext=ext),
        field="file",
    )


def _check_content(name: str, ext: str, data: bytes) -> None:
    if data.startswith(EXECUTABLE_MAGIC) or data.startswith(b"#!"):
        raise ServiceError(_("文件“{name}”是可执行程序或脚本，不能作为附件上传").format(name=name), field="file")
    if ext in SNIFFED:
        guessed = filetype.guess(data[:8192])
        if guessed is None or guessed.extension != SNIFFED[ext]:
            raise _mismatch(name, ext)
    elif ext in OLE_STREAMS:
        streams = OLE_STREAMS[ext]
        if not data.startswith(OLE_MAGIC) or not any(s.encode("utf-16-le") in data for s in streams):
            raise _mismatch(name, ext)
    elif ext in OOXML_MAIN or ext == "ofd":
        if not data.startswith(b"PK\x03\x04"):
            raise _mismatch(name, ext)
        _check_zip(name, ext, data)


class _Budget:
    """Bytes inflated so far over an archive and the office parts embedded in it."""

    def __init__(self) -> None:
        self.total = 0


def _check_zip(name: str, ext: str, data: bytes) -> None:
    """Refuse zip bombs before anything is stored: entry count, inflated total and ratio, nested archives;
    then the parts that make it the claimed kind of document."""
    archive, names = _inspect_archive(name, data, _Budget(), depth=0)
    if archive is None:
        raise _mismatch(name, ext)
    if ext == "ofd":
        if "OFD.xml" not in names:
            raise _mismatch(name, ext)
        return
    if "[Content_Types].xml" not in names:
        raise _mismatch(name, ext)
    types = archive.read("[Content_Types].xml")
    if OOXML_MAIN[ext].encode() not in types:
        if b"macroEnabled" in types:
            raise ServiceError(_("文件“{name}”包含宏，请另存为不含宏的文档后上传").format(name=name), field="file")
        raise _mismatch(name, ext)


def _inspect_archive(name: str, data: bytes, budget: _Budget, depth: int) -> tuple[zipfile.ZipFile | None, set]:
    """Inflate every entry under the limits. Office documents embedded by Word or Excel (a chart's workbook under
    …/embeddings/) are checked the same way, one level deep; any other archive inside is refused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        if depth:
            raise ServiceError(_("文件“{name}”内嵌的文档已损坏").format(name=name), field="file") from None
        return None, set()
    if len(entries) > ZIP_MAX_ENTRIES:
        raise ServiceError(
            _("文件“{name}”包含 {count} 个部件，超过上限 {limit}，疑似压缩炸弹").format(
                name=name, count=len(entries), limit=ZIP_MAX_ENTRIES,
            ), field="file"
        )
    bomb = ServiceError(
        _("文件“{name}”解压后过大或压缩比异常（上限 {total} MB、{ratio}:1），疑似压缩炸弹").format(
            name=name, total=ZIP_MAX_TOTAL // 1024 // 1024, ratio=ZIP_MAX_RATIO,
        ),
        field="file",
    )
    nested = ServiceError(_("文件“{name}”内嵌压缩包，不予接收").format(name=name), field="file")
    names = set()
    for entry in entries:
        if entry.filename.lower().endswith("vbaproject.bin"):
            raise ServiceError(_("文件“{name}”包含宏，请另存为不含宏的文档后上传").format(name=name), field="file")
        embedded = depth == 0 and "/embeddings/" in entry.filename and OFFICE_PART.search(entry.filename)
        if ARCHIVE_NAMES.search(entry.filename) and not embedded:
            raise nested
        # Inflate for real: the sizes in the directory can lie.
        inflated = 0
        kept = []
        try:
            with archive.open(entry) as stream:
                while chunk := stream.read(64 * 1024):
                    if not inflated and chunk.startswith(ARCHIVE_MAGIC) and not embedded:
                        raise nested
                    inflated += len(chunk)
                    budget.total += len(chunk)
                    if budget.total > ZIP_MAX_TOTAL:
                        raise bomb
                    if inflated > ZIP_RATIO_FLOOR and inflated > ZIP_MAX_RATIO * max(entry.compress_size, 1):
                        raise bomb
                    if embedded:
                        kept.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
            raise ServiceError(_("文件“{name}”已损坏或加密，无法读取").format(name=name), field="file") from None
        if embedded:
            _inspect_archive(name, b"".join(kept), budget, depth=1)
        names.add(entry.filename)
    return archive, names


def _clean_image(name: str, ext: str, data: bytes) -> Checked:
    """Decode the image (refusing decompression bombs), keep its GPS position and time taken, and re-encode it
    upright without EXIF, XMP or text chunks (the ICC colour profile is kept)."""
    undecodable = ServiceError(_("文件“{name}”不是可以打开的图片，或图片已损坏").format(name=name), field="file")
    bomb = ServiceError(_("文件“{name}”像素数过大（疑似图片炸弹），不予接收").format(name=name), field="file")
    try:
        image = Image.open(io.BytesIO(data))  # raises DecompressionBombError beyond twice the limit
        if image.format not in PIL_FORMATS_READ[ext]:
            raise _mismatch(name, ext)
        if image.width * image.height > (Image.MAX_IMAGE_PIXELS or float("inf")):
            raise bomb
        image.load()
        exif = image.getexif()
        upright = ImageOps.exif_transpose(image)
    except Image.DecompressionBombError:
        raise bomb from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise undecodable from None
    latitude, longitude = _gps(exif)
    options: dict = {}
    if icc := image.info.get("icc_profile"):
        options["icc_profile"] = icc
    fmt = PIL_FORMATS[ext]
    if fmt == "JPEG":
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        options.update(quality=90, optimize=True)
    elif fmt == "WEBP":
        options.update(quality=90)
    upright.info = {}
    out = io.BytesIO()
    try:
        upright.save(out, format=fmt, **options)
    except (OSError, ValueError):
        raise undecodable from None
    return Checked(name, ext, CONTENT_TYPES[ext], out.getvalue(), latitude, longitude, _taken_at(exif))


def _degrees(value, ref) -> Decimal | None:
    """EXIF (degrees, minutes, seconds) and N/S/E/W → signed decimal degrees."""
    try:
        d, m, s = (Decimal(str(float(part))) for part in value)
    except (TypeError, ValueError, ZeroDivisionError, ArithmeticError):
        return None
    result = d + m / 60 + s / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "ignore")
    if str(ref).strip().upper() in ("S", "W"):
        result = -result
    return result.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def _gps(exif: Image.Exif) -> tuple[Decimal | None, Decimal | None]:
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    if not gps:
        return None, None
    lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef, "N"))
    lon = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef, "E"))
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None, None
    return lat, lon


def _taken_at(exif: Image.Exif) -> datetime | None:
    """DateTimeOriginal is local time of the camera; take it as the site's time zone."""
    raw = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if not isinstance(raw, str):
        return None
    try:
        naive = datetime.strptime(raw.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    return timezone.make_aware(naive)
