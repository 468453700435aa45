from django import template

from events import selectors

register = template.Library()


@register.simple_tag
def events_dashboard(user):
    """The user's upcoming registrations, the meeting requests waiting for their answer and the
    events they organise (with the links to the organiser tools)."""
    if not getattr(user, "is_authenticated", False):
        return {"registrations": [], "pending": [], "organised": []}
    return {
        "registrations": list(selectors.user_registrations(user=user)[:20]),
        "pending": list(selectors.pending_requests_for(user=user)[:20]),
        "organised": selectors.events_organised_for(user=user),
    }
