"""The calls list's page cache for anonymous visitors (``tenders.caches``: a core ``PageCache``)
and the writes that invalidate it."""

import pytest
from django.urls import reverse

from organisations.models import Organisation
from tenders import services
from tenders.caches import calls_page_cache
from tenders.models import ProcurementCall
from tests.factories import ProcurementCallFactory

pytestmark = pytest.mark.django_db
URL = reverse("tenders:call_list")


def get(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return response, response.content.decode()


def test_anonymous_pages_are_cached_per_querystring(client, buyer):
    ProcurementCallFactory(buyer=buyer, title="Cryostat supply")
    first, body = get(client, "?q=cryostat")
    assert first["X-Calls-Cache"] == "miss"
    again, body_again = get(client, "?q=cryostat")
    assert again["X-Calls-Cache"] == "hit"
    assert body_again == body and "Cryostat supply" in body
    # another querystring is another page
    other, other_body = get(client, "?q=optics")
    assert other["X-Calls-Cache"] == "miss"
    assert "Cryostat supply" not in other_body


def test_logged_in_users_are_never_served_a_cached_page(client, buyer, sme_user, staff):
    ProcurementCallFactory(buyer=buyer, title="Cryostat supply")
    get(client)  # fills the anonymous cache
    for user in (sme_user, staff):
        client.force_login(user)
        response, body = get(client)
        assert "X-Calls-Cache" not in response
        assert "Log in</a> to save this search" not in body  # their own page, not the visitor's
        client.logout()


def test_a_visitor_with_a_pending_message_gets_a_fresh_page(client, buyer, sme_user):
    ProcurementCallFactory(buyer=buyer, title="Cryostat supply")
    get(client)
    get(client)  # cached now
    # signing out leaves a flash message for the next page: that page is rendered, not cached
    client.force_login(sme_user)
    client.post(reverse("account_logout"))
    response, body = get(client)
    assert response.get("X-Calls-Cache") != "hit"
    assert "You have signed out." in body
    assert "You have signed out." not in get(client)[1]


def test_publishing_shows_at_once(client, buyer, officer):
    draft = ProcurementCallFactory(
        buyer=buyer, status="draft", title="Superconducting magnet coils"
    )
    _, body = get(client)
    assert "Superconducting magnet coils" not in body
    get(client)  # now cached
    services.call_publish(call=draft, user=officer)
    response, body = get(client)
    assert response["X-Calls-Cache"] == "miss"
    assert "Superconducting magnet coils" in body


def test_an_edit_shows_at_once(client, buyer, officer):
    call = ProcurementCallFactory(buyer=buyer, title="Vacuum chambers")
    get(client, "?q=vacuum")
    assert "Vacuum chambers" in get(client, "?q=vacuum")[1]
    services.call_update(call=call, user=officer, fields={"title": "Vacuum chambers, amended"})
    assert "Vacuum chambers, amended" in get(client, "?q=vacuum")[1]
    assert "Vacuum chambers, amended" in get(client)[1]


def test_closing_and_cancelling_show_at_once(client, buyer, officer):
    closing = ProcurementCallFactory(buyer=buyer, title="Cold box")
    cancelling = ProcurementCallFactory(buyer=buyer, title="Heat exchanger")
    _, body = get(client)
    assert "Cold box" in body and "Heat exchanger" in body
    services.call_close(call=closing, user=officer)
    _, body = get(client)
    assert "Cold box" not in body and "Heat exchanger" in body
    services.call_cancel(call=cancelling, user=officer)
    _, body = get(client)
    assert "Heat exchanger" not in body
    assert "No calls match these filters." in body


def test_additional_cpv_codes_and_the_buyer_name_show_at_once(client, buyer):
    from organisations.models import CPVCode

    call = ProcurementCallFactory(buyer=buyer, title="Klystron", main_cpv_id="31711420")
    assert "31711424" not in get(client)[1]
    call.additional_cpv.add(CPVCode.objects.get(code="31711424"))
    assert "31711424" in get(client)[1]
    buyer.acronym = "FTLX"
    buyer.save()
    assert "FTLX" in get(client)[1]


def test_a_deleted_call_disappears_at_once(client, buyer):
    call = ProcurementCallFactory(buyer=buyer, title="Transfer line")
    assert "Transfer line" in get(client)[1]
    ProcurementCall.objects.filter(pk=call.pk).delete()
    assert "Transfer line" not in get(client)[1]


def test_the_version_survives_a_lost_key(client, buyer):
    ProcurementCallFactory(buyer=buyer, title="Dewar")
    get(client)
    before = calls_page_cache.version()
    from django.core.cache import cache

    cache.delete(calls_page_cache.version_key)
    calls_page_cache.bump()
    assert calls_page_cache.version() > before  # starts again from the clock, never from 1


def test_an_infrastructure_created_shows_in_the_buyer_filter_at_once(client):
    get(client)
    Organisation.objects.create(
        kind=Organisation.Kind.RESEARCH_INFRASTRUCTURE,
        name="New Light Source",
        slug="new-light-source",
        status=Organisation.Status.PUBLISHED,
    )
    assert "New Light Source" in get(client)[1]
