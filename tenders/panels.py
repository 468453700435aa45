"""Places on the calls app's pages that the apps above it add to (see core.panels)."""

from bigscience_portal.core.panels import Panels

#: a call's page: suggested suppliers...
call_page = Panels("call_page")


def home_calls(request) -> dict:
    """The home page's open calls, the soonest deadline first (the same for every reader)."""
    from . import selectors

    return {
        "calls": selectors.open_calls_closing_first(),
        "open_count": selectors.open_call_count(),
    }


def home_attention(request) -> dict | None:
    """What waits for the user among the calls: an officer's questions to answer, drafts to
    publish and closed calls to award; a company's interests in calls that close soon."""
    from organisations import permissions as org_perms

    from . import permissions, selectors

    user = request.user
    waiting = []
    if org_perms.liaison_infrastructures(user).exists():
        waiting = list(selectors.officer_calls_waiting(user)[:5])
    closing = (
        selectors.eois_closing_soon(user)
        if permissions.interest_organisations(user).exists()
        else []
    )
    if not waiting and not closing:
        return None
    return {"waiting": waiting, "closing": closing}
