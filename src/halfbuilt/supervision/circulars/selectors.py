"""Reading 通报: the list of a user's circulars, through `restrict`."""

from django.db.models import QuerySet

from .models import Circular, CircularStatus


def visible(user) -> QuerySet[Circular]:
    return Circular.objects.restrict(user).select_related("issuer_org", "created_by", "published_by")


def drafts(user) -> QuerySet[Circular]:
    return Circular.objects.restrict(user, "edit").filter(status=CircularStatus.DRAFT)
