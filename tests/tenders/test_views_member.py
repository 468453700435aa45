"""What signed-in members do (``tenders.views.member``): ask a question, express interest,
save searches and manage their digests (who may: ``test_permissions``)."""

import datetime as dt
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tenders import selectors, services
from tenders.models import Clarification, SavedSearch
from tests.factories import ProcurementCallFactory, SavedSearchFactory

pytestmark = pytest.mark.django_db


def test_question_after_deadline_is_refused_with_a_message(client, buyer, sme_user):
    call = ProcurementCallFactory(
        buyer=buyer, enquiry_period_end=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(sme_user)
    response = client.post(
        reverse("tenders:question_ask", kwargs={"pk": call.pk}), {"question": "Late?"}, follow=True
    )
    assert "clarification deadline" in response.content.decode()
    assert not Clarification.objects.exists()


def test_asking_a_question_tells_the_asker_and_mails_the_officers(
    client, buyer, officer, sme_user, django_capture_on_commit_callbacks
):
    call = ProcurementCallFactory(buyer=buyer)
    client.force_login(sme_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("tenders:question_ask", kwargs={"pk": call.pk}),
            {"question": "Is the magnet included?"},
            follow=True,
        )
    assert "Your question was sent to the buyer" in response.content.decode()
    assert [m.to for m in mail.outbox] == [[officer.email]]


def test_expressing_interest_sends_it_to_the_buyer(client, buyer, sme_user, company):
    call = ProcurementCallFactory(buyer=buyer)
    client.force_login(sme_user)
    response = client.post(
        reverse("tenders:eoi_create", kwargs={"pk": call.pk}),
        {"organisation": company.pk, "message": "We build cryostats.", "partners": ""},
        follow=True,
    )
    assert "Your expression of interest was sent to the buyer." in response.content.decode()
    assert call.expressions_of_interest.get().message == "We build cryostats."
    again = client.post(
        reverse("tenders:eoi_create", kwargs={"pk": call.pk}),
        {"organisation": company.pk, "message": "Twice"},
    )
    assert "has already expressed interest" in again.content.decode()  # the form says why


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


def _search(user, created=None):
    search = SavedSearchFactory(user=user)
    if created:
        SavedSearch.objects.filter(pk=search.pk).update(created_at=created)
        search.refresh_from_db()
    return search


def test_unsubscribe_link_works_without_login(
    client, buyer, sme_user, django_capture_on_commit_callbacks
):
    search = _search(sme_user, created=timezone.now() - dt.timedelta(minutes=5))
    ProcurementCallFactory(buyer=buyer, title="Gyrotron")
    with django_capture_on_commit_callbacks(execute=True):
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
    ProcurementCallFactory(buyer=buyer, title="Klystron", main_cpv_id="31711424")
    assert services.saved_search_digests_send(now=timezone.now() + dt.timedelta(days=2)) == 0


def test_tampered_unsubscribe_token_is_refused(client, sme_user):
    search = _search(sme_user)
    token = selectors.unsubscribe_token(search)
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
