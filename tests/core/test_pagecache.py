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


def test_a_page_past_its_ttl_is_renewed_by_one_request_while_the_others_get_it_stale(
    client, monkeypatch
):
    from bigscience_portal.core import pagecache

    organisation = OrganisationFactory(name="Popular Cryo ApS", slug="popular-cryo")
    url = reverse("organisations:organisation_detail", args=[organisation.slug])
    assert client.get(url)["X-Page-Cache"] == "miss"
    later = pagecache._now() + pagecache.public_pages.ttl + 1
    monkeypatch.setattr(pagecache, "_now", lambda: later)
    # the first request to find the page stale renders it; one that comes while it renders
    # is answered with the stale page instead of rendering it too
    _key, _version, content, stale = pagecache.public_pages.lookup(url)
    assert content is None and not stale
    waiting = client.get(url)
    assert waiting["X-Page-Cache"] == "stale" and b"Popular Cryo ApS" in waiting.content
    # once renewed (here: by the next render) the page is fresh again for everyone
    pagecache.public_pages.store(_key, _version, b"renewed")
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_a_stale_page_is_never_served_after_a_write(client, monkeypatch):
    from bigscience_portal.core import pagecache

    organisation = OrganisationFactory(name="Before Cryo ApS", slug="before-cryo")
    url = reverse("organisations:organisation_detail", args=[organisation.slug])
    client.get(url)
    later = pagecache._now() + pagecache.public_pages.ttl + 1
    monkeypatch.setattr(pagecache, "_now", lambda: later)
    pagecache.public_pages.lookup(url)  # another request is renewing it
    organisation.name = "After Cryo ApS"
    organisation.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss" and b"After Cryo ApS" in response.content


def test_only_the_request_that_took_the_renewing_mark_frees_it(client, monkeypatch):
    from django.core.cache import cache

    from bigscience_portal.core import pagecache

    organisation = OrganisationFactory(name="Marked Cryo ApS", slug="marked-cryo")
    url = reverse("organisations:organisation_detail", args=[organisation.slug])
    first = pagecache.public_pages.find(url)
    assert first.content is None and not first.renewing  # a plain miss takes no mark
    assert client.get(url)["X-Page-Cache"] == "miss"
    later = pagecache._now() + pagecache.public_pages.ttl + 1
    monkeypatch.setattr(pagecache, "_now", lambda: later)
    renewer = pagecache.public_pages.find(url)
    assert renewer.renewing and renewer.content is None
    waiting = pagecache.public_pages.find(url)
    assert waiting.stale and not waiting.renewing and b"Marked Cryo ApS" in waiting.content
    # a write bumps the version: the next request misses and stores, leaving the renewer's mark
    organisation.save()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert cache.get(f"{renewer.key}:renewing") == 1
    # the renewer's store frees it
    pagecache.public_pages.store(renewer.key, renewer.version, b"renewed", renewing=True)
    assert cache.get(f"{renewer.key}:renewing") is None
