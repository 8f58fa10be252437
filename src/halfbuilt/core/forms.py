"""What every page form shares."""

from collections.abc import Mapping

from django import forms

from .errors import ServiceError


def add_service_error(form: forms.Form, error: ServiceError, aliases: Mapping[str, str] | None = None) -> None:
    """Show a service's refusal on the form: at the field it names (`aliases` maps the service's name of a field
    to the form's, where they differ), else above the form."""
    field = (aliases or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)
