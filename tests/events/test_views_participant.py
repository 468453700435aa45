"""``events.views.participant``: the B2B participant's pages (offers, availability, the
catalogue as a PortalListView, requests, agenda and calendar, outcomes), as they see them."""

from __future__ import annotations

from datetime import UTC, timedelta

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bigscience_portal.core.lists import PortalListView
from events import services
from events.models import EventOpportunity, Meeting, MeetingOutcome, MeetingRequest
from events.views.participant import CatalogueView
from innovation.models import PartnershipOpportunity
from tests.factories import (
    BrokerageEventFactory,
    EventOpportunityFactory,
    ParticipantFactory,
)

from .helpers import accept, queries_by_page_size

pytestmark = pytest.mark.django_db


# --- offers, availability, the catalogue ------------------------------------------------------


def test_opportunity_with_cpv_codes_through_the_page(client, people):
    a = people[0]
    client.force_login(a.user)
    url = reverse("events:b2b_profile", kwargs={"slug": a.event.slug})
    offer = {
        "form": "opportunity",
        "kind": "technology_offer",
        "title": "Helium transfer lines",
        "description": "Vacuum-insulated lines",
    }
    response = client.post(url, {**offer, "cpv": "00000001"})
    assert "Unknown CPV code" in response.content.decode()
    response = client.post(url, {**offer, "cpv": "42131000-6"})
    assert response.status_code == 302
    opp = EventOpportunity.objects.get(registration=a).opportunity
    assert [c.code for c in opp.cpv_codes.all()] == ["42131000"]
    # a partnership opportunity of the participant's organisation, shown at the event only
    assert (opp.organisation, opp.visibility, opp.status) == (a.organisation, "event", "published")
    assert not PartnershipOpportunity.objects.public().filter(pk=opp.pk).exists()
    body = client.get(url).content.decode()
    assert "Helium transfer lines" in body and "42131000" in body
    assert "Shown at this event only" in body


def test_an_offers_codes_show_their_danish_labels_on_the_profile_and_the_catalogue(client, people):
    from organisations.models import CPVCode

    a = people[0]
    EventOpportunityFactory(registration=a, opportunity__cpv_codes=["42131000", "31670000"])
    client.force_login(a.user)
    client.cookies["django_language"] = "da"
    danish = [CPVCode.objects.get(pk=code).labels["da"] for code in ("31670000", "42131000")]
    for name in ("events:b2b_profile", "events:catalogue"):
        body = client.get(reverse(name, kwargs={"slug": a.event.slug})).content.decode()
        for code, label in zip(("31670000", "42131000"), danish, strict=True):
            chip = f'<span class="code-item-code">{code}</span> <span class="code-item-label">'
            assert f"{chip}· {label}</span>" in body, name


def test_an_opportunity_also_public_goes_through_the_review(client, people):
    a = people[0]
    client.force_login(a.user)
    url = reverse("events:b2b_profile", kwargs={"slug": a.event.slug})
    offer = {
        "form": "opportunity",
        "kind": "technology_offer",
        "title": "Helium transfer lines",
        "description": "Vacuum-insulated lines",
        "cpv": "42131000",
        "public": "on",
    }
    response = client.post(url, offer, follow=True)
    assert "in the public list once it is reviewed" in response.content.decode()
    opp = EventOpportunity.objects.get(registration=a).opportunity
    assert (opp.visibility, opp.status) == ("public", "in_review")
    # shown at the event meanwhile
    catalogue = reverse("events:catalogue", kwargs={"slug": a.event.slug})
    assert "Helium transfer lines" in client.get(catalogue).content.decode()


def test_removing_an_opportunity_asks_first(client, people):
    link = EventOpportunityFactory(registration=people[0], opportunity__title="Cryostats")
    client.force_login(people[0].user)
    url = reverse(
        "events:opportunity_delete", kwargs={"slug": link.registration.event.slug, "pk": link.pk}
    )
    assert "Remove “Cryostats”?" in client.get(url).content.decode()
    assert EventOpportunity.objects.filter(pk=link.pk).exists()
    client.post(url)
    assert not EventOpportunity.objects.filter(pk=link.pk).exists()
    # made for the event only, it is withdrawn with it (kept, with its history)
    opportunity = PartnershipOpportunity.objects.get(pk=link.opportunity_id)
    assert opportunity.status == PartnershipOpportunity.Status.WITHDRAWN


def test_availability_through_the_page(client, organiser_org):
    ev = BrokerageEventFactory(organisers=[organiser_org], sessions=2)
    reg = ParticipantFactory(event=ev)
    assert reg.availabilities.count() == 2  # everything by default
    first = ev.meeting_sessions.first()
    client.force_login(reg.user)
    url = reverse("events:b2b_profile", kwargs={"slug": ev.slug})
    client.post(url, {"form": "availability", "sessions": [first.pk]})
    assert [a.session_id for a in reg.availabilities.all()] == [first.pk]


def test_the_catalogue_is_on_the_shared_list_stack():
    assert issubclass(CatalogueView, PortalListView)


def test_catalogue_query_count_does_not_depend_on_page_size(client, organiser, brokerage):
    for _ in range(100):
        EventOpportunityFactory(
            registration=ParticipantFactory(event=brokerage),
            opportunity__title="Valves",
            opportunity__cpv_codes=["42131000"],
        )
    client.force_login(organiser)
    url = reverse("events:catalogue", kwargs={"slug": brokerage.slug})
    counts, responses = queries_by_page_size(client, url)
    assert [len(r.context["page_obj"].object_list) for r in responses] == [10, 50, 100]
    assert counts[0] == counts[1] == counts[2], counts


