"""The stored rows (``matchmaking.models``): what they say about themselves, and the one queued
run per target that the database keeps."""

import pytest
from django.db import IntegrityError, transaction

from bigscience_portal.core import records
from matchmaking.models import MatchRun
from tests.factories import (
    AlertDeliveryFactory,
    FeedbackFactory,
    MatchFactory,
    MatchForwardFactory,
    MatchRunFactory,
    SupplierInvitationFactory,
)

pytestmark = pytest.mark.django_db


def test_the_database_keeps_one_queued_run_per_target():
    run = MatchRunFactory(kind="call", target_id=42)
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchRunFactory(kind="call", target_id=42)
    MatchRunFactory(kind="company", target_id=42)  # another kind of target
    records.claim(MatchRun, run.pk)
    MatchRunFactory(kind="call", target_id=42)  # the first one is running: the next may wait
    assert MatchRun.objects.filter(kind="call", target_id=42).count() == 2


def test_rows_say_what_they_are():
    match = MatchFactory(score=0.734)
    assert match.percent == 73
    assert (
        str(MatchRunFactory(kind="call", target_id=7))
        == "One call against all companies #7 (Queued)"
    )
    feedback = FeedbackFactory(reason="too_large")
    assert str(feedback).endswith("not relevant (too_large)")
    invitation = SupplierInvitationFactory()
    assert str(invitation) == f"{invitation.company_id} invited to {invitation.call_id}"
    forward = MatchForwardFactory()
    assert str(forward).endswith(f"(by {forward.cluster_id})")
    delivery = AlertDeliveryFactory()
    assert delivery.user == delivery.subscription.user
