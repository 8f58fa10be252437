"""What a signed-in session knows of the security policy, so that a request costs no query for it: the idle
timeout in force, whether a second factor is still to be given (or enrolled) and whether the password must be
changed, read at sign-in and again at most once a minute
(a policy saved now reaches every open session within that minute, new sign-ins at once; an administrator's
reset ends the user's sessions anyway, since the password changed)."""

from django.http import HttpRequest
from django.utils import timezone

from . import policy, state, twofactor

SEEN = "_halfbuilt_seen"  # the session's last request, seconds since the epoch
IDLE = "_halfbuilt_idle_seconds"
PASSWORD = "_halfbuilt_password_change"  # "", "reset" or "expired" (state.must_change_reason)
TWO_FACTOR = "_halfbuilt_two_factor"  # "", "verify" or "enrol" (twofactor.pending)
READ_AT = "_halfbuilt_policy_read_at"
READ_AGAIN_SECONDS = 60
RENEW_SECONDS = 60  # the last request is noted at most this often (each note is a session write)


def now() -> float:
    return timezone.now().timestamp()


def remember(request: HttpRequest, user) -> None:
    """Read the policy and the user's password state into the session."""
    session = request.session
    session[IDLE] = policy.current().idle_minutes * 60
    session[PASSWORD] = state.must_change_reason(user)
    session[TWO_FACTOR] = twofactor.pending(request, user)
    session[READ_AT] = now()


def refreshed(request: HttpRequest, user) -> None:
    """The session's copy, read again when it is older than a minute (or from before this was kept)."""
    read_at = request.session.get(READ_AT)
    if read_at is None or now() - read_at > READ_AGAIN_SECONDS or TWO_FACTOR not in request.session:
        remember(request, user)
