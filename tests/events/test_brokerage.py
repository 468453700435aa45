"""B2B brokerage: offers, requests, scheduling through the ORM, moves, agenda, outcomes."""

from __future__ import annotations

from datetime import UTC, timedelta

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import (
    Availability,
    CooperationOpportunity,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
)
from events.suggestions import suggestions_for
from organisations.models import ClusterMembership, Membership, Organisation
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory

from .conftest import make_brokerage, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(brokerage):
    """Four confirmed participants of the B2B event (each from their own organisation)."""
    regs = []
    for name in ("Alpha", "Beta", "Gamma", "Delta"):
        org = OrganisationFactory(name=f"{name} ApS")
        regs.append(register(brokerage, MembershipFactory(organisation=org).user, org))
    return regs


def accept(a, b, message=""):
    req = services.meeting_request_create(requester=a, recipient=b, message=message)
    return services.meeting_request_decide(request=req, accept=True)


def test_request_and_answer_tell_both_sides_by_email(people, django_capture_on_commit_callbacks):
    a, b = people[:2]
    with django_capture_on_commit_callbacks(execute=True):
        req = services.meeting_request_create(requester=a, recipient=b, message="Magnets?")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.user.email, b.user.email])
    to_b = next(m for m in mail.outbox if m.to == [b.user.email])
    assert "Magnets?" in to_b.body and "/b2b/requests/" in to_b.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_request_decide(request=req, accept=False)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.user.email, b.user.email])
    assert all("declined" in m.subject for m in mail.outbox)


def test_accept_through_the_page(client, people):
    a, b = people[:2]
    req = services.meeting_request_create(requester=a, recipient=b, message="Hello")
    client.force_login(b.user)
    url = reverse("events:meeting_request_decide", kwargs={"slug": b.event.slug, "pk": req.pk})
    client.post(url, {"decision": "accept"})
    req.refresh_from_db()
    assert req.status == MeetingRequest.Status.ACCEPTED


def test_duplicate_request_refused(people):
    a, b = people[:2]
    services.meeting_request_create(requester=a, recipient=b)
    with pytest.raises(Exception, match="already"):
        services.meeting_request_create(requester=b, recipient=a)


def test_scheduler_run_stores_placements_and_explains_the_unplaced(client, organiser, people):
    a, b, c, d = people
    ev = a.event
    accept(a, b)
    accept(a, c)
    Availability.objects.filter(registration=d).delete()  # d is never available
    unplaceable = accept(c, d)
    result = services.schedule_run(event=ev)
    assert len(result.placements) == 2
    meetings = list(Meeting.objects.filter(event=ev))
    assert len(meetings) == 2
    assert meetings[0].starts_at != meetings[1].starts_at  # a cannot be in two at once
    ev.brokerage.refresh_from_db()
    (unplaced,) = ev.brokerage.unplaced
    assert unplaced["request_id"] == unplaceable.pk
    assert unplaced["reason"] == "no_common_session"
    client.force_login(organiser)
    page = client.get(reverse("events:schedule", kwargs={"slug": ev.slug})).content.decode()
    assert "The two have no meeting session in common." in page


def test_rerun_keeps_locked_meetings_where_they_are(people):
    a, b, c, _d = people
    ev = a.event
    ab = accept(a, b)
    services.schedule_run(event=ev)
    # the organiser moves a-b to the second slot, table 2 (and that locks it)
    slots = services.slot_choices(ev)
    assert services.meeting_move(event=ev, request=ab, slot_id=slots[1].id, table=2) == []
    moved = Meeting.objects.get(request=ab)
    assert moved.locked and moved.slot_id == slots[1].id and moved.table == 2
    accept(a, c)
    services.schedule_run(event=ev)
    kept = Meeting.objects.get(request=ab)
    assert (kept.slot_id, kept.table, kept.locked) == (slots[1].id, 2, True)
    assert Meeting.objects.filter(event=ev).count() == 2


