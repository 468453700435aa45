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
