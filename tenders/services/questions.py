"""Clarification questions: asked by bidders, answered in public by the buyer's officers.

The officer publishes the question as edited (``Clarification.published_question``) so that
nothing in it identifies the asker; the asker sees both versions. Both steps tell someone by
e-mail (``core.mail.mail_queue``, in the same transaction): a question its buyer's officers, a
first answer its asker. Each mail's key names the question, so that a rerun mails nobody twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.dates import when
from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.mail import mail_queue
from organisations.models import Membership

from ..models import Clarification, ProcurementCall

Status = ProcurementCall.Status


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _officers(call: ProcurementCall) -> list:
    """The users who answer the call's questions: its buyer's members and its contact."""
    users = [
        m.user
        for m in Membership.objects.filter(organisation=call.buyer)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__email")
    ]
    if call.contact_id and call.contact.email:
        users.append(call.contact)
    return users


@transaction.atomic
def clarification_ask(*, call: ProcurementCall, user, question: str) -> Clarification:
    if call.status != Status.PUBLISHED:
        raise ActionRefused(_("Questions can only be asked on a published call."))
    if not call.accepts_questions:
        deadline = call.enquiry_period_end or call.tender_period_end
        raise ActionRefused(
            _("The clarification deadline (%(deadline)s) has passed; no more questions.")
            % {"deadline": when(deadline, call.time_zone)}
        )
    question = question.strip()
    if not question:
        raise ActionRefused(_("Write your question."), field="question")
    clarification = Clarification.objects.create(call=call, question=question, asked_by=user)
    url = _absolute(reverse("tenders:call_questions", kwargs={"pk": call.pk}))
    mail_queue(
        key=f"tenders.question_asked:clarification={clarification.pk}",
        to=_officers(call),
        subject=lambda: _("New question on “%(title)s”") % {"title": call.title},
        template="tenders/email/question_asked.txt",
        context={"call": call, "clarification": clarification, "url": url},
    )
    return clarification


def _published_question(clarification: Clarification, text: str) -> str:
    """What ``published_question`` stores for ``text``: blank when it is the question as asked."""
    text = text.strip()
    return "" if text == clarification.question.strip() else text


@transaction.atomic
def clarification_answer(
    *, clarification: Clarification, user, answer: str, published_question: str | None = None
) -> Clarification:
    """Answer (or correct the answer to) a question, publishing both.

    ``published_question`` is the question as the public reads it (the officer removes what
    identifies the asker); blank publishes it as asked, ``None`` keeps what is published. A
    change of it records who made it and when.
    """
    answer = answer.strip()
    if not answer:
        raise ActionRefused(_("Write the answer."), field="answer")
    first_answer = clarification.answered_at is None
    clarification.answer = answer
    clarification.answered_by = user
    clarification.answered_at = timezone.now()
    fields = ["answer", "answered_by", "answered_at"]
    if published_question is not None:
        published = _published_question(clarification, published_question)
        if published != clarification.published_question:
            clarification.published_question = published
            clarification.published_question_edited_by = user
            clarification.published_question_edited_at = clarification.answered_at
            fields += [
                "published_question",
                "published_question_edited_by",
                "published_question_edited_at",
            ]
    clarification.save(update_fields=fields)
    asker = clarification.asked_by
    if first_answer and asker and asker.email:
        call = clarification.call
        url = _absolute(call.get_absolute_url()) + "#questions"
        mail_queue(
            key=f"tenders.question_answered:clarification={clarification.pk}",
            to=[asker],
            subject=lambda: _("Your question on “%(title)s” was answered") % {"title": call.title},
            template="tenders/email/question_answered.txt",
            context={"call": call, "clarification": clarification, "url": url},
        )
    return clarification
