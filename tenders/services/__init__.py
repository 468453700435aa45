"""Writes on procurement calls, one module per topic; ``from tenders import services`` names them
all.

Every function is a transaction with keyword-only arguments, checks what it is asked to do and
raises :class:`~bigscience_portal.core.errors.ActionRefused` (a message for the user) when it
may not happen. Reads are in :mod:`tenders.selectors`.

* :mod:`.lifecycle`: posting, editing (amendments), publishing, closing, awarding, cancelling;
* :mod:`.imports`: calls written from TED notices and OCDS releases, through the same rules;
* :mod:`.questions`: clarification questions and answers (and their e-mails);
* :mod:`.interest`: expressions of interest;
* :mod:`.searches`: saved searches and their digests.
"""

from ..selectors import unsubscribe_token
from .buyers import buyer_merge
from .imports import (
    NOTICE_TRANSITIONS,
    ImportedCall,
    NoticeCall,
    call_import,
    calls_announce,
)
from .interest import eoi_submit, eoi_withdraw
from .lifecycle import (
    AMENDABLE_FIELDS,
    TRANSITIONS,
    AwardInput,
    call_award,
    call_cancel,
    call_close,
    call_create,
    call_publish,
    call_update,
    calls_close_expired,
    publish_problems,
)
from .questions import clarification_answer, clarification_ask
from .searches import (
    clean_querystring,
    saved_search_create,
    saved_search_delete,
    saved_search_digest_send,
    saved_search_digests_send,
    saved_search_unsubscribe,
    saved_search_update,
)

__all__ = [
    "AMENDABLE_FIELDS",
    "NOTICE_TRANSITIONS",
    "TRANSITIONS",
    "AwardInput",
    "ImportedCall",
    "NoticeCall",
    "buyer_merge",
    "call_award",
    "call_cancel",
    "call_close",
    "call_create",
    "call_import",
    "call_publish",
    "call_update",
    "calls_announce",
    "calls_close_expired",
    "clarification_answer",
    "clarification_ask",
    "clean_querystring",
    "eoi_submit",
    "eoi_withdraw",
    "publish_problems",
    "saved_search_create",
    "saved_search_delete",
    "saved_search_digest_send",
    "saved_search_digests_send",
    "saved_search_unsubscribe",
    "saved_search_update",
    "unsubscribe_token",
]
