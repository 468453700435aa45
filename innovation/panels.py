"""Places on the innovation pages that the apps above add to (see ``core.panels``), and this
app's own panels on the pages below it (the user's area, an organisation's page, a call's).

* :data:`interest_page`: the conversation of an expression of interest; ``events`` offers a
  meeting at a B2B event both organisations attend there;
* :data:`opportunity_page`: an opportunity's page; ``events`` names the events it is shown at.
"""

from __future__ import annotations

from bigscience_portal.core.panels import Panels

interest_page = Panels("innovation_interest_page")
opportunity_page = Panels("innovation_opportunity_page")


def dashboard_context(request) -> dict | None:
    from organisations.models import Organisation

    from . import permissions, selectors

    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    companies = list(
        permissions.user_organisations(user).filter(kind__in=Organisation.COMPANY_KINDS)[:1]
    )
    recommended = list(selectors.company_opportunities(companies[0], limit=5)) if companies else []
    return {
        "company": companies[0] if companies else None,
        "recommended": recommended,
        "opportunities": list(selectors.organisation_opportunities(user)[:5]),
        "reviews": selectors.review_queue(user).count(),
        "interests": list(selectors.interests_of_user(user)[:5]),
        "challenges": list(selectors.challenges_of_user(user)[:5]),
        "proposals": list(selectors.proposals_of_user(user)[:5]),
        "can_create_opportunity": permissions.can_create_opportunity(user),
        "can_create_challenge": permissions.can_create_challenge(user),
    }


def organisation_context(request, organisation) -> dict | None:
    from . import selectors

    opportunities = selectors.organisation_public_opportunities(organisation)
    challenges = list(
        selectors.challenges_public().filter(owner=organisation).order_by("-published_at")[:10]
    )
    if not opportunities and not challenges:
        return None
    return {"opportunities": opportunities, "challenges": challenges}


def call_context(request, call) -> dict | None:
    from . import selectors

    challenges = list(selectors.challenges_public().filter(procurement_call=call))
    if not challenges:
        return None
    return {"challenges": challenges}
