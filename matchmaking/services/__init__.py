"""Writes of the matchmaking app, one module per topic; ``from matchmaking import services``
gives them all.

- ``runs``: the scoring runs' records, queued once per target and handed over after the commit;
- ``scoring``: one call or one company scored and stored, with explanations;
- ``nightly``: the full recompute in chunks, and its merge;
- ``infrastructures``: the infrastructures that need what each company does, stored;
- ``outreach``: feedback, invitations to express interest, forwards by clusters;
- ``alerts``: alert subscriptions, recommendation e-mails, deadline reminders.
"""

from ..limits import (
    CHUNK_SIZE,
    K_PER_CALL,
    K_PER_COMPANY,
    MAX_COMPANY_PLACEMENTS,
    RECOMMENDATION_FLOOR,
)
from ..selectors import cpv_labels  # a read: kept importable from here for the old callers
from .alerts import (
    alerts_send,
    deadline_reminders_send,
    subscription_for,
    subscription_unsubscribe,
    subscription_update,
)
from .infrastructures import infrastructures_score, infrastructures_score_inline
from .nightly import chunk_score, nightly_merge, nightly_plan, recompute_all_inline
from .outreach import feedback_give, feedback_undo, match_forward, supplier_invite
from .runs import (
    call_score_enqueue,
    company_score_enqueue,
    infrastructures_enqueue,
    nightly_enqueue,
    run_create,
    run_finish,
    run_retry,
)
from .scoring import call_score, company_score, explain, explain_pairs, warm_up

__all__ = [
    "CHUNK_SIZE",
    "K_PER_CALL",
    "K_PER_COMPANY",
    "MAX_COMPANY_PLACEMENTS",
    "RECOMMENDATION_FLOOR",
    "alerts_send",
    "call_score",
    "call_score_enqueue",
    "chunk_score",
    "company_score",
    "company_score_enqueue",
    "cpv_labels",
    "deadline_reminders_send",
    "explain",
    "explain_pairs",
    "feedback_give",
    "feedback_undo",
    "infrastructures_enqueue",
    "infrastructures_score",
    "infrastructures_score_inline",
    "match_forward",
    "nightly_enqueue",
    "nightly_merge",
    "nightly_plan",
    "recompute_all_inline",
    "run_create",
    "run_finish",
    "run_retry",
    "subscription_for",
    "subscription_unsubscribe",
    "subscription_update",
    "supplier_invite",
    "warm_up",
]
