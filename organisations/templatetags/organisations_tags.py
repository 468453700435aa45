"""Template helpers that ask ``organisations.permissions`` (templates never re-derive rules),
and ``{% codes %}``, the one way a page shows CPV and NACE codes."""

from django import template

from .. import permissions, selectors
from ..code_labels import labelled

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


@register.inclusion_tag("organisations/_codes.html")
def codes(items, scheme: str = "cpv", href: str = "", wrap: bool = False, label: str = "") -> dict:
    """``items`` (``code_labels.CodeLabel``, code instances or codes as text) as chips, each
    code with its own label in the reader's language (``code_labels.labelled``). ``href``: a
    link of each code, the code appended (``?cpv=``); ``wrap``: labels wrap on a phone instead
    of being cut (with the full label in the title); ``label``: the list's accessible name."""
    return {"codes": labelled(items, scheme=scheme), "href": href, "wrap": wrap, "label": label}
