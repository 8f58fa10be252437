"""The 公开 section of the (internal) project page: whether the project is on the portal, its 公示牌, and for who
may release them the photos (office, region) and 挂牌督办 (office) to make public or withdraw."""

from __future__ import annotations

from django.http import HttpRequest

from halfbuilt.files.models import AttachmentKind
from halfbuilt.ledger.models import Project
from halfbuilt.supervision.orders.models import SupervisionOrder

from . import services
from .selectors import public_q


def project_panel(request: HttpRequest, project: Project) -> dict | None:
    if not Project.objects.filter(public_q(), pk=project.pk).exists():
        return None  # not public: nothing of it reaches the portal, and there is nothing to release
    photos = []
    if services.can_publish_photos(request.user, project):
        photos = list(project.attachments.filter(kind=AttachmentKind.PHOTO).select_related("publication")
                      .order_by("-uploaded_at"))
    orders = []
    if services.can_publicise(request.user):
        orders = list(SupervisionOrder.objects.restrict(request.user).filter(project=project)
                      .select_related("publication").order_by("-issued_on"))
    return {"project": project, "photos": photos, "orders": orders}
