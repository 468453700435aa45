"""Feedback, invitations and forwards (``services.outreach``)."""

import pytest
from django.core import mail

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.models import MailDelivery
from matchmaking import services
from matchmaking.models import Feedback, Match, MatchForward, MatchRun, SupplierInvitation
from organisations.models import Membership

from .helpers import member

pytestmark = pytest.mark.django_db


def test_not_relevant_call_is_removed_and_never_comes_back(
    market, django_capture_on_commit_callbacks
):
    services.recompute_all_inline()
    user = member(market["gyro"])
    assert Match.objects.filter(company=market["gyro"], call=market["call"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_give(
            user=user,
            company=market["gyro"],
            call=market["call"],
            relevant=False,
            reason="too_large",
        )
    assert not Match.objects.filter(company=market["gyro"], call=market["call"]).exists()
    assert MatchRun.objects.filter(kind="feedback", status="succeeded").exists()
    # neither a call run nor the nightly recompute brings it back
    with django_capture_on_commit_callbacks(execute=True):
        services.call_score_enqueue(call_id=market["call"].pk)
    services.recompute_all_inline()
    assert not Match.objects.filter(company=market["gyro"], call=market["call"]).exists()
    assert Feedback.objects.filter(company=market["gyro"], relevant=False).count() == 1


def test_not_relevant_needs_a_reason(market):
    with pytest.raises(ActionRefused) as refused:
        services.feedback_give(
            user=member(market["gyro"]), company=market["gyro"], call=market["call"], relevant=False
        )
    assert refused.value.field == "reason"
    assert str(refused.value) == "Tell us why the call is not relevant."
    assert not Feedback.objects.exists() and not MatchRun.objects.exists()


def test_relevant_feedback_keeps_the_match_and_queues_nothing(market):
    services.recompute_all_inline()
    feedback = services.feedback_give(
        user=member(market["gyro"]), company=market["gyro"], call=market["call"], relevant=True
    )
    assert feedback.relevant and feedback.reason == ""
    assert Match.objects.filter(company=market["gyro"], call=market["call"]).exists()
    assert not MatchRun.objects.filter(kind="feedback").exists()


def test_an_invitation_mails_the_company_once(market, django_capture_on_commit_callbacks):
    gyro = market["gyro"]
    gyro.email = "contact@gyro.example"
    gyro.save()
    admin = member(gyro, role=Membership.Role.ADMIN)
    member(gyro)  # an editor: not mailed while the company has an administrator
    officer = member(market["infra"])
    for expected in (True, False):
        with django_capture_on_commit_callbacks(execute=True):
            invitation, created = services.supplier_invite(
                call=market["call"], company=gyro, user=officer
            )
        assert created is expected
    assert SupplierInvitation.objects.count() == 1
    assert invitation.recipients == sorted(["contact@gyro.example", admin.email])
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["contact@gyro.example", admin.email])
    assert all(market["call"].get_absolute_url() in m.body for m in mail.outbox)
    assert MailDelivery.objects.get(to=admin.email).user == admin  # linked to the account


def test_a_forward_mails_every_member_once(market, django_capture_on_commit_callbacks):
    from tests.factories import ClusterFactory

    cluster = ClusterFactory(name="BigScience.dk")
    gyro = market["gyro"]
    users = [member(gyro, role=Membership.Role.ADMIN), member(gyro)]
    manager = member(cluster, role=Membership.Role.ADMIN)
    for expected in (True, False):
        with django_capture_on_commit_callbacks(execute=True):
            _forward, created = services.match_forward(
                cluster=cluster, company=gyro, call=market["call"], user=manager
            )
        assert created is expected
    assert MatchForward.objects.count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert all("BigScience.dk suggests a call" in m.subject for m in mail.outbox)
