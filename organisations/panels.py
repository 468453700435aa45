"""Places on the organisations app's pages that the apps above it add to (see core.panels)."""

from bigscience_portal.core.panels import Panels

#: an organisation's public page: the calls it posted, the events it organises, its matches...
organisation_page = Panels("organisation_page")

#: the staff's approval page of one organisation: e.g. the calls imported from its notices
approval_page = Panels("approval_page")


def home_attention(request) -> dict | None:
    """The home page's part: what waits for the user's decision in the directory."""
    from . import selectors

    decisions = selectors.user_decisions(request.user)
    return decisions if any(decisions.values()) else None
