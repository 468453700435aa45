"""The hooks matchmaking asks: whom a buyer favours, and the sentence among a pair's reasons."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from matchmaking import hooks
from outcomes.models import Contribution, ReturnSettings
from tests.factories import AwardFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def balanced(world):
    # DK contributes 10 %, DE 50 %, FR 40 %; DK won 400,000 and DE now 600,000: DK 4.00,
    # DE 1.20, FR 0.00 (very poorly balanced)
    AwardFactory(
        call=world.past,
        supplier_name="Berlin Vakuum GmbH",
        supplier_country="DE",
        value_amount=Decimal("600000"),
        date=timezone.localdate(),
    )
    return world


def test_poorly_balanced_member_states_are_favoured(balanced):
    assert hooks.favoured_for(balanced.call) == {"FR"}


def test_a_firm_of_a_favoured_state_is_told_in_words(balanced):
    french = OrganisationFactory(name="Lyon Cryo SAS", country="FR")
    assert hooks.notes_for(french, balanced.call) == [
        "France is poorly balanced at EL: EL favours firms from France."
    ]
    assert hooks.notes_for(balanced.company, balanced.call) == []  # Denmark is well balanced


def test_the_answer_follows_new_awards_and_the_settings(balanced):
    assert hooks.favoured_for(balanced.call) == {"FR"}
    AwardFactory(
        call=balanced.past,
        supplier_name="Paris Optique SA",
        supplier_country="FR",
        value_amount=Decimal("2000000"),
        date=timezone.localdate(),
    )
    # FR: 2.0 M of 3.0 M for 40 % -> 1.67; DE: 0.6/3.0 for 50 % -> 0.40 (poorly, not very)
    assert hooks.favoured_for(balanced.call) == {"DE"}
    ReturnSettings.objects.create(infrastructure=balanced.buyer, favours_poorly_balanced=False)
    assert hooks.favoured_for(balanced.call) == set()


def test_a_buyer_without_member_states_favours_nobody(world):
    world.buyer.member_states = []
    world.buyer.save()
    assert hooks.favoured_for(world.call) == set()


def test_the_answer_follows_deleted_figures(balanced):
    assert hooks.favoured_for(balanced.call) == {"FR"}
    # without the French contribution France has no coefficient: nobody is poorly balanced
    Contribution.objects.filter(infrastructure=balanced.buyer, country="FR").delete()
    assert hooks.favoured_for(balanced.call) == set()
