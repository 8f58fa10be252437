from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError
from django.utils.translation import gettext_lazy


class ServiceError(Exception):
    """A business rule refused the action; the message is Chinese and shown to the user as is."""

    def __init__(self, message: str, *, field: str | None = None):
        message = str(message)  # a lazily translated message is rendered now, in the request's language
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(ServiceError):
    pass


class ConflictError(ServiceError):
    """Someone else saved the object since it was loaded (optimistic locking)."""


# The one message for a database that stayed locked longer than a writer waits (pages, API, CLI, worker).
BUSY = gettext_lazy("系统正忙（可能有人正在导入台账），未保存任何内容，请稍后重试")
# SQLite's messages for a lock held past the busy timeout; PostgreSQL's lock_timeout is SQLSTATE 55P03.
SQLITE_BUSY = ("database is locked", "database table is locked")
LOCK_NOT_AVAILABLE = "55P03"
RETRY_AFTER_SECONDS = 30  # what a 503 for a busy database tells clients to wait


class Busy(ServiceError):
    """Another writer held the database (an import, most often) longer than this one waits: nothing was written,
    the user may simply try again. Pages answer it 503 with the message, the API 503 in JSON, the CLI exit 1."""

    def __init__(self, message: str = BUSY):
        super().__init__(message)


def is_busy(exc: BaseException) -> bool:
    """True for a database error that means "locked by another writer, try again", on SQLite and PostgreSQL."""
    if isinstance(exc, Busy):
        return True
    if not isinstance(exc, OperationalError):
        return False
    if getattr(exc.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
        return True
    return str(exc).lower().startswith(SQLITE_BUSY)


@contextmanager
def busy_as_message() -> Iterator[None]:
    """Turn a busy database into Busy (a ServiceError with the message); other errors pass unchanged."""
    try:
        yield
    except OperationalError as exc:
        if is_busy(exc):
            raise Busy() from exc
        raise
