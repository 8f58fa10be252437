import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

PARTIAL_DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def validate_partial_date(value: str) -> None:
    if value and not PARTIAL_DATE_RE.match(value):
        raise ValidationError(_("日期格式应为 YYYY、YYYY-MM 或 YYYY-MM-DD"), code="partial_date")


class PartialDateField(models.CharField):
    """A date kept at the precision it was given: "2018", "2018-06" or "2018-06-15".

    Ledgers often know only the year or month; storing ISO text keeps that precision, sorts correctly
    and exports as is.
    """

    default_validators = [validate_partial_date]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, value in (("max_length", 10), ("blank", True), ("default", "")):
            if kwargs.get(key) == value:
                kwargs.pop(key)
        return name, path, args, kwargs


class MoneyField(models.DecimalField):
    """An amount in 万元, exact to one yuan (4 decimals), never a float."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 4)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, value in (("max_digits", 16), ("decimal_places", 4), ("null", True), ("blank", True)):
            if kwargs.get(key) == value:
                kwargs.pop(key)
        return name, path, args, kwargs


class EncryptedCharField(models.CharField):
    """Text encrypted at rest (core/crypto.py: SM4-GCM by default): personal information such as phones and
    contacts' names. `max_length` is the text's, as forms and the data dictionary see it; the column is wide
    enough for its ciphertext. Not searchable in SQL: nothing filters on these fields."""

    def db_type(self, connection):
        from .crypto import stored_length

        return models.CharField(max_length=stored_length(self.max_length)).db_type(connection)

    def cast_db_type(self, connection):
        return self.db_type(connection)

    def from_db_value(self, value, expression, connection):
        from .crypto import decrypt

        return decrypt(value) if value else value

    def get_prep_value(self, value):
        from .crypto import encrypt

        value = super().get_prep_value(value)
        return encrypt(value) if value else value
