"""organisations/countries.py: the portal's member countries first, no uninhabited territories,
in the country lists of the profile form and the directory (issue 18, finding 2)."""

import pytest
from django.urls import reverse
from django.utils import translation

from organisations.countries import (
    MEMBER_COUNTRIES,
    UNINHABITED,
    country_choices,
    flat_country_choices,
)
from tenders import scope

pytestmark = pytest.mark.django_db


def test_member_countries_come_first_and_antarctica_is_gone():
    (members_label, members), (others_label, _others) = country_choices()
    assert members_label == "Member countries" and others_label == "Other countries"
    assert {code for code, _ in members} == set(MEMBER_COUNTRIES)
    assert members[0] == ("AT", "Austria")  # alphabetical within the group
    codes = [code for code, _ in flat_country_choices()]
    assert codes.index("SE") < codes.index("AF")
    assert not set(codes) & UNINHABITED and "AQ" not in codes and "BV" not in codes
    assert "US" in codes and "AF" in codes


def test_names_follow_the_language():
    with translation.override("de"):
        (_, members), _others = country_choices()
    assert ("DE", "Deutschland") in members


def test_tenders_reuses_the_member_countries():
    assert scope.MEMBER_COUNTRIES is MEMBER_COUNTRIES


def test_the_directory_country_filter_starts_with_the_member_countries(client):
    page = client.get(reverse("organisations:organisation_list")).content.decode()
    members = page.index('<optgroup label="Member countries">')
    assert members < page.index('<option value="DK">Denmark</option>')
    assert page.index('<option value="DK">Denmark</option>') < page.index(
        '<optgroup label="Other countries">'
    )
    assert page.index('<optgroup label="Other countries">') < page.index(
        '<option value="AF">Afghanistan</option>'
    )
    assert "Antarctica" not in page
    # a grouped choice is still named in the active filters' summary
    filtered = client.get(reverse("organisations:organisation_list"), {"country": "DK"})
    assert "Country: Denmark" in filtered.content.decode()


def test_the_profile_form_offers_member_countries_first(client, world):
    client.force_login(world.editor)
    page = client.get(
        reverse("organisations:organisation_edit", args=[world.company.slug])
    ).content.decode()
    country = page[page.index('name="country"') :]
    country = country[: country.index("</select>")]
    assert country.index("Member countries") < country.index("Afghanistan")
    assert "Antarctica" not in country
    assert "Choose a country" in country
