"""``events.suggestions``: whom a B2B participant should meet, with the reasons."""

from __future__ import annotations

import pytest
from django.urls import reverse

from events.suggestions import suggestions_for
from organisations.models import Organisation
from tests.factories import EventOpportunityFactory, OrganisationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(brokerage, sme, sme_user, infra, ilo_user):
    me = ParticipantFactory(event=brokerage, user=sme_user, organisation=sme)
    ilo = ParticipantFactory(event=brokerage, user=ilo_user, organisation=infra)
    EventOpportunityFactory(
        registration=ilo,
        opportunity__kind="technology_request",
        opportunity__title="Cryostat for superconducting magnet tests",
        opportunity__description="We need a cryostat and helium transfer lines for magnet testing.",
    )
    bakery = OrganisationFactory(name="Bakery ApS", capabilities="Bread and cakes.")
    ParticipantFactory(event=brokerage, organisation=bakery)
    return me, ilo


def test_who_to_meet_for_an_sme_and_a_liaison_officer(forum):
    me, ilo = forum
    mine = suggestions_for(me)
    assert mine and mine[0][0] == ilo
    reasons = " ".join(mine[0][1].reasons)
    assert "research infrastructure" in reasons
    assert "looking for matches what you offer" in reasons
    theirs = suggestions_for(ilo)
    assert theirs[0][0] == me  # companies only for the liaison officer
    assert all(r.organisation.kind != Organisation.Kind.RESEARCH_INFRASTRUCTURE for r, _ in theirs)


def test_the_suggestions_page_offers_a_meeting_request(client, forum):
    me, ilo = forum
    client.force_login(me.user)
    body = client.get(reverse("events:suggestions", kwargs={"slug": me.event.slug})).content
    assert f"Request a meeting with {ilo.display_name}" in body.decode()
