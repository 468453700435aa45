"""Saved searches: saving from the list, digests sent once per call, unsubscribe without login."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tenders import services
from tenders.models import SavedSearch, SavedSearchDelivery
from tenders.tasks import send_saved_search_digests

pytestmark = pytest.mark.django_db


def test_save_the_current_filters(client, sme_user):
    client.force_login(sme_user)
    response = client.post(
        reverse("tenders:saved_search_create"),
        {"name": "Cryo", "frequency": "daily", "querystring": "cpv=42&page=3&mine=on"},
    )
    assert response.status_code == 302
    search = SavedSearch.objects.get(user=sme_user)
    assert (search.name, search.frequency, search.querystring) == (
        "Cryo",
        "daily",
        "cpv=42&mine=on",
    )
    assert "Cryo" in client.get(reverse("tenders:saved_search_list")).content.decode()


def test_saving_needs_login(client):
    response = client.post(reverse("tenders:saved_search_create"), {"name": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not SavedSearch.objects.exists()


def _search(user, qs="cpv=31", frequency="daily", created=None):
    search = services.saved_search_create(user=user, name="RF", querystring=qs, frequency=frequency)
    if created:
        SavedSearch.objects.filter(pk=search.pk).update(created_at=created)
        search.refresh_from_db()
    return search


def test_digest_lists_new_matching_calls_once(make_call, sme_user):
    _search(sme_user, created=timezone.now() - dt.timedelta(minutes=5))
    make_call(title="Gyrotron", main_cpv="31711420")
    make_call(title="Mirrors", main_cpv="38636000")  # does not match
    make_call("draft", title="Draft klystron", main_cpv="31711424")  # not published

    assert send_saved_search_digests.delay().get() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [sme_user.email]
    assert "Gyrotron" in message.body and "Mirrors" not in message.body
    assert "Draft klystron" not in message.body
    assert list(SavedSearchDelivery.objects.values_list("call__title", flat=True)) == ["Gyrotron"]

    # Rerunning sends nothing new, even when the search is due again.
    assert send_saved_search_digests.delay().get() == 0
    later = timezone.now() + dt.timedelta(days=1, minutes=1)
    assert services.saved_search_digests_send(now=later) == 0
    assert len(mail.outbox) == 1

    # A new matching call published later goes out in the next daily digest, alone.
    make_call(title="Klystron", main_cpv="31711424")
    assert services.saved_search_digests_send(now=later + dt.timedelta(days=1)) == 1
    assert len(mail.outbox) == 2
    assert "Klystron" in mail.outbox[1].body and "Gyrotron" not in mail.outbox[1].body


def test_weekly_digest_waits_seven_days(make_call, sme_user):
    search = _search(sme_user, frequency="weekly", created=timezone.now() - dt.timedelta(hours=1))
    make_call(title="Gyrotron")
    assert services.saved_search_digests_send() == 1
    make_call(title="Klystron", main_cpv="31711424")
    assert services.saved_search_digests_send(now=timezone.now() + dt.timedelta(days=3)) == 0
    assert services.saved_search_digests_send(now=timezone.now() + dt.timedelta(days=7)) == 1
    search.refresh_from_db()
    assert search.deliveries.count() == 2
    assert len(mail.outbox) == 2


def test_unsubscribe_link_works_without_login(client, make_call, sme_user):
    search = _search(sme_user, created=timezone.now() - dt.timedelta(minutes=5))
    make_call(title="Gyrotron")
    services.saved_search_digests_send()
    link = re.search(r"https?://\S+/saved-searches/unsubscribe/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)  # anonymous
    assert response.status_code == 200
    assert "Stop this digest?" in response.content.decode()
    search.refresh_from_db()
    assert search.is_active  # GET changes nothing
    response = client.post("/" + path)
    assert "Unsubscribed" in response.content.decode()
    search.refresh_from_db()
    assert not search.is_active
    make_call(title="Klystron", main_cpv="31711424")
    assert services.saved_search_digests_send(now=timezone.now() + dt.timedelta(days=2)) == 0


def test_tampered_unsubscribe_token_is_refused(client, sme_user):
    search = _search(sme_user)
    token = services.unsubscribe_token(search)
    response = client.post(
        reverse("tenders:saved_search_unsubscribe", kwargs={"token": token[:-2] + "xx"})
    )
    assert response.status_code == 404
    search.refresh_from_db()
    assert search.is_active


def test_delete_needs_confirmation_and_ownership(client, sme_user, plain_user):
    search = _search(sme_user)
    url = reverse("tenders:saved_search_delete", kwargs={"search_pk": search.pk})
    client.force_login(plain_user)
    assert client.post(url).status_code == 404
    client.force_login(sme_user)
    assert "Delete the saved search" in client.get(url).content.decode()
    assert SavedSearch.objects.filter(pk=search.pk).exists()
    client.post(url)
    assert not SavedSearch.objects.filter(pk=search.pk).exists()
