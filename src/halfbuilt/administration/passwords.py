"""Password validators that read the security policy at each call (AUTH_PASSWORD_VALIDATORS names them), so
the security administrator's rules apply at once; their messages are the accounts app's."""

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from halfbuilt.accounts import passwords as base

from . import policy


class PolicyMinimumLengthValidator(base.MinimumLengthValidator):
    def __init__(self, min_length: int | None = None):
        super().__init__(min_length or 8)

    def validate(self, password, user=None):
        self.min_length = policy.current().min_length
        super().validate(password, user)

    def get_help_text(self) -> str:
        self.min_length = policy.current().min_length
        return super().get_help_text()


class PolicyCharacterClassValidator(base.CharacterClassValidator):
    def validate(self, password: str, user=None) -> None:
        self.min_classes = policy.current().min_classes
        super().validate(password, user)

    def get_help_text(self) -> str:
        self.min_classes = policy.current().min_classes
        return super().get_help_text()


class HistoryValidator:
    """Not the current password, nor one of the last N (the policy's `history`)."""

    def validate(self, password: str, user=None) -> None:
        count = policy.current().history
        if not count or user is None or user.pk is None:
            return
        hashes = list(user.password_history.values_list("password", flat=True)[:count])
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(self.message(count), code="password_reused")

    @staticmethod
    def message(count: int) -> str:
        return _("新密码不能与最近 {count} 次使用过的密码相同。").format(count=count)

    def get_help_text(self) -> str:
        count = policy.current().history
        return self.message(count) if count else ""
