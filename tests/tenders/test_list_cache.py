"""The calls list's page cache for anonymous visitors, its invalidation, the capped count."""

import pytest
from django.urls import reverse

from organisations.models import Organisation
from tenders import listcache, selectors, services
from tenders.models import ProcurementCall

pytestmark = pytest.mark.django_db
URL = reverse("tenders:call_list")


def get(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return response, response.content.decode()


def test_anonymous_pages_are_cached_per_querystring(client, make_call):
    make_call(title="Cryostat supply")
    first, body = get(client, "?q=cryostat")
    assert first["X-Calls-Cache"] == "miss"
    again, body_again = get(client, "?q=cryostat")
    assert again["X-Calls-Cache"] == "hit"
    assert body_again == body and "Cryostat supply" in body
    # another querystring is another page
    other, other_body = get(client, "?q=optics")
    assert other["X-Calls-Cache"] == "miss"
    assert "Cryostat supply" not in other_body


def test_logged_in_users_are_never_served_a_cached_page(client, make_call, sme_user, staff):
    make_call(title="Cryostat supply")
    get(client)  # fills the anonymous cache
    for user in (sme_user, staff):
        client.force_login(user)
        response, body = get(client)
        assert "X-Calls-Cache" not in response
        assert "Log in</a> to save this search" not in body  # their own page, not the visitor's
        client.logout()


def test_a_visitor_with_a_pending_message_gets_a_fresh_page(client, make_call, sme_user):
    make_call(title="Cryostat supply")
    get(client)
    get(client)  # cached now
    # signing out leaves a flash message for the next page: that page is rendered, not cached
    client.force_login(sme_user)
    client.post(reverse("account_logout"))
    response, body = get(client)
    assert response.get("X-Calls-Cache") != "hit"
    assert "You have signed out." in body
    assert "You have signed out." not in get(client)[1]


def test_publishing_shows_at_once(client, make_call, officer):
    draft = make_call("draft", title="Superconducting magnet coils")
    _, body = get(client)
    assert "Superconducting magnet coils" not in body
    get(client)  # now cached
    services.call_publish(call=draft, user=officer)
    response, body = get(client)
    assert response["X-Calls-Cache"] == "miss"
    assert "Superconducting magnet coils" in body


def test_an_edit_shows_at_once(client, make_call, officer):
    call = make_call(title="Vacuum chambers")
    get(client, "?q=vacuum")
    assert "Vacuum chambers" in get(client, "?q=vacuum")[1]
    services.call_update(call=call, user=officer, fields={"title": "Vacuum chambers, amended"})
    assert "Vacuum chambers, amended" in get(client, "?q=vacuum")[1]
    assert "Vacuum chambers, amended" in get(client)[1]


def test_closing_and_cancelling_show_at_once(client, make_call, officer):
    closing = make_call(title="Cold box")
    cancelling = make_call(title="Heat exchanger")
    _, body = get(client)
    assert "Cold box" in body and "Heat exchanger" in body
    services.call_close(call=closing, user=officer)
    _, body = get(client)
    assert "Cold box" not in body and "Heat exchanger" in body
    services.call_cancel(call=cancelling, user=officer)
    _, body = get(client)
    assert "Heat exchanger" not in body
    assert "No calls match these filters." in body


def test_additional_cpv_codes_and_the_buyer_name_show_at_once(client, make_call, buyer):
    from organisations.models import CPVCode

    call = make_call(title="Klystron", main_cpv="31711420")
    assert "31711424" not in get(client)[1]
    call.additional_cpv.add(CPVCode.objects.get(code="31711424"))
    assert "31711424" in get(client)[1]
    buyer.acronym = "FTLX"
    buyer.save()
    assert "FTLX" in get(client)[1]


def test_a_deleted_call_disappears_at_once(client, make_call):
    call = make_call(title="Transfer line")
    assert "Transfer line" in get(client)[1]
    ProcurementCall.objects.filter(pk=call.pk).delete()
    assert "Transfer line" not in get(client)[1]


def test_the_version_survives_a_lost_key(client, make_call):
    make_call(title="Dewar")
    get(client)
    before = listcache.list_version()
    from django.core.cache import cache

    cache.delete(listcache.VERSION_KEY)
    listcache.bump_list_version()
    assert listcache.list_version() > before  # starts again from the clock, never from 1


def test_ted_import_link_only_for_staff(client, staff, officer, sme_user):
    ted = reverse("tenders:ted_upload")
    for user in (None, sme_user, officer):
        if user:
            client.force_login(user)
        assert f'href="{ted}"' not in get(client)[1]
        client.logout()
    client.force_login(staff)
    assert f'href="{ted}"' in get(client)[1]
    assert client.get(ted).status_code == 200


def test_count_is_capped_and_deep_pages_count_exactly(client, make_call, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 5)
    for i in range(8):
        make_call(title=f"Call {i:02d}", deadline_days=10 + i)
    _, body = get(client, "?per_page=2")
    assert "More than 5 calls" in body
    assert "Page 1<" in body and "Page 1 of" not in body
    # a page at the cap needs the exact count: it shows the real last page and the rows
    response, body = get(client, "?per_page=2&page=3")
    assert "8 calls" in body
    assert "Page 3 of 4" in body
    assert [c.title for c in response.context["calls"]] == ["Call 04", "Call 05"]
    response, body = get(client, "?per_page=2&page=4")
    assert [c.title for c in response.context["calls"]] == ["Call 06", "Call 07"]
    # under the cap the count is exact
    _, body = get(client, "?per_page=2&q=nothing-matches-this")
    assert "0 calls" in body


def test_an_infrastructure_created_shows_in_the_buyer_filter_at_once(client):
    get(client)
    Organisation.objects.create(
        kind=Organisation.Kind.RESEARCH_INFRASTRUCTURE,
        name="New Light Source",
        slug="new-light-source",
        status=Organisation.Status.PUBLISHED,
    )
    assert "New Light Source" in get(client)[1]
