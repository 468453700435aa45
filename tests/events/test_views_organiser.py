"""``events.views.organiser``: creating and editing events, the participant list (a
PortalListView), B2B settings, the schedule, moves, statistics and the outcome summary, as the
organiser (or a cluster manager) sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bigscience_portal.core.lists import PortalListView
from events import selectors, services
from events.models import Availability, Event, Meeting
from events.views.organiser import ParticipantListView
from organisations.models import ClusterMembership, Membership
from tests.factories import (
    ClusterFactory,
    MeetingSessionFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationQuestionFactory,
)

from .helpers import accept, queries_by_page_size

pytestmark = pytest.mark.django_db


def _event_data(organisers, **fields):
    return {
        "kind": "workshop",
        "status": "draft",
        "organisers": [o.pk for o in organisers],
        "starts_at": "2027-03-10T09:00",
        "ends_at": "2027-03-10T17:00",
        "time_zone": "Europe/Madrid",
        "programme-TOTAL_FORMS": "0",
        "programme-INITIAL_FORMS": "0",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        **fields,
    }


# --- the event --------------------------------------------------------------------------------


def test_organiser_creates_an_event_with_times_in_its_time_zone(client, organiser, organiser_org):
    client.force_login(organiser)
    url = reverse("events:event_create")
    page = client.get(url).content.decode()
    assert organiser_org.name in page
    data = _event_data(
        [organiser_org],
        title="Fusion industry day",
        kind="industry_day",
        status="published",
        venue="F4E",
        venue_city="Barcelona",
        venue_country="ES",
        capacity="80",
        description="Upcoming contracts.",
        **{
            "programme-TOTAL_FORMS": "1",
            "programme-0-starts_at": "2027-03-10T09:30",
            "programme-0-title": "Opening",
            "questions-TOTAL_FORMS": "1",
            "questions-0-text": "Company size?",
            "questions-0-order": "0",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(title="Fusion industry day")
    assert event.slug == "fusion-industry-day" and event.created_by == organiser
    assert list(event.organisers.all()) == [organiser_org]
    assert event.starts_at.isoformat() == "2027-03-10T08:00:00+00:00"  # 09:00 in Madrid
    assert event.programme.get().starts_at.isoformat() == "2027-03-10T08:30:00+00:00"
    assert event.questions.get().text == "Company size?"
    # edit shows the stored times back in the event's zone
    page = client.get(reverse("events:event_edit", kwargs={"slug": event.slug})).content.decode()
    assert 'value="2027-03-10T09:00"' in page


def test_cannot_name_an_organisation_one_is_not_member_of(client, organiser):
    stranger = OrganisationFactory(name="Not Mine Ltd")
    client.force_login(organiser)
    response = client.post(reverse("events:event_create"), _event_data([stranger], title="Hijack"))
    assert response.status_code == 200
    assert not Event.objects.filter(title="Hijack").exists()
    assert "Select a valid choice" in response.content.decode()


def test_an_invalid_programme_saves_nothing(client, organiser, organiser_org):
    client.force_login(organiser)
    data = _event_data(
        [organiser_org],
        title="Half an event",
        **{"programme-TOTAL_FORMS": "1", "programme-0-starts_at": "2027-03-10T09:30"},
    )  # a programme item without a title
    response = client.post(reverse("events:event_create"), data)
    assert response.status_code == 200
    assert not Event.objects.filter(title="Half an event").exists()


def test_editing_keeps_co_organisers_the_editor_is_not_a_member_of(client, organiser, event):
    partner = OrganisationFactory(name="Partner Cluster")
    event.organisers.add(partner)
    client.force_login(organiser)
    url = reverse("events:event_edit", kwargs={"slug": event.slug})
    form = client.get(url).context["form"]
    assert set(form.fields["organisers"].queryset) >= {partner}
    data = _event_data(
        event.organisers.all(),
        title=event.title,
        kind=event.kind,
        status=event.status,
        time_zone=event.time_zone,
    )
    assert client.post(url, data).status_code == 302
    assert partner in event.organisers.all()


# --- participants -----------------------------------------------------------------------------


def test_the_participant_list_is_on_the_shared_list_stack():
    assert issubclass(ParticipantListView, PortalListView)


def test_participant_list_query_count_does_not_depend_on_page_size(client, organiser, event):
    question = RegistrationQuestionFactory(event=event, text="Company size?")
    for _ in range(100):
        registration = ParticipantFactory(event=event)
        registration.answers.create(question=question, answer="Small")
    client.force_login(organiser)
    url = reverse("events:participant_list", kwargs={"slug": event.slug})
    counts, responses = queries_by_page_size(client, url)
    assert [len(r.context["rows"]) for r in responses] == [10, 50, 100]
    assert counts[0] == counts[1] == counts[2], counts
    body = responses[-1].content.decode()
    assert "100 registrations" in body and "Company size?" in body and "<td>Small</td>" in body


def test_an_individual_is_shown_as_such(client, organiser, event):
    RegistrationFactory(event=event)
    client.force_login(organiser)
    body = client.get(reverse("events:participant_list", kwargs={"slug": event.slug})).content
    assert "(individual)" in body.decode()


# --- B2B settings and the schedule ------------------------------------------------------------


def _settings_data(session, second):
    return {
        "slot_minutes": 20,
        "tables": 5,
        "max_meetings_per_participant": 6,
        "sessions-TOTAL_FORMS": "2",
        "sessions-INITIAL_FORMS": "1",
        "sessions-0-id": session.pk,
        "sessions-0-name": "Morning",
        "sessions-0-starts_at": "2027-05-03T09:00",
        "sessions-0-ends_at": "2027-05-03T12:00",
        "sessions-1-name": second[0],
        "sessions-1-starts_at": second[1],
        "sessions-1-ends_at": second[2],
    }


def test_overlapping_sessions_are_refused(client, organiser, brokerage):
    client.force_login(organiser)
    url = reverse("events:brokerage_settings", kwargs={"slug": brokerage.slug})
    session = brokerage.meeting_sessions.get()
    overlap = ("Overlap", "2027-05-03T11:00", "2027-05-03T13:00")
    response = client.post(url, _settings_data(session, overlap))
    assert response.status_code == 200
    assert "must not overlap" in response.content.decode()
    afternoon = ("Afternoon", "2027-05-03T14:00", "2027-05-03T17:00")
    response = client.post(url, _settings_data(session, afternoon))
    assert response.status_code == 302
    brokerage.brokerage.refresh_from_db()
    assert brokerage.brokerage.tables == 5
    starts = [s.starts_at.isoformat() for s in brokerage.meeting_sessions.all()]
    assert starts == ["2027-05-03T07:00:00+00:00", "2027-05-03T12:00:00+00:00"]  # CEST


def test_the_schedule_page_explains_the_unplaced(client, organiser, people):
    a, b, c, d = people
    accept(a, b)
    Availability.objects.filter(registration=d).delete()  # d is never available
    accept(c, d)
    client.force_login(organiser)
    response = client.post(reverse("events:schedule_run", kwargs={"slug": a.event.slug}))
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "The scheduler placed 1 meeting(s); 1 could not be placed." in page
    assert "The two have no meeting session in common." in page
    assert f"{a.display_name} ↔ {b.display_name}" in page  # the placed one, in the table
    meeting = Meeting.objects.get(request__requester=a)
    assert (
        reverse("events:meeting_lock", kwargs={"slug": a.event.slug, "pk": meeting.request_id})
        in page
    )


def test_a_scheduler_that_cannot_run_says_why(client, organiser, people):
    a, b = people[:2]
    accept(a, b)
    session = a.event.meeting_sessions.get()
    MeetingSessionFactory(event=a.event, starts_at=session.starts_at, ends_at=session.ends_at)
    client.force_login(organiser)
    response = client.post(
        reverse("events:schedule_run", kwargs={"slug": a.event.slug}), follow=True
    )
    assert "The scheduler could not run:" in response.content.decode()


def test_manual_move_with_a_clash_shows_the_clash_and_moves_nothing(client, organiser, people):
    a, b, c, d = people
    ev = a.event
    ab = accept(a, b)
    cd = accept(c, d)
    services.schedule_run(event=ev)
    target = Meeting.objects.get(request=ab)
    client.force_login(organiser)
    url = reverse("events:meeting_move", kwargs={"slug": ev.slug, "pk": cd.pk})
    response = client.post(url, {"slot": target.slot_id, "table": target.table})
    assert response.status_code == 200
    body = response.content.decode()
    assert "This move clashes" in body
    assert f"Table {target.table} is already used in that slot." in body
    assert Meeting.objects.get(request=cd).locked is False


def test_a_move_by_hand_locks_the_meeting(client, organiser, people):
    a, b = people[:2]
    ab = accept(a, b)
    services.schedule_run(event=a.event)
    free = next(
        s
        for s in selectors.meeting_slots(event=a.event)
        if s.id != Meeting.objects.get(request=ab).slot_id
    )
    client.force_login(organiser)
    url = reverse("events:meeting_move", kwargs={"slug": a.event.slug, "pk": ab.pk})
    response = client.post(url, {"slot": free.id, "table": 2}, follow=True)
    assert "The meeting is moved and locked in its new place." in response.content.decode()
    moved = Meeting.objects.get(request=ab)
    assert (moved.slot_id, moved.table, moved.locked) == (free.id, 2, True)


def test_publishing_tells_the_organiser_participants_are_mailed(client, organiser, people):
    client.force_login(organiser)
    url = reverse("events:schedule_publish", kwargs={"slug": people[0].event.slug})
    response = client.post(url, follow=True)
    assert (
        "The schedule is published; participants are told by e-mail." in response.content.decode()
    )
    people[0].event.brokerage.refresh_from_db()
    assert people[0].event.brokerage.is_published


# --- statistics and outcomes ------------------------------------------------------------------


def test_statistics_per_organisation(client, organiser, people):
    a, b, c, _d = people
    accept(a, b)
    services.meeting_request_create(requester=a, recipient=c)
    services.schedule_run(event=a.event)
    client.force_login(organiser)
    response = client.get(reverse("events:statistics", kwargs={"slug": a.event.slug}))
    stats = response.context["stats"]
    assert stats["totals"]["participants"] == 4
    assert stats["totals"]["requests"] == 2
    assert stats["totals"]["accepted"] == 1
    assert stats["totals"]["scheduled"] == 1
    rows = dict(stats["per_organisation"])
    assert rows["Alpha ApS"]["sent"] == 2 and rows["Alpha ApS"]["scheduled"] == 1
    assert rows["Gamma ApS"]["received"] == 1 and rows["Gamma ApS"]["accepted"] == 0
    body = response.content.decode()
    assert '<th scope="row">Gamma ApS</th>' in body  # zeros are shown as 0, not a dash
    assert body.count('<td class="text-end">0</td>') >= 3


def test_outcome_summary_for_organiser_and_cluster_manager(client, organiser, people):
    a, b, c, d = people
    ev = a.event
    accept(a, b)
    accept(c, d)
    services.schedule_run(event=ev)
    ev.starts_at = timezone.now() - timedelta(hours=1)
    ev.save()
    ab = Meeting.objects.get(request__requester=a)
    services.outcome_record(meeting=ab, registration=a, outcome="negotiation_started")
    cd = Meeting.objects.get(request__requester=c)
    services.outcome_record(meeting=cd, registration=c, outcome="agreement_reached")

    url = reverse("events:outcome_summary", kwargs={"slug": ev.slug})
    client.force_login(organiser)
    response = client.get(url)
    summary = response.context["summary"]
    assert dict(summary["rows"])["Negotiation started"] == 1
    assert dict(summary["rows"])["Agreement reached"] == 1
    assert "Alpha ApS" in response.content.decode()

    # the manager of Alpha's cluster sees Alpha's meetings only
    cluster = ClusterFactory()
    manager = MembershipFactory(organisation=cluster, role=Membership.Role.ADMIN).user
    ClusterMembership.objects.create(cluster=cluster, member=a.organisation, status="approved")
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200
    rows = dict(response.context["summary"]["rows"])
    assert rows["Negotiation started"] == 1 and rows["Agreement reached"] == 0
    # a cluster manager whose members are not here sees nothing
    other_manager = MembershipFactory(organisation=ClusterFactory(), role="admin").user
    client.force_login(other_manager)
    assert client.get(url).status_code == 403


# --- hostile input (issue 14) -----------------------------------------------------------------


def test_a_title_with_a_line_break_is_refused_and_nothing_is_saved(
    client, organiser, organiser_org
):
    client.force_login(organiser)
    data = _event_data([organiser_org], title="Industry day\r\nBcc: everyone@example.org")
    response = client.post(reverse("events:event_create"), data)
    assert response.status_code == 200
    assert "Write this on one line" in response.content.decode()
    assert not Event.objects.filter(title__startswith="Industry day").exists()


def test_a_description_beyond_the_limit_is_refused(client, organiser, organiser_org):
    client.force_login(organiser)
    data = _event_data([organiser_org], title="Long day", description="x" * 10_001)
    response = client.post(reverse("events:event_create"), data)
    assert response.status_code == 200
    assert "at most 10000 characters" in response.content.decode().replace(",", "")
    assert not Event.objects.filter(title="Long day").exists()
