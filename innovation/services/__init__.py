"""Writes of technology transfer and innovation, one module per topic; ``from innovation import
services`` names them all. Every function is a transaction with keyword-only arguments and
refuses with :class:`~bigscience_portal.core.errors.ActionRefused`.

* :mod:`.opportunities`: partnership opportunities (draft, review, publication, renewal);
* :mod:`.interest`: expressions of interest (their conversation is ``conversations``');
* :mod:`.searches`: saved searches of the opportunities and their digests;
* :mod:`.matching`: the engine's runs for opportunities and what they store;
* :mod:`.reminders`: the daily scan of validity (renewal reminders, expiry notices);
* :mod:`.challenges`: challenges, checklists, gate decisions, summary, procurement call;
* :mod:`.proposals`: solution proposals and their consortia.
"""

from .challenges import (
    challenge_create,
    challenge_update,
    deliverables_set,
    done_keys,
    gate_pass,
    procurement_open,
    summary_publish,
    team_users,
)
from .interest import interest_answer, interest_close, interest_express
from .matching import (
    company_match_enqueue,
    matches_drop,
    opportunity_match_enqueue,
    run_execute,
)
from .opportunities import (
    attachment_delete,
    opportunity_create,
    opportunity_create_for_event,
    opportunity_publish,
    opportunity_renew,
    opportunity_review,
    opportunity_submit,
    opportunity_update,
    opportunity_withdraw,
    reviewers_of,
    years_after,
)
from .proposals import (
    closed_reason,
    proposal_attachment_delete,
    proposal_create,
    proposal_select,
    proposal_submit,
    proposal_update,
    proposal_withdraw,
)
from .reminders import expiry_notices_send, renewal_reminders_send, validity_scan
from .searches import (
    clean_querystring,
    search_create,
    search_delete,
    search_digest_send,
    search_digests_send,
    search_unsubscribe,
    search_update,
)

__all__ = [
    "attachment_delete",
    "challenge_create",
    "challenge_update",
    "clean_querystring",
    "closed_reason",
    "company_match_enqueue",
    "deliverables_set",
    "done_keys",
    "expiry_notices_send",
    "gate_pass",
    "interest_answer",
    "interest_close",
    "interest_express",
    "matches_drop",
    "opportunity_create",
    "opportunity_create_for_event",
    "opportunity_match_enqueue",
    "opportunity_publish",
    "opportunity_renew",
    "opportunity_review",
    "opportunity_submit",
    "opportunity_update",
    "opportunity_withdraw",
    "procurement_open",
    "proposal_attachment_delete",
    "proposal_create",
    "proposal_select",
    "proposal_submit",
    "proposal_update",
    "proposal_withdraw",
    "renewal_reminders_send",
    "reviewers_of",
    "run_execute",
    "search_create",
    "search_delete",
    "search_digest_send",
    "search_digests_send",
    "search_unsubscribe",
    "search_update",
    "summary_publish",
    "team_users",
    "validity_scan",
    "years_after",
]
