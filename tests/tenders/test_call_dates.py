"""A call's deadlines in its time zone: shown with the zone on the call page, in the calls list
and the officer's list, in the reader's date format (``core.dates``); entered in the form in the
call's zone and stored as that instant; the call's language by its name."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from tenders.models import Amendment, ProcurementCall
from tests.factories import ProcurementCallFactory

pytestmark = pytest.mark.django_db

#: 15:00 UTC: 17:00 in Helsinki (EET), 16:00 in Brussels (CET)
DEADLINE = dt.datetime(2030, 3, 15, 15, 0, tzinfo=dt.UTC)
ENQUIRY = dt.datetime(2030, 3, 8, 10, 30, tzinfo=dt.UTC)


@pytest.fixture
def call(buyer):
    return ProcurementCallFactory(
        buyer=buyer,
        title="Cryogenic transfer line",
        tender_period_end=DEADLINE,
        enquiry_period_end=ENQUIRY,
        time_zone="Europe/Helsinki",
        language="de",
    )


def test_the_call_page_shows_each_deadline_with_the_calls_zone(client, call):
    html = client.get(call.get_absolute_url()).content.decode()
    assert "Submission deadline" in html
    assert 'datetime="2030-03-15T16:00:00+01:00"' in html  # the machine format, as before
    assert ">15 March 2030, 17:00 EET</time>" in html
    assert ">8 March 2030, 12:30 EET</time>" in html
    assert "Time zone of the deadlines</dt><dd>Europe/Helsinki</dd>" in html


def test_the_calls_list_shows_the_deadline_with_the_calls_zone(client, call):
    html = client.get(reverse("tenders:call_list")).content.decode()
    assert "Cryogenic transfer line" in html
    assert ">15 March 2030, 17:00 EET</time>" in html


def test_a_danish_reader_gets_the_danish_date_format(client, call):
    client.cookies["django_language"] = "da"
    page = client.get(call.get_absolute_url()).content.decode()
    assert ">15. marts 2030 17:00 EET</time>" in page
    listed = client.get(reverse("tenders:call_list")).content.decode()
    assert ">15. marts 2030 17:00 EET</time>" in listed


def test_the_calls_language_is_named_in_the_readers_language(client, call):
    html = client.get(call.get_absolute_url()).content.decode()
    assert "<dt>Language</dt><dd>German</dd>" in html
    client.cookies["django_language"] = "da"
    html = client.get(call.get_absolute_url()).content.decode()
    with translation.override("da"):
        danish = translation.gettext("German")  # the portal's catalogue names it
    assert danish.lower() == "tysk"
    assert f"<dd>{danish}</dd>" in html


def test_the_officers_list_shows_the_deadline_with_the_zone(client, officer, call):
    client.force_login(officer)
    html = client.get(reverse("tenders:my_calls")).content.decode()
    assert "15 March 2030, 17:00 EET" in html


def _form_data(**overrides):
    data = {
        "title": "Gyrotron RF source",
        "description": "A 1 MW gyrotron.",
        "stage": "invitation_to_tender",
        "procurement_method": "open",
        "main_procurement_category": "goods",
        "main_cpv_code": "31711420",
        "value_currency": "EUR",
        "language": "en",
        "enquiry_period_end": "2030-03-08T12:30",
        "tender_period_end": "2030-03-15T17:00",
        "lots-TOTAL_FORMS": "0",
        "lots-INITIAL_FORMS": "0",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_a_deadline_entered_in_the_calls_zone_is_stored_as_that_instant(client, officer, buyer):
    client.force_login(officer)
    form = client.get(reverse("tenders:call_create")).content.decode()
    assert "Date and time in the call&#x27;s time zone, chosen above (Europe/Brussels" in form
    assert '<option value="Europe/Brussels" selected>' in form
    response = client.post(
        reverse("tenders:call_create"),
        _form_data(buyer=buyer.pk, time_zone="Europe/Helsinki"),
    )
    call = ProcurementCall.objects.get()
    assert response.status_code == 302
    assert call.time_zone == "Europe/Helsinki"
    assert call.tender_period_end == DEADLINE
    assert call.enquiry_period_end == ENQUIRY


def test_without_a_zone_the_deadline_is_read_in_brussels_time(client, officer, buyer):
    client.force_login(officer)
    client.post(reverse("tenders:call_create"), _form_data(buyer=buyer.pk))
    call = ProcurementCall.objects.get()
    assert call.time_zone == "Europe/Brussels"
    assert call.tender_period_end == dt.datetime(2030, 3, 15, 16, 0, tzinfo=dt.UTC)


def test_an_unknown_zone_is_refused_beside_its_field(client, officer, buyer):
    client.force_login(officer)
    response = client.post(
        reverse("tenders:call_create"), _form_data(buyer=buyer.pk, time_zone="Mars/Olympus")
    )
    assert response.status_code == 200
    assert "Not a known time zone" in response.content.decode()
    assert not ProcurementCall.objects.exists()


def test_the_edit_form_shows_the_deadlines_in_the_calls_zone(client, officer, call):
    call.status = ProcurementCall.Status.DRAFT
    call.save()
    client.force_login(officer)
    html = client.get(reverse("tenders:call_edit", args=[call.pk])).content.decode()
    assert 'value="2030-03-15T17:00"' in html and 'value="2030-03-08T12:30"' in html
    assert "chosen above (Europe/Helsinki unless you change it)" in html
    assert '<option value="Europe/Helsinki" selected>' in html


def test_an_amended_deadline_is_listed_in_the_calls_zone(client, officer, call):
    client.force_login(officer)
    html = client.get(reverse("tenders:call_edit", args=[call.pk])).content.decode()
    assert "2030-03-15T17:00" in html
    data = _form_data(
        title=call.title,
        description=call.description,
        main_cpv_code=call.main_cpv_id,
        language=call.language,
        time_zone="Europe/Helsinki",
        tender_period_end="2030-03-22T17:00",
    )
    response = client.post(reverse("tenders:call_edit", args=[call.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    amendment = Amendment.objects.get(call=call, field="tender_period_end")
    assert amendment.old_value == "15 March 2030, 17:00 EET"
    assert amendment.new_value == "22 March 2030, 17:00 EET"