# --- meeting requests -------------------------------------------------------------------------


def test_request_a_meeting_through_the_page(client, people, django_capture_on_commit_callbacks):
    a, b = people[:2]
    client.force_login(a.user)
    url = reverse("events:meeting_request_create", kwargs={"slug": a.event.slug, "pk": b.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": "Magnets?"}, follow=True)
    assert "Your meeting request is sent." in response.content.decode()
    assert MeetingRequest.objects.get(requester=a, recipient=b).message == "Magnets?"
    assert {m.to[0] for m in mail.outbox} == {a.user.email, b.user.email}
    # a second request between the two is refused on the form
    client.force_login(b.user)
    url = reverse("events:meeting_request_create", kwargs={"slug": a.event.slug, "pk": a.pk})
    response = client.post(url, {"message": "Again"})
    assert response.status_code == 200
    assert "There already is an open meeting request between you two." in response.content.decode()


def test_accept_through_the_page(client, people):
    a, b = people[:2]
    req = services.meeting_request_create(requester=a, recipient=b, message="Hello")
    client.force_login(b.user)
    url = reverse("events:meeting_request_decide", kwargs={"slug": b.event.slug, "pk": req.pk})
    response = client.post(url, {"decision": "accept"}, follow=True)
    req.refresh_from_db()
    assert req.status == MeetingRequest.Status.ACCEPTED
    assert "Meeting accepted." in response.content.decode()
    # answering again is refused with a message
    response = client.post(url, {"decision": "decline"}, follow=True)
    assert "This request has already been answered." in response.content.decode()
    req.refresh_from_db()
    assert req.status == MeetingRequest.Status.ACCEPTED


def test_cancel_a_meeting_through_the_page(client, people):
    a, b = people[:2]
    req = accept(a, b)
    client.force_login(a.user)
    url = reverse("events:meeting_request_cancel", kwargs={"slug": a.event.slug, "pk": req.pk})
    assert "Cancel this meeting?" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "The meeting is cancelled." in response.content.decode()
    req.refresh_from_db()
    assert req.status == MeetingRequest.Status.CANCELLED


# --- agenda, calendar, outcomes ---------------------------------------------------------------


def test_publish_agenda_and_ics_in_utc(client, people, django_capture_on_commit_callbacks):
    a, b = people[:2]
    ev = a.event
    req = accept(a, b)
    services.schedule_run(event=ev)
    client.force_login(a.user)
    agenda_url = reverse("events:agenda", kwargs={"slug": ev.slug})
    assert "not published yet" in client.get(agenda_url).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_publish(event=ev)
    assert {m.to[0] for m in mail.outbox} >= {a.user.email, b.user.email}
    meeting = Meeting.objects.get(request=req)
    body = client.get(agenda_url).content.decode()
    assert b.display_name in body and f"<td>{meeting.table}</td>" in body
    assert f"Times in {ev.time_zone}" in body
    response = client.get(reverse("events:agenda_ics", kwargs={"slug": ev.slug}))
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    (vevent,) = cal.walk("VEVENT")
    start = vevent.decoded("dtstart")
    assert start.utcoffset() == timedelta(0)
    assert start == meeting.starts_at.astimezone(UTC)
    assert vevent.decoded("dtend") == meeting.ends_at.astimezone(UTC)
    assert b.display_name in str(vevent["summary"])
    assert b"DTSTART:" in response.content  # UTC form, no TZID parameter


def test_an_agenda_without_meetings_says_so(client, people):
    services.schedule_publish(event=people[0].event)
    client.force_login(people[0].user)
    body = client.get(reverse("events:agenda", kwargs={"slug": people[0].event.slug})).content
    assert "You have no meetings in the published schedule." in body.decode()


def test_outcomes_recorded_through_the_page(client, people):
    a, b = people[:2]
    ev = a.event
    accept(a, b)
    services.schedule_run(event=ev)
    ab = Meeting.objects.get(request__requester=a)
    client.force_login(a.user)
    url = reverse("events:outcomes", kwargs={"slug": ev.slug})
    assert "You can record outcomes once the event has started." in client.get(url).content.decode()
    response = client.post(url, {"meeting": ab.pk, "outcome": "no_follow_up"}, follow=True)
    assert "Outcomes are recorded once the event has started." in response.content.decode()
    ev.starts_at = timezone.now() - timedelta(hours=1)
    ev.save()
    client.post(url, {"meeting": ab.pk, "outcome": "negotiation_started", "note": "NDA signed"})
    recorded = MeetingOutcome.objects.get(registration=a)
    assert (recorded.outcome, recorded.note) == ("negotiation_started", "NDA signed")
    assert "Update outcome" in client.get(url).content.decode()
    response = client.post(url, {"meeting": ab.pk, "outcome": ""}, follow=True)
    assert "Choose an outcome." in response.content.decode()


@pytest.mark.parametrize("meeting", ["abc", "99999999999999999999999", ""])
def test_an_outcome_for_something_that_is_not_a_meeting_is_a_404(client, people, meeting):
    client.force_login(people[0].user)
    url = reverse("events:outcomes", kwargs={"slug": people[0].event.slug})
    response = client.post(url, {"meeting": meeting, "outcome": "no_follow_up"})
    assert response.status_code == 404


def test_an_oversized_meeting_id_in_the_url_is_a_404(client, organiser, people):
    client.force_login(organiser)
    ev = people[0].event
    response = client.post(f"/events/{ev.slug}/b2b/meetings/99999999999999999999/lock/")
    assert response.status_code == 404
