"""The visitors' page cache of the public pages: served from the cache, fresh after a write."""

import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_visitor_gets_an_organisation_page_from_the_cache_until_it_changes(client):
    organisation = OrganisationFactory(name="Cached Cryo ApS", slug="cached-cryo")
    url = reverse("organisations:organisation_detail", args=[organisation.slug])
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    second = client.get(url)
    assert second["X-Page-Cache"] == "hit" and b"Cached Cryo ApS" in second.content
    organisation.name = "Renamed Cryo ApS"
    organisation.save()  # a write to what the page shows renders it again
    third = client.get(url)
    assert third["X-Page-Cache"] == "miss" and b"Renamed Cryo ApS" in third.content


def test_signed_in_users_never_get_a_cached_page(client):
    organisation = OrganisationFactory(slug="never-cached")
    url = reverse("organisations:organisation_detail", args=[organisation.slug])
    client.get(url)
    client.force_login(UserFactory())
    response = client.get(url)
    assert "X-Page-Cache" not in response


def test_two_lists_never_share_a_cached_page(client):
    """The directory and the events list use one cache: keyed by path and querystring."""
    OrganisationFactory(name="Listed Org")
    organisations = client.get(reverse("organisations:organisation_list")).content
    events = client.get(reverse("events:event_list")).content
    assert organisations != events
    assert b"Listed Org" in client.get(reverse("organisations:organisation_list")).content
