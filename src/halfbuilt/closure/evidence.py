"""On-site evidence of a 回头看 check: where and when each photo was taken, against the project's site and its
closure. A number made up at a desk shows as a photo taken far away, or before the work it claims was done."""

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from halfbuilt.files.models import Attachment

from .models import ClosureRequest, ClosureStatus, FollowUpCheck

EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: Decimal, lon1: Decimal, lat2: Decimal, lon2: Decimal) -> float:
    """Great-circle distance in metres (haversine): ample at the scale of a building site."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class PhotoEvidence:
    photo: Attachment
    distance_m: int | None  # from the project's site; None when either position is unknown
    warnings: list[str] = field(default_factory=list)

    @property
    def on_site(self) -> bool:
        return not self.warnings


def closure_times(project_ids) -> dict[int, dt.datetime]:
    """When each project was last closed (销号): before that moment a 回头看 photo proves nothing. One query."""
    times: dict[int, dt.datetime] = {}
    rows = ClosureRequest.objects.filter(project_id__in=list(project_ids), status=ClosureStatus.CLOSED,
                                         closed_at__isnull=False).values_list("project_id", "closed_at")
    for project_id, moment in rows:
        if project_id not in times or moment > times[project_id]:
            times[project_id] = moment
    return times


def photo_evidence(check: FollowUpCheck, closed: dt.datetime | None = None) -> list[PhotoEvidence]:
    """Each photo of the check with its distance from the site and what makes it doubtful."""
    project = check.project
    limit = settings.FOLLOWUP_PHOTO_MAX_DISTANCE_M
    site_known = project.latitude is not None and project.longitude is not None
    found = []
    for photo in check.photos.all():
        warnings = []
        distance = None
        if photo.gps_latitude is None or photo.gps_longitude is None:
            warnings.append(_("照片没有位置信息，无法核对是否在现场拍摄"))
        elif not site_known:
            warnings.append(_("项目未登记经纬度，无法核对拍摄位置"))
        else:
            distance = round(distance_m(project.latitude, project.longitude, photo.gps_latitude, photo.gps_longitude))
            if distance > limit:
                message = _("拍摄位置距项目 {distance} 米，超过 {limit} 米")
                warnings.append(message.format(distance=distance, limit=limit))
        if photo.taken_at is None:
            warnings.append(_("照片没有拍摄时间"))
        elif closed is not None and photo.taken_at < closed:
            warnings.append(_("拍摄于销号之前（{taken}，销号于 {closed}）").format(
                taken=f"{timezone.localtime(photo.taken_at):%Y-%m-%d %H:%M}",
                closed=f"{timezone.localtime(closed):%Y-%m-%d %H:%M}"))
        found.append(PhotoEvidence(photo, distance, warnings))
    return found