def test_manual_move_with_a_clash_is_refused(client, organiser, people):
    a, b, c, d = people
    ev = a.event
    ab = accept(a, b)
    cd = accept(c, d)
    ac = accept(a, c)
    services.schedule_run(event=ev)
    placed = {m.request_id: m for m in Meeting.objects.filter(event=ev)}
    target = placed[ab.pk]
    # a-c into a-b's slot: a is busy there
    clashes = services.meeting_move(event=ev, request=ac, slot_id=target.slot_id, table=2)
    assert {c.code for c in clashes} >= {"participant_busy"}
    # c-d onto a-b's table in its slot
    clashes = services.meeting_move(
        event=ev, request=cd, slot_id=target.slot_id, table=target.table
    )
    assert "table_taken" in {c.code for c in clashes}
    assert Meeting.objects.get(request=cd).locked is False  # nothing moved
    # the page shows the clash and changes nothing
    client.force_login(organiser)
    url = reverse("events:meeting_move", kwargs={"slug": ev.slug, "pk": cd.pk})
    response = client.post(url, {"slot": target.slot_id, "table": target.table})
    assert response.status_code == 200
    body = response.content.decode()
    assert "This move clashes" in body
    assert f"Table {target.table} is already used in that slot." in body


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


def test_opportunity_with_cpv_codes_through_the_page(client, people):
    a = people[0]
    client.force_login(a.user)
    url = reverse("events:b2b_profile", kwargs={"slug": a.event.slug})
    response = client.post(
        url,
        {
            "form": "opportunity",
            "kind": "technology_offer",
            "title": "Helium transfer lines",
            "description": "Vacuum-insulated lines",
            "cpv": "00000001",
        },
    )
    assert "Unknown CPV code" in response.content.decode()
    response = client.post(
        url,
        {
            "form": "opportunity",
            "kind": "technology_offer",
            "title": "Helium transfer lines",
            "description": "Vacuum-insulated lines",
            "cpv": "42131000-6",
        },
    )
    assert response.status_code == 302
    opp = CooperationOpportunity.objects.get(registration=a)
    assert [c.code for c in opp.cpv_codes.all()] == ["42131000"]


def test_availability_through_the_page(client, organiser_org):
    ev = make_brokerage(organiser_org, sessions=2)
    org = OrganisationFactory()
    reg = register(ev, MembershipFactory(organisation=org).user, org)
    assert reg.availabilities.count() == 2  # everything by default
    first = ev.meeting_sessions.first()
    client.force_login(reg.user)
    url = reverse("events:b2b_profile", kwargs={"slug": ev.slug})
    client.post(url, {"form": "availability", "sessions": [first.pk]})
    assert [a.session_id for a in reg.availabilities.all()] == [first.pk]


def test_who_to_meet_for_an_sme_and_a_liaison_officer(brokerage, sme, sme_user, infra, ilo_user):
    me = register(brokerage, sme_user, sme)
    ilo = register(brokerage, ilo_user, infra)
    CooperationOpportunity.objects.create(
        registration=ilo,
        kind="technology_request",
        title="Cryostat for superconducting magnet tests",
        description="We need a cryostat and helium transfer lines for magnet testing.",
    )
    unrelated_org = OrganisationFactory(name="Bakery ApS", capabilities="Bread and cakes.")
    register(brokerage, MembershipFactory(organisation=unrelated_org).user, unrelated_org)
    mine = suggestions_for(me)
    assert mine and mine[0][0] == ilo
    reasons = " ".join(mine[0][1].reasons)
    assert "research infrastructure" in reasons
    assert "looking for matches what you offer" in reasons
    theirs = suggestions_for(ilo)
    assert theirs[0][0] == me  # companies only for the liaison officer
    assert all(r.organisation.kind != Organisation.Kind.RESEARCH_INFRASTRUCTURE for r, _ in theirs)


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


def test_outcomes_recorded_and_summarised_for_organiser_and_cluster_manager(
    client, organiser, people
):
    a, b, c, d = people
    ev = a.event
    accept(a, b)
    accept(c, d)
    services.schedule_run(event=ev)
    ab = Meeting.objects.get(request__requester=a)
    with pytest.raises(ValidationError, match="once the event has started"):
        services.outcome_record(meeting=ab, registration=a, outcome="no_follow_up")
    ev.starts_at = timezone.now() - timedelta(hours=1)
    ev.save()
    ab.refresh_from_db()
    client.force_login(a.user)
    client.post(
        reverse("events:outcomes", kwargs={"slug": ev.slug}),
        {"meeting": ab.pk, "outcome": "negotiation_started", "note": "NDA signed"},
    )
    assert MeetingOutcome.objects.get(registration=a).outcome == "negotiation_started"
    cd = Meeting.objects.get(request__requester=c)
    services.outcome_record(meeting=cd, registration=c, outcome="agreement_reached")
    # a participant cannot record for a meeting that is not theirs
    with pytest.raises(Exception, match="own meetings"):
        services.outcome_record(meeting=cd, registration=a, outcome="no_follow_up")

    url = reverse("events:outcome_summary", kwargs={"slug": ev.slug})
    client.force_login(organiser)
    summary = client.get(url).context["summary"]
    assert dict(summary["rows"])["Negotiation started"] == 1
    assert dict(summary["rows"])["Agreement reached"] == 1

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


