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
