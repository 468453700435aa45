"""Template helpers of the shared stack (``{% load portal_tags %}``)."""

from __future__ import annotations

from django import forms, template

register = template.Library()

_SELECTS = (forms.Select, forms.SelectMultiple, forms.NullBooleanSelect)


def widget_css(widget) -> str:
    """The Bootstrap class of a widget (none for groups of checkboxes or radios)."""
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return ""
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, _SELECTS):
        return "form-select"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "form-control"
    return "form-control"


@register.filter
def widget(bound_field):
    """A field's widget with its Bootstrap class, ``aria-describedby`` (help text and errors)
    and ``aria-invalid``: the one way every form and filter of the portal renders a control."""
    attrs = {}
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described and not bound_field.use_fieldset:
        attrs["aria-describedby"] = " ".join(described)
    css = widget_css(bound_field.field.widget)
    if bound_field.errors and css:
        css += " is-invalid"
    own = bound_field.field.widget.attrs.get("class", "")
    if css and css.split()[0] not in own.split():
        attrs["class"] = f"{own} {css}".strip()
    return bound_field.as_widget(attrs=attrs)
