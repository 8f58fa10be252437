"""People by name in pages: `{% load people %}`, then `{% person username %}`, `{% actor entry %}`, `|via_label`."""

from django import template

from halfbuilt.accounts.people import people_for, via_label

register = template.Library()


@register.simple_tag(takes_context=True)
def person(context, username: str) -> str:
    """A stored username as "organization · full name" (accounts.people; one query per page)."""
    return people_for(context.get("request")).name(username)


@register.simple_tag(takes_context=True)
def actor(context, entry) -> str:
    """Who made a change-log entry and, unless it was the web, how: "… · 接口", "… · 命令行"."""
    name = people_for(context.get("request")).name(entry.username)
    how = via_label(entry.via)
    return f"{name} · {how}" if how and how != name else name


@register.filter(name="via_label")
def via_label_filter(via: str) -> str:
    return via_label(via)
