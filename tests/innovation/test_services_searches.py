"""Saved searches of the opportunities and their digests (the shape of the calls' saved
searches): a digest lists what is new and matches, each opportunity at most once per search;
an expired one is never sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bigscience_portal.core.models import MailDelivery
from innovation import services
from tests.factories import OpportunityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_digest_lists_new_matching_offers_once(db):
    user = UserFactory()
    search = services.search_create(
        user=user, name="Cryogenic", querystring="q=cryogenic&trl_min=5", frequency="daily"
    )
    later = timezone.now() + timedelta(minutes=1)
    fits = OpportunityFactory(title="Cryogenic valve", trl=6, published_at=later)
    OpportunityFactory(title="Cryogenic idea", trl=2, published_at=later)
    OpportunityFactory(
        title="RF amplifier",
        summary="RF.",
        description="Solid-state RF.",
        trl=7,
        published_at=later,
    )
    OpportunityFactory(
        title="Cryogenic lapsed",
        trl=7,
        published_at=later,
        expires_on=timezone.localdate() - timedelta(days=1),
    )
    now = timezone.now() + timedelta(hours=1)
    assert services.search_digest_send(search_id=search.pk, now=now) == 1
    (mail,) = MailDelivery.objects.filter(to=user.email)
    assert "Cryogenic valve" in mail.body and "Cryogenic idea" not in mail.body
    assert "lapsed" not in mail.body
    # the next day: nothing new, no mail; a new offer comes alone
    assert services.search_digest_send(search_id=search.pk, now=now + timedelta(days=1)) == 0
    OpportunityFactory(title="Cryogenic pump", trl=5, published_at=now + timedelta(days=1))
    assert services.search_digest_send(search_id=search.pk, now=now + timedelta(days=2)) == 1
    newest = MailDelivery.objects.filter(to=user.email).order_by("-pk").first()
    assert "Cryogenic pump" in newest.body and fits.title not in newest.body
