from django.http import HttpRequest

from halfbuilt.accounts.models import Role
from halfbuilt.accounts.scope import assignments

from .navigation import menu_for


def navigation(request: HttpRequest) -> dict:
    """The menu of `core.navigation.MENU` this user sees; the pages themselves still check the scope."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # The scope's cached assignments: the menu and the user box cost no query of their own.
    roles = sorted({a.role for a in assignments(user)})
    return {"menu": menu_for(user, request.path), "user_role_labels": [Role(r).label for r in roles]}
