from django.http import HttpRequest

from .models import Role
from .navigation import menu_for, sections
from .scope import assignments


def navigation(request: HttpRequest) -> dict:
    """The menu of `accounts.navigation.MENU` this user sees; the pages themselves still check the scope."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # The scope's cached assignments: the menu and the user box cost no query of their own.
    roles = sorted({a.role for a in assignments(user)})
    # A second factor or a password change still due (the security policy's middleware says so): no menu to lead
    # elsewhere.
    menu = [] if getattr(request, "sign_in_unfinished", "") else menu_for(user, request.path)
    return {"menu": menu, "menu_sections": sections(menu), "user_role_labels": [Role(r).label for r in roles]}
