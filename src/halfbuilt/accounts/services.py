"""Writes to accounts that are business actions with a change-log entry: issuing and revoking API tokens."""

from django.db import transaction

from halfbuilt.audit.services import record_change
from halfbuilt.core.request_context import Actor

from .models import ApiToken, User


@transaction.atomic
def issue_token(*, actor: Actor, user: User) -> str:
    """A new bearer token for `user`; the key is returned this once (only its hash is stored)."""
    key = ApiToken.issue(user)
    token = ApiToken.objects.get(key_hash=ApiToken.hash(key))
    record_change(actor=actor, action="issue_token", obj=token, before=None,
                  after={"user": user.get_username(), "prefix": token.prefix})
    return key


@transaction.atomic
def revoke_tokens(*, actor: Actor, user: User, prefix: str) -> int:
    """Withdraw the user's tokens starting with `prefix` (all of them for "all"); returns how many."""
    tokens = user.api_tokens.all() if prefix == "all" else user.api_tokens.filter(prefix=prefix)
    revoked = list(tokens.select_for_update())
    for token in revoked:
        record_change(actor=actor, action="revoke_token", obj=token,
                      before={"user": user.get_username(), "prefix": token.prefix}, after=None)
    ApiToken.objects.filter(pk__in=[t.pk for t in revoked]).delete()
    return len(revoked)
