"""The tables of technology transfer and innovation (rendered by ``core/_table.html``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.tables import Column, Table

from .selectors import person_name

CELLS = "innovation/cells"


def _partner_names(proposal) -> str | None:
    """A proposal's consortium partners (prefetched with their organisations), or nothing."""
    return ", ".join(x.organisation.name for x in proposal.partners.all()) or None


class OpportunityTable(Table):
    caption = _("Partnership opportunities")
    caption_hidden = True
    empty_text = _("No opportunity matches these filters.")
    row_header = True
    columns = [
        Column(_("Opportunity"), template=f"{CELLS}/opportunity_title.html"),
        Column(_("Type"), "get_kind_display"),
        Column(_("TRL"), "trl", numeric=True),
        Column(_("From"), template=f"{CELLS}/opportunity_organisation.html"),
        Column(_("Partnership sought"), lambda o: ", ".join(o.partnership_type_labels) or None),
        Column(_("Valid until"), "expires_on", format="date"),
    ]


class MyOpportunityTable(Table):
    caption = _("Your organisations' opportunities")
    empty_text = _("None yet.")
    row_header = True
    columns = [
        Column(_("Opportunity"), template=f"{CELLS}/opportunity_title.html"),
        Column(_("Organisation"), "organisation.name"),
        Column(_("Type"), "get_kind_display"),
        Column(_("Status"), "shown_status"),
        Column(_("Visibility"), "get_visibility_display"),
        Column(_("Valid until"), "expires_on", format="date"),
    ]


class ReviewTable(Table):
    caption = _("Waiting for your review")
    empty_text = _("Nothing waits for your review.")
    row_header = True
    columns = [
        Column(_("Opportunity"), template=f"{CELLS}/opportunity_title.html"),
        Column(_("Organisation"), "organisation.name"),
        Column(_("Submitted"), "updated_at", format="datetime"),
    ]


class InterestTable(Table):
    caption = _("Expressions of interest")
    empty_text = _("No expression of interest yet.")
    row_header = True
    columns = [
        Column(_("Opportunity"), template=f"{CELLS}/interest_link.html"),
        Column(_("Interested organisation"), "organisation.name"),
        Column(_("Offered by"), "opportunity.organisation.name"),
        Column(_("Status"), "get_status_display"),
        Column(_("Sent"), "created_at", format="datetime"),
    ]


class MatchTable(Table):
    caption = _("Companies that fit, best first, with the reasons")
    empty_text = _("No company fits yet (the matching runs in the background after publication).")
    columns = [
        Column(_("Rank"), "rank", numeric=True),
        Column(_("Company"), template=f"{CELLS}/match_company.html"),
        Column(_("Fit"), template=f"{CELLS}/match_fit.html"),
        Column(_("Why"), template=f"{CELLS}/match_reasons.html"),
    ]


class CompanyOpportunityTable(Table):
    caption = _("Opportunities that fit your company, best first")
    empty_text = _("No opportunity fits your profile yet.")
    columns = [
        Column(_("Opportunity"), template=f"{CELLS}/company_match_opportunity.html"),
        Column(_("Fit"), template=f"{CELLS}/match_fit.html"),
        Column(_("Why"), template=f"{CELLS}/company_match_reasons.html"),
    ]


class SearchTable(Table):
    caption = _("Your saved searches of opportunities")
    empty_text = _("No saved search yet: filter the list, then save the search.")
    row_header = True
    columns = [
        Column(_("Name"), template=f"{CELLS}/search_name.html"),
        Column(_("Digest"), "get_frequency_display"),
        Column(_("E-mails"), lambda s: _("on") if s.is_active else _("off")),
        Column(_("Last digest"), "last_sent_at", format="datetime"),
        Column(_("Actions"), template=f"{CELLS}/search_actions.html"),
    ]


class ChallengeTable(Table):
    caption = _("Innovation challenges")
    caption_hidden = True
    empty_text = _("No challenge matches these filters.")
    row_header = True
    columns = [
        Column(_("Challenge"), template=f"{CELLS}/challenge_title.html"),
        Column(_("Owner"), "owner.name"),
        Column(_("Goal"), "get_goal_display"),
        Column(_("Stage"), "stage_label"),
        Column(_("Proposals until"), "proposals_deadline", format="datetime"),
    ]


class MyChallengeTable(ChallengeTable):
    caption = _("Your organisations' challenges")
    caption_hidden = False
    empty_text = _("None yet.")


class ProposalTable(Table):
    caption = _("Solution proposals")
    empty_text = _("No proposal yet.")
    row_header = True
    columns = [
        Column(_("Proposal"), template=f"{CELLS}/proposal_title.html"),
        Column(_("Challenge"), "challenge.title"),
        Column(_("Lead"), "lead.name"),
        Column(_("Partners"), _partner_names),
        Column(_("Status"), "get_status_display"),
    ]


class ChallengeProposalTable(Table):
    caption = _("Proposals received")
    empty_text = _("No proposal received yet.")
    row_header = True
    columns = [
        Column(_("Proposal"), template=f"{CELLS}/proposal_title.html"),
        Column(_("Lead"), "lead.name"),
        Column(_("Partners"), _partner_names),
        Column(_("Submitted"), "submitted_at", format="datetime"),
        Column(_("Status"), "get_status_display"),
        Column(_("Decision"), template=f"{CELLS}/proposal_select.html"),
    ]


class DecisionTable(Table):
    caption = _("Gate decisions")
    empty_text = _("No gate passed yet.")
    columns = [
        Column(_("When"), "decided_at", format="datetime"),
        Column(_("From"), "get_from_stage_display"),
        Column(_("To"), "get_to_stage_display"),
        Column(_("Decision"), "get_decision_display"),
        Column(_("By"), lambda d: person_name(d.decided_by) or None),
        Column(_("Reasons"), "reasons"),
    ]


class StatusChangeTable(Table):
    caption = _("What happened")
    empty_text = _("Nothing yet.")
    columns = [
        Column(_("When"), "created_at", format="datetime"),
        Column(_("From"), "from_status"),
        Column(_("To"), "to_status"),
        Column(_("By"), lambda c: person_name(c.changed_by) or None),
        Column(_("Note"), "note"),
    ]
