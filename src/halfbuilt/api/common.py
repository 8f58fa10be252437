"""What every router of the API shares: who asks, who acts, the error responses a handler declares, times."""

from django.http import HttpRequest
from django.utils import timezone

from halfbuilt.core.request_context import Actor

from .schemas import BadRequest, Error, FieldErrors

READ_ERRORS = {400: BadRequest, 401: Error, 404: Error}
WRITE_ERRORS = {400: BadRequest, 401: Error, 403: Error, 404: Error, 409: Error, 422: FieldErrors}


def user(request: HttpRequest):
    """The signed-in user or the bearer token's (ninja's `request.auth`)."""
    return request.auth


def actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request, via="api")


def local_iso(moment) -> str | None:
    """A stored time in the configured time zone (Beijing time by default), ISO 8601."""
    return timezone.localtime(moment).isoformat() if moment else None
