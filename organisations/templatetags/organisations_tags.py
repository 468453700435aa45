"""Template helpers that ask ``organisations.permissions`` (templates never re-derive rules),
and ``{% codes %}``, the one way a page shows CPV and NACE codes."""

from django import template

from bigscience_portal.core.templatetags.portal_tags import memo_include

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


@register.simple_tag
def codes(items, scheme: str = "cpv", href: str = "", wrap: bool = False, label: str = ""):
    """``items`` (``code_labels.CodeLabel``, code instances or codes as text) as chips, each
    code with its own label in the reader's language (``code_labels.labelled``). ``href``: a
    link of each code, the code appended (``?cpv=``); ``wrap``: labels wrap on a phone instead
    of being cut (with the full label in the title); ``label``: the list's accessible name.
    Rendered by ``organisations/_codes.html`` once per set of codes and labels (core's
    ``memo_include``: a list's rows repeat the same code sets page after page)."""
    chips = labelled(items, scheme=scheme)
    key = (tuple(chips), str(href), bool(wrap), str(label))
    return memo_include(
        "organisations/_codes.html", key, codes=chips, href=href, wrap=wrap, label=label
    )
