"""Clarification questions through ``tenders.services.questions``: the officers and the asker
are mailed (one delivery each, once), late questions and drafts are refused."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.models import MailDelivery
from tenders import services
from tenders.models import Clarification
from tests.factories import MembershipFactory, ProcurementCallFactory

pytestmark = pytest.mark.django_db


def test_question_notifies_the_officers_and_answer_notifies_the_asker(
    officer, sme_user, buyer, django_capture_on_commit_callbacks
):
    call = ProcurementCallFactory(buyer=buyer)
    with django_capture_on_commit_callbacks(execute=True):
        q = services.clarification_ask(call=call, user=sme_user, question="Is the magnet included?")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [officer.email]
    assert "New question" in mail.outbox[0].subject
    assert "Is the magnet included?" in mail.outbox[0].body
    assert f"/calls/{call.pk}/questions/" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        services.clarification_answer(clarification=q, user=officer, answer="Yes, it is.")
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == [sme_user.email]
    assert "was answered" in mail.outbox[1].subject
    assert "Yes, it is." in mail.outbox[1].body
    assert f"/calls/{call.pk}/" in mail.outbox[1].body
    q.refresh_from_db()
    assert q.is_answered and q.answered_by == officer


def test_each_mail_is_one_delivery_and_a_new_answer_mails_nobody_again(
    officer, sme_user, buyer, django_capture_on_commit_callbacks
):
    other_officer = MembershipFactory(organisation=buyer).user
    call = ProcurementCallFactory(buyer=buyer, contact=officer)
    with django_capture_on_commit_callbacks(execute=True):
        q = services.clarification_ask(call=call, user=sme_user, question="Lead time?")
    # one delivery per officer (the contact is one of them: mailed once), linked to the user
    asked = MailDelivery.objects.filter(key__startswith="tenders.question_asked:")
    assert sorted(d.to for d in asked) == sorted([officer.email, other_officer.email])
    assert {d.user for d in asked} == {officer, other_officer}
    with django_capture_on_commit_callbacks(execute=True):
        services.clarification_answer(clarification=q, user=officer, answer="Twelve weeks.")
        services.clarification_answer(clarification=q, user=officer, answer="Ten weeks.")
    answered = MailDelivery.objects.filter(key__startswith="tenders.question_answered:")
    assert [d.to for d in answered] == [sme_user.email]
    assert [m.to for m in mail.outbox].count([sme_user.email]) == 1


def test_question_after_the_clarification_deadline_is_refused(buyer, sme_user):
    call = ProcurementCallFactory(
        buyer=buyer, enquiry_period_end=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(ActionRefused, match="clarification deadline"):
        services.clarification_ask(call=call, user=sme_user, question="Too late?")
    assert not Clarification.objects.exists()
    assert mail.outbox == []


def test_question_on_a_draft_is_refused(buyer, sme_user):
    with pytest.raises(ActionRefused, match="published call"):
        services.clarification_ask(
            call=ProcurementCallFactory(buyer=buyer, status="draft"), user=sme_user, question="?"
        )


# --- the question as published ---------------------------------------------------------------


def test_the_officer_publishes_an_edited_question_and_who_edited_it_is_recorded(
    officer, sme_user, buyer
):
    call = ProcurementCallFactory(buyer=buyer)
    q = services.clarification_ask(
        call=call, user=sme_user, question="Can our NordCryo QX-1 cold box be offered?"
    )
    services.clarification_answer(
        clarification=q,
        user=officer,
        answer="Yes, any cold box meeting section 3 may be offered.",
        published_question="  Can a commercial cold box be offered?  ",
    )
    q.refresh_from_db()
    assert q.question == "Can our NordCryo QX-1 cold box be offered?"  # kept as asked
    assert q.public_question == "Can a commercial cold box be offered?"
    assert q.is_edited
    assert q.published_question_edited_by == officer
    assert q.published_question_edited_at == q.answered_at


def test_a_published_question_left_as_asked_or_blank_is_stored_blank(officer, sme_user, buyer):
    call = ProcurementCallFactory(buyer=buyer)
    q = services.clarification_ask(call=call, user=sme_user, question="Lead time?")
    services.clarification_answer(
        clarification=q, user=officer, answer="Ten weeks.", published_question="Lead time?"
    )
    q.refresh_from_db()
    assert q.published_question == "" and not q.is_edited and q.public_question == "Lead time?"
    assert q.published_question_edited_at is None  # nothing was edited

    services.clarification_answer(
        clarification=q, user=officer, answer="Ten weeks.", published_question="Delivery time?"
    )
    # a later answer without the field (None) keeps what is published
    services.clarification_answer(clarification=q, user=officer, answer="Nine weeks.")
    q.refresh_from_db()
    assert q.public_question == "Delivery time?" and q.answer == "Nine weeks."
    # blank publishes the question as asked again
    services.clarification_answer(
        clarification=q, user=officer, answer="Nine weeks.", published_question="  "
    )
    q.refresh_from_db()
    assert q.public_question == "Lead time?" and not q.is_edited


def test_the_answer_mail_shows_the_question_as_asked_and_as_published(
    officer, sme_user, buyer, django_capture_on_commit_callbacks
):
    call = ProcurementCallFactory(buyer=buyer)
    q = services.clarification_ask(
        call=call, user=sme_user, question="Can our NordCryo QX-1 cold box be offered?"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.clarification_answer(
            clarification=q,
            user=officer,
            answer="Yes.",
            published_question="Can a commercial cold box be offered?",
        )
    body = mail.outbox[-1].body
    assert mail.outbox[-1].to == [sme_user.email]
    assert "as you asked it: Can our NordCryo QX-1 cold box be offered?" in body
    assert "as published (the buyer removed what could identify you): Can a commercial" in body
    assert "Answer: Yes." in body
