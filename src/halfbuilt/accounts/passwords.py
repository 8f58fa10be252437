import string

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """等保 complexity: at least N of lower case, upper case, digits and symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or c == " " for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _("密码须包含小写字母、大写字母、数字、符号中的至少 {min_classes} 类。").format(
                    min_classes=self.min_classes,
                ),
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("密码须包含小写字母、大写字母、数字、符号中的至少 {min_classes} 类。").format(
            min_classes=self.min_classes,
        )


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's own, with a Chinese message: its zh-Hans catalogue misses this string in Django 5.2."""

    def get_error_message(self) -> str:
        return _("密码太短，至少需要 {min_length} 个字符。").format(min_length=self.min_length)

    def get_help_text(self) -> str:
        return _("密码至少需要 {min_length} 个字符。").format(min_length=self.min_length)
