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
