"""Template helpers that ask ``organisations.permissions``; templates never re-derive rules."""

from django import template

from .. import permissions, selectors

register = template.Library()


@register.filter
def can_edit(user, organisation) -> bool:
    return permissions.can_edit_organisation(user, organisation)


@register.filter
def can_manage_people(user, organisation) -> bool:
    return permissions.can_manage_people(user, organisation)


@register.filter
def can_manage_cluster(user, organisation) -> bool:
    return permissions.can_manage_cluster(user, organisation)


@register.simple_tag
def organisation_dashboard(user) -> dict:
    """What the user's area shows from the directory (see selectors.user_dashboard)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return selectors.user_dashboard(user)


@register.simple_tag(takes_context=True)
def page_url(context, page_number) -> str:
    """``?<current filters>&page=N``: pagination links keep every filter."""
    querystring = context.get("querystring", "")
    return f"?{querystring}&page={page_number}" if querystring else f"?page={page_number}"


@register.filter
def accessible(bound_field):
    """Render a field's widget with Bootstrap classes, aria-describedby and aria-invalid."""
    widget = bound_field.field.widget
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}_errors")
    attrs = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    input_type = getattr(widget, "input_type", "")
    multiple_checkboxes = input_type == "checkbox" and getattr(
        widget, "allow_multiple_selected", False
    )
    if multiple_checkboxes:
        css = ""
    elif input_type in ("checkbox", "radio"):
        css = "form-check-input"
    elif widget.__class__.__name__ in ("Select", "SelectMultiple", "NullBooleanSelect"):
        css = "form-select"
    else:
        css = "form-control"
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
        css = f"{css} is-invalid".strip()
    if css:
        attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    return bound_field.as_widget(attrs=attrs)
