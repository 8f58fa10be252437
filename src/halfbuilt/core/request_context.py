"""Who acts and from where: passed explicitly to every service that writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

    from halfbuilt.accounts.models import User


@dataclass(frozen=True)
class Actor:
    user: User | None
    ip: str = ""
    # Set when a command acts on behalf of a role it does not hold (e.g. the CLI import as the office).
    via: str = "web"

    @classmethod
    def from_request(cls, request: HttpRequest, via: str = "web") -> Actor:
        return cls(user=request.user, ip=request.META.get("REMOTE_ADDR", ""), via=via)

    @property
    def username(self) -> str:
        return self.user.get_username() if self.user else "system"
