"""What the conversations app adds to a call's page (``tenders.panels.call_page``)."""

from __future__ import annotations

from tenders.models import ExpressionOfInterest

from . import permissions, selectors


def call_panel(request, call):
    """For a company that expressed interest: "Write to the officer". For the buyer's people:
    each interested company with "Write to the company" and its conversation's unread marker.
    Nothing for anyone else."""
    user = request.user
    if not user.is_authenticated:
        return None
    mine = permissions.member_organisation_ids(user)
    if not mine:
        return None
    is_buyer = call.buyer_id in mine
    eois = ExpressionOfInterest.objects.filter(call=call).select_related("organisation")
    if not is_buyer:
        eois = eois.filter(organisation__in=mine)
    eois = list(eois.order_by("organisation__name")[:50])
    if not eois:
        return None
    conversations = {
        c.expression_of_interest_id: c
        for c in selectors.conversations_for(user).filter(expression_of_interest__in=eois)
    }
    return {
        "is_buyer": is_buyer,
        "rows": [(eoi, conversations.get(eoi.pk)) for eoi in eois],
    }
