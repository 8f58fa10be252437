from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    """Role flags for the navigation bar; the pages themselves still check through the scope selector."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = user.role_names()
    return {"user_roles": roles, "user_role_labels": user.role_labels()}
