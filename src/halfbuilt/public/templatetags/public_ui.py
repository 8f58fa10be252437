"""The portal's menu, from the one menu table (accounts/navigation.py)."""

from django import template

from halfbuilt.accounts.navigation import public_menu_for

register = template.Library()


@register.simple_tag(takes_context=True)
def public_menu(context) -> list[dict]:
    request = context.get("request")
    return public_menu_for(request.path if request else "")
