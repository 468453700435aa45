from django import template

from events import selectors

register = template.Library()


@register.simple_tag
def events_dashboard(user):
    """The user's upcoming registrations and the meeting requests waiting for their answer."""
    if not getattr(user, "is_authenticated", False):
        return {"registrations": [], "pending": []}
    return {
        "registrations": list(selectors.user_registrations(user=user)[:20]),
        "pending": list(selectors.pending_requests_for(user=user)[:20]),
    }