def test_cancelled_registration_cancels_its_meetings(people):
    a, b = people[:2]
    req = accept(a, b)
    services.schedule_run(event=a.event)
    services.registration_cancel(registration=a)
    req.refresh_from_db()
    assert req.status == MeetingRequest.Status.CANCELLED
    assert not Meeting.objects.filter(request=req).exists()


def test_dashboard_lists_registrations_and_pending_requests(client, people):
    a, b = people[:2]
    services.meeting_request_create(requester=a, recipient=b, message="Hi")
    client.force_login(b.user)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert b.event.title in body
    assert reverse("events:agenda", kwargs={"slug": b.event.slug}) in body
    assert a.display_name in body  # the request waiting for an answer


def test_overlapping_sessions_are_refused(client, organiser, brokerage):
    client.force_login(organiser)
    url = reverse("events:brokerage_settings", kwargs={"slug": brokerage.slug})
    session = brokerage.meeting_sessions.get()
    response = client.post(
        url,
        {
            "slot_minutes": 20,
            "tables": 5,
            "max_meetings_per_participant": 6,
            "sessions-TOTAL_FORMS": "2",
            "sessions-INITIAL_FORMS": "1",
            "sessions-0-id": session.pk,
            "sessions-0-name": "Morning",
            "sessions-0-starts_at": "2027-05-03T09:00",
            "sessions-0-ends_at": "2027-05-03T12:00",
            "sessions-1-name": "Overlap",
            "sessions-1-starts_at": "2027-05-03T11:00",
            "sessions-1-ends_at": "2027-05-03T13:00",
        },
    )
    assert response.status_code == 200
    assert "must not overlap" in response.content.decode()
    response = client.post(
        url,
        {
            "slot_minutes": 20,
            "tables": 5,
            "max_meetings_per_participant": 6,
            "sessions-TOTAL_FORMS": "2",
            "sessions-INITIAL_FORMS": "1",
            "sessions-0-id": session.pk,
            "sessions-0-name": "Morning",
            "sessions-0-starts_at": "2027-05-03T09:00",
            "sessions-0-ends_at": "2027-05-03T12:00",
            "sessions-1-name": "Afternoon",
            "sessions-1-starts_at": "2027-05-03T14:00",
            "sessions-1-ends_at": "2027-05-03T17:00",
        },
    )
    assert response.status_code == 302
    brokerage.brokerage.refresh_from_db()
    assert brokerage.brokerage.tables == 5
    starts = [s.starts_at.isoformat() for s in brokerage.meeting_sessions.all()]
    assert starts == ["2027-05-03T07:00:00+00:00", "2027-05-03T12:00:00+00:00"]  # CEST


def test_catalogue_filters_by_offer_type_and_cpv(client, people):
    a, b, c, _d = people
    offer = CooperationOpportunity.objects.create(
        registration=b, kind="technology_offer", title="Valves", description="Cryogenic valves"
    )
    offer.cpv_codes.set(["42131000"])
    CooperationOpportunity.objects.create(
        registration=c, kind="rd_request", title="Detector R&D", description="Pixel sensors"
    )
    client.force_login(a.user)
    url = reverse("events:catalogue", kwargs={"slug": a.event.slug})
    names = lambda r: {p.pk for p in r.context["page_obj"]}  # noqa: E731
    assert names(client.get(url, {"opportunity": "technology_offer"})) == {b.pk}
    assert names(client.get(url, {"cpv": "4213"})) == {b.pk}
    assert names(client.get(url, {"q": "pixel"})) == {c.pk}
    body = client.get(url).content.decode()
    assert f"Request a meeting with {b.display_name}" in body
    assert f"Request a meeting with {a.display_name}" not in body  # not with oneself
