"""The calls app's pages, one module per audience; ``tenders.urls`` names them all from here.

* :mod:`.public`: the calls list, a call's page, documents, deadlines calendar, OCDS releases;
* :mod:`.member`: questions, expressions of interest and saved searches of signed-in members;
* :mod:`.officer`: the buyer's liaison officers' pages (posting, lifecycle, awards, answers);
* :mod:`.staff`: the upload of TED notices.
"""

from .member import (
    eoi_create,
    eoi_withdraw,
    question_ask,
    saved_searches,
)
from .officer import (
    call_action,
    call_award,
    call_create,
    call_edit,
    call_preview,
    call_questions,
    eoi_export,
    eoi_list,
    my_calls,
    question_answer,
)
from .public import call_detail, call_document, call_ics, call_list, call_release, calls_package
from .staff import buyer_merge, ted_upload

__all__ = [
    "buyer_merge",
    "call_action",
    "call_award",
    "call_create",
    "call_detail",
    "call_document",
    "call_edit",
    "call_ics",
    "call_list",
    "call_preview",
    "call_questions",
    "call_release",
    "calls_package",
    "eoi_create",
    "eoi_export",
    "eoi_list",
    "eoi_withdraw",
    "my_calls",
    "question_answer",
    "question_ask",
    "saved_searches",
    "ted_upload",
]
