from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from halfbuilt.accounts.navigation import user_menu_for

from .services import unread_count


def bell(request: HttpRequest) -> dict:
    """The bell's unread count (one count query, made only when a page shows it) and the user menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user)),
            "user_menu": user_menu_for(user, request.path)}
