"""A call's deadlines as an iCalendar file (``tenders.ics``, served by ``call_ics``)."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse

from tenders.ics import call_deadlines_ics
from tests.factories import ProcurementCallFactory

pytestmark = pytest.mark.django_db


def test_ics_has_both_deadlines_in_utc(client, buyer):
    call = ProcurementCallFactory(buyer=buyer, title="Gyrotron")
    response = client.get(reverse("tenders:call_ics", kwargs={"pk": call.pk}))
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = {str(e["summary"]).split(":")[0]: e for e in cal.walk("VEVENT")}
    assert set(events) == {"Clarification deadline", "Submission deadline"}
    submission = events["Submission deadline"]["dtstart"].dt
    assert submission.utcoffset() == dt.timedelta(0)
    assert submission == call.tender_period_end.replace(microsecond=0)
    assert b"DTSTART:" in response.content and b"Z\r\n" in response.content
    clarification = events["Clarification deadline"]["dtstart"].dt
    assert clarification == call.enquiry_period_end.replace(microsecond=0)


def test_names_from_stored_titles_stay_on_one_line(buyer):
    call = ProcurementCallFactory(buyer=buyer, title="Gyrotron\r\nX-INJECTED:1", reference="R-1")
    cal = icalendar.Calendar.from_ical(call_deadlines_ics(call, site_url="https://portal.example"))
    assert str(cal["x-wr-calname"]) == "Gyrotron X-INJECTED:1"
    summaries = [str(e["summary"]) for e in cal.walk("VEVENT")]
    assert summaries and all("\n" not in s and "\r" not in s for s in summaries)
    assert b"\r\nX-INJECTED:1" not in call_deadlines_ics(call, site_url="https://portal.example")
