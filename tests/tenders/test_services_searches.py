"""Saved searches and digests through ``tenders.services.searches``: what a search stores, a
digest that lists each new call once per search, mailed once whatever reruns."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.models import MailDelivery
from tenders import services
from tenders.models import SavedSearch, SavedSearchDelivery
from tenders.tasks import send_saved_search_digests
from tests.factories import ProcurementCallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run the mails queued by the block (``core.send_mail`` after the commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _search(user, qs="cpv=31", frequency="daily", created=None):
    search = services.saved_search_create(user=user, name="RF", querystring=qs, frequency=frequency)
    if created:
        SavedSearch.objects.filter(pk=search.pk).update(created_at=created)
        search.refresh_from_db()
    return search


def test_a_search_stores_the_filters_not_the_page():
    from tests.factories import UserFactory

    search = services.saved_search_create(
        user=UserFactory(),
        name="  ",
        querystring="?cpv=42&page=3&per_page=50&mine=on",
        frequency="weekly",
    )
    assert (search.name, search.querystring) == ("My search", "cpv=42&mine=on")
    with pytest.raises(ActionRefused, match="daily or weekly"):
        services.saved_search_create(user=search.user, name="x", querystring="", frequency="hourly")


def test_digest_lists_new_matching_calls_once(buyer, sme_user, sent):
    _search(sme_user, created=timezone.now() - dt.timedelta(minutes=5))
    ProcurementCallFactory(buyer=buyer, title="Gyrotron", main_cpv_id="31711420")
    ProcurementCallFactory(buyer=buyer, title="Mirrors", main_cpv_id="38636000")  # does not match
    ProcurementCallFactory(
        buyer=buyer, status="draft", title="Draft klystron", main_cpv_id="31711424"
    )  # not published

    with sent():
        assert send_saved_search_digests.delay().get() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [sme_user.email]
    assert "Gyrotron" in message.body and "Mirrors" not in message.body
    assert "Draft klystron" not in message.body
    assert list(SavedSearchDelivery.objects.values_list("call__title", flat=True)) == ["Gyrotron"]

    # Rerunning sends nothing new, even when the search is due again.
    later = timezone.now() + dt.timedelta(days=1, minutes=1)
    with sent():
        assert send_saved_search_digests.delay().get() == 0
        assert services.saved_search_digests_send(now=later) == 0
    assert len(mail.outbox) == 1

    # A new matching call published later goes out in the next daily digest, alone.
    ProcurementCallFactory(buyer=buyer, title="Klystron", main_cpv_id="31711424")
    with sent():
        assert services.saved_search_digests_send(now=later + dt.timedelta(days=1)) == 1
    assert len(mail.outbox) == 2
    assert "Klystron" in mail.outbox[1].body and "Gyrotron" not in mail.outbox[1].body


def test_weekly_digest_waits_seven_days(buyer, sme_user, sent):
    search = _search(sme_user, frequency="weekly", created=timezone.now() - dt.timedelta(hours=1))
    ProcurementCallFactory(buyer=buyer, title="Gyrotron")
    with sent():
        assert services.saved_search_digests_send() == 1
    ProcurementCallFactory(buyer=buyer, title="Klystron", main_cpv_id="31711424")
    with sent():
        assert services.saved_search_digests_send(now=timezone.now() + dt.timedelta(days=3)) == 0
        assert services.saved_search_digests_send(now=timezone.now() + dt.timedelta(days=7)) == 1
    search.refresh_from_db()
    assert search.deliveries.count() == 2
    assert len(mail.outbox) == 2


def test_a_digest_is_one_delivery_and_a_rerun_for_the_same_calls_mails_nobody(
    buyer, sme_user, sent
):
    search = _search(sme_user, created=timezone.now() - dt.timedelta(minutes=5))
    ProcurementCallFactory(buyer=buyer, title="Gyrotron")
    with sent():
        assert services.saved_search_digest_send(search_id=search.pk) == 1
    (delivery,) = MailDelivery.objects.filter(key__startswith="tenders.digest:")
    assert (delivery.to, delivery.user, delivery.status) == (sme_user.email, sme_user, "succeeded")
    # a rerun that lists the same calls again (its deliveries lost, the search due again)
    # queues nothing: the mail's key names the search and the calls
    SavedSearchDelivery.objects.all().delete()
    SavedSearch.objects.filter(pk=search.pk).update(last_sent_at=None)
    with sent():
        assert services.saved_search_digest_send(search_id=search.pk) == 1
    assert MailDelivery.objects.filter(key__startswith="tenders.digest:").count() == 1
    assert len(mail.outbox) == 1


def test_a_digest_whose_change_rolls_back_queues_no_mail(buyer, sme_user, monkeypatch):
    search = _search(sme_user, created=timezone.now() - dt.timedelta(minutes=5))
    ProcurementCallFactory(buyer=buyer, title="Gyrotron")

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(SavedSearchDelivery.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        services.saved_search_digest_send(search_id=search.pk)
    assert not MailDelivery.objects.exists()
    search.refresh_from_db()
    assert search.last_sent_at is None  # the next run tries again


def test_an_unsubscribed_search_gets_no_digest(buyer, sme_user, sent):
    search = _search(sme_user, created=timezone.now() - dt.timedelta(minutes=5))
    services.saved_search_unsubscribe(search=search)
    ProcurementCallFactory(buyer=buyer, title="Gyrotron")
    with sent():
        assert services.saved_search_digests_send() == 0
    assert mail.outbox == []
