"""People as a reader knows them: "包头市东河区人民政府 · 张伟" (organization · full name), never a login name.

Stored fields such as `reviewed_by` and the change log's `username` hold login names, frozen when the action
happened. Pages show them through `{% person %}` and `{% actor %}` (core/templatetags/halfbuilt_ui.py), which
read a per-request `People`: views announce what they will show with `want(...)`, and the first name looked up
reads all of them in one query. A name nobody announced costs one more query, never a login name on the page.
"""

import re

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from halfbuilt.audit import registry

from .models import User
from .scope import assignments

# Writers that are not accounts: a command run without a user (Actor.username), the demo generator.
NOT_ACCOUNTS = {"system": _("系统"), "demo": _("演示数据")}
_CJK = re.compile(r"[\u3400-\u9fff]")


def full_name(first: str, last: str) -> str:
    """A Chinese name is family name first, without a space (last_name "张", first_name "伟" → "张伟")."""
    first, last = (first or "").strip(), (last or "").strip()
    if first and last and _CJK.search(first + last):
        return last + first
    return f"{first} {last}".strip()


def label(organization: str, name: str) -> str:
    """"Organization · name"; just one of them when the other is missing or says the same."""
    organization, name = (organization or "").strip(), (name or "").strip()
    if organization and name and name != organization:
        return f"{organization} · {name}"
    return organization or name


def via_label(via: str) -> str:
    """How an entry was made, in Chinese (the audit registry's labels); the web, the usual way, says nothing."""
    return "" if (via or "web") == "web" else registry.via_label(via)


class People:
    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._wanted: set[str] = set()

    def want(self, *usernames: str) -> None:
        """Usernames the page will show; read together with the first lookup."""
        self._wanted.update(u for u in usernames if u and u not in self._names)

    def know(self, user: User) -> None:
        """A user already in hand (the signed-in user): named from its cached role assignments, no query."""
        if user is not None and user.is_authenticated:
            orgs = [a.organization.name for a in sorted(assignments(user), key=lambda a: a.pk)]
            self._names[user.get_username()] = label(orgs[0] if orgs else "", full_name(user.first_name,
                                                                                          user.last_name))

    def name(self, username: str) -> str:
        if not username:
            return ""
        if username not in self._names:
            self._wanted.add(username)
            self._load()
        return self._names[username]

    def _load(self) -> None:
        wanted, self._wanted = self._wanted - self._names.keys(), set()
        found: dict[str, str] = {}
        rows = (
            User.objects.filter(username__in=wanted)
            .values_list("username", "first_name", "last_name", "role_assignments__organization__name")
            .order_by("username", "role_assignments__id")
        )
        for username, first, last, organization in rows:
            if username not in found:  # a user with several roles is named by their first
                found[username] = label(organization, full_name(first, last))
        for username in wanted:
            self._names[username] = found.get(username) or str(NOT_ACCOUNTS.get(username, username))


def people_for(request: HttpRequest | None) -> People:
    """The request's directory (one per request), knowing the signed-in user already."""
    if request is None:
        return People()
    people = getattr(request, "_people", None)
    if people is None:
        people = request._people = People()
        people.know(getattr(request, "user", None))
    return people
