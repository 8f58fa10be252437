"""What every page form shares."""

from collections.abc import Mapping

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .errors import ServiceError


def add_service_error(form: forms.Form, error: ServiceError, aliases: Mapping[str, str] | None = None) -> None:
    """Show a service's refusal on the form: at the field it names (`aliases` maps the service's name of a field
    to the form's, where they differ), else above the form."""
    field = (aliases or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


def _attrs(attrs: Mapping[str, object]) -> str:
    """Attributes as Django's attrs.html writes them: True a bare name, False left out, the rest escaped."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items() if value is not False)


class QuickSelect(forms.Select):
    """A select that writes its options in Python, with the markup of Django's templates: a filter panel's
    selects hold some 200 options, and the template engine took ~20 ms of the ledger list to render them. The
    output is the templates' to the byte (tests/test_ui_ledger_list.py compares them)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts += [format_html('\n  <option value="{}"', str(option["value"])), _attrs(option["attrs"]),
                          format_html(">{}</option>\n", option["label"])]
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped by format_html
