"""回头看 on-site evidence: each photo of a check keeps where and when it was taken, and the check shows its distance
from the project's site and flags a photo taken far away, without a position, or before the closure."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import ExifTags, Image

from halfbuilt.closure import services
from halfbuilt.closure.evidence import closure_times, distance_m, photo_evidence
from halfbuilt.closure.models import ClosureRequest, ClosureStatus
from halfbuilt.core.errors import ServiceError
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project

SITE = (Decimal("40.600000"), Decimal("110.000000"))  # the project's 纬度, 经度
# 0.01° of latitude is 1,112 m on the ground; 0.005° is 556 m.
NEAR = (40.605, 110.0)
FAR = (40.61, 110.0)


def dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return (float(degrees), float(minutes), round(((value - degrees) * 60 - minutes) * 60, 4))


def photo(name: str, gps: tuple[float, float] | None, taken: str | None = "2024:05:06 07:08:09") -> SimpleUploadedFile:
    exif = Image.Exif()
    if taken:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    if gps:
        exif[ExifTags.Base.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: dms(gps[0]),
            ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: dms(gps[1]),
        }
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "green").save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def check(users, projects, closure_stage):
    """A closed project at SITE, closed on 2024-05-01 (Beijing time), drawn for 回头看."""
    project = closure_stage(projects["in_scope"], "closed")
    Project.objects.filter(pk=project.pk).update(latitude=SITE[0], longitude=SITE[1])
    ClosureRequest.objects.create(
        project=project, outcome="in_use", outcome_date=dt.date(2024, 4, 20), description="已投入使用",
        status=ClosureStatus.CLOSED, requested_by="unit", closed_at=timezone.make_aware(dt.datetime(2024, 5, 1, 9)),
    )
    return services.draw_sample(actor=Actor(user=users["office"]), share="1").checks.get()


def evidence_of(check):
    check.refresh_from_db()
    return {e.photo.original_name: e for e in photo_evidence(check, closure_times([check.project_id]).get(
        check.project_id))}


def test_distance_is_the_great_circle_in_metres():
    assert round(distance_m(Decimal("40.60"), Decimal("110.0"), Decimal("40.61"), Decimal("110.0"))) == 1112
    assert round(distance_m(Decimal("40.60"), Decimal("110.0"), Decimal("40.60"), Decimal("110.0"))) == 0


def test_photos_are_kept_with_their_position_and_time_and_judged_against_the_site(users, check, settings):
    settings.FOLLOWUP_PHOTO_MAX_DISTANCE_M = 1000
    services.record_check(actor=Actor(user=users["office"]), check=check, passed=True, finding="", photos=[
        photo("近处.jpg", NEAR), photo("远处.jpg", FAR), photo("无位置.jpg", None),
        photo("销号前.jpg", NEAR, taken="2024:04:30 10:00:00"),
    ])
    found = evidence_of(check)
    assert set(found) == {"近处.jpg", "远处.jpg", "无位置.jpg", "销号前.jpg"}
    near = found["近处.jpg"]
    assert (near.distance_m, near.warnings, near.on_site) == (556, [], True)
    assert found["远处.jpg"].distance_m == 1112
    assert found["远处.jpg"].warnings == ["拍摄位置距项目 1112 米，超过 1000 米"]
    assert found["无位置.jpg"].distance_m is None
    assert found["无位置.jpg"].warnings == ["照片没有位置信息，无法核对是否在现场拍摄"]
    assert found["销号前.jpg"].warnings == ["拍摄于销号之前（2024-04-30 10:00，销号于 2024-05-01 09:00）"]


def test_the_distance_threshold_is_configurable(users, check, settings):
    settings.FOLLOWUP_PHOTO_MAX_DISTANCE_M = 500
    services.record_check(actor=Actor(user=users["office"]), check=check, passed=True,
                          photos=[photo("近处.jpg", NEAR)])
    assert evidence_of(check)["近处.jpg"].warnings == ["拍摄位置距项目 556 米，超过 500 米"]


def test_a_project_without_coordinates_cannot_be_checked_for_position(users, check):
    Project.objects.filter(pk=check.project_id).update(latitude=None, longitude=None)
    services.record_check(actor=Actor(user=users["office"]), check=check, passed=True,
                          photos=[photo("近处.jpg", NEAR)])
    assert evidence_of(check)["近处.jpg"].warnings == ["项目未登记经纬度，无法核对拍摄位置"]


def test_a_bad_photo_refuses_the_whole_check(users, check):
    bad = SimpleUploadedFile("照片.jpg", b"not an image at all" * 10, content_type="image/jpeg")
    with pytest.raises(ServiceError):
        services.record_check(actor=Actor(user=users["office"]), check=check, passed=True, photos=[bad])
    check.refresh_from_db()
    assert check.result == "pending" and check.photos.count() == 0


def test_too_many_photos_are_refused(users, check):
    with pytest.raises(ServiceError, match="最多上传 9 张"):
        services.record_check(actor=Actor(user=users["office"]), check=check, passed=True,
                              photos=[photo(f"{i}.jpg", NEAR) for i in range(10)])


def test_the_sample_page_shows_each_photo_with_its_distance_and_warnings(users, check):
    client = Client()
    client.force_login(users["office"])
    response = client.post(f"/closure/checks/{check.pk}/", {
        "result": "passed", "finding": "", "photos": [photo("近处.jpg", NEAR), photo("远处.jpg", FAR)],
    })
    assert response.status_code == 302
    page = client.get(f"/closure/samples/{check.sample_id}/").content.decode()
    assert "现场照片" in page and "近处.jpg" in page and "556 米" in page and "现场拍摄" in page
    assert "拍摄位置距项目 1112 米，超过 1000 米" in page


def test_a_refused_second_photo_leaves_no_file_of_the_first(users, check, settings):
    from tests.test_orders_evidence import media_files

    bad = SimpleUploadedFile("照片.jpg", b"not an image at all" * 10, content_type="image/jpeg")
    with pytest.raises(ServiceError):
        services.record_check(actor=Actor(user=users["office"]), check=check, passed=True,
                              photos=[photo("近处.jpg", NEAR), bad])
    check.refresh_from_db()
    assert check.result == "pending" and media_files(settings) == []
