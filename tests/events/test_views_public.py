"""``events.views.public``: the event list (a PortalListView) and page, registering and
cancelling, as a visitor or a member sees them."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from bigscience_portal.core.lists import PortalListView
from events import permissions, services
from events.models import Event, Registration
from events.views.public import EventListView
from tests.factories import (
    EventFactory,
    InfrastructureFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgrammeSessionFactory,
    RegistrationQuestionFactory,
    UserFactory,
)

from .helpers import queries_by_page_size

pytestmark = pytest.mark.django_db


def test_the_event_list_is_on_the_shared_list_stack():
    assert issubclass(EventListView, PortalListView)


def test_empty_state(client):
    assert "No events match" in client.get(reverse("events:event_list")).content.decode()


@pytest.mark.parametrize("user_kind", ["anonymous", "member"])
def test_list_query_count_does_not_depend_on_page_size(client, organiser_org, user_kind):
    orgs = [OrganisationFactory() for _ in range(3)]
    host = InfrastructureFactory()
    for i in range(100):
        EventFactory(organisers=[*orgs[: 1 + i % 3], organiser_org], host_infrastructure=host)
    if user_kind == "member":
        client.force_login(MembershipFactory(organisation=organiser_org).user)
    counts, responses = queries_by_page_size(client, reverse("events:event_list"))
    assert [len(r.context["page_obj"].object_list) for r in responses] == [10, 50, 100]
    assert counts[0] == counts[1] == counts[2], counts
    assert "100 events" in responses[-1].content.decode()


def test_detail_shows_programme_in_the_event_time_zone(client, event):
    start = event.starts_at.replace(hour=8, minute=0, second=0, microsecond=0)  # 08:00 UTC
    event.starts_at = start
    event.save()
    ProgrammeSessionFactory(
        event=event, starts_at=start, title="Welcome by the host", speakers="Dr. Who", room="A1"
    )
    body = client.get(event.get_absolute_url()).content.decode()
    assert "Welcome by the host" in body and "Dr. Who" in body
    assert "09:00" in body  # Europe/Copenhagen in winter is UTC+1


def test_detail_without_a_programme_says_so(client, event):
    assert (
        "The programme is not published yet."
        in client.get(event.get_absolute_url()).content.decode()
    )


def test_the_event_calendar_file(client, event):
    response = client.get(reverse("events:event_ics", kwargs={"slug": event.slug}))
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    assert event.title.encode() in response.content


def test_register_page_with_extra_questions(client, event, member):
    q_required = RegistrationQuestionFactory(
        event=event, text="Which facility interests you?", required=True
    )
    user, org = member()
    client.force_login(user)
    url = reverse("events:event_register", kwargs={"slug": event.slug})
    page = client.get(url).content.decode()
    assert "Which facility interests you?" in page and org.name in page
    response = client.post(url, {"organisation": org.pk})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert 'aria-describedby="id_q_' in response.content.decode()
    assert "Please correct the errors below." in response.content.decode()  # the core summary
    response = client.post(url, {"organisation": org.pk, f"q_{q_required.pk}": "The tokamak"})
    assert response.status_code == 302
    reg = Registration.objects.get(event=event, user=user)
    assert reg.organisation == org
    assert reg.answers.get().answer == "The tokamak"


def test_a_member_is_offered_their_organisation_first(client, event, member):
    user, org = member()
    client.force_login(user)
    page = client.get(reverse("events:event_register", kwargs={"slug": event.slug})).content
    assert f'<option value="{org.pk}" selected>' in page.decode()
    assert '<option value="" selected>' not in page.decode()


def test_register_as_individual(client, event):
    user = UserFactory()
    client.force_login(user)
    url = reverse("events:event_register", kwargs={"slug": event.slug})
    assert client.post(url, {"organisation": ""}).status_code == 302
    assert Registration.objects.get(event=event, user=user).organisation is None


def test_a_refused_registration_is_shown_on_the_form(client, organiser_org, monkeypatch):
    """Registration closed between the page and the click: the service's refusal is shown on
    the form, and nobody is registered."""
    closed = EventFactory(
        organisers=[organiser_org], registration_closes_at=timezone.now() - timedelta(minutes=1)
    )
    monkeypatch.setattr(permissions, "can_register", lambda user, event: True)  # the page's view
    user = UserFactory()
    client.force_login(user)
    url = reverse("events:event_register", kwargs={"slug": closed.slug})
    response = client.post(url, {"organisation": ""})
    assert response.status_code == 200
    assert "Registration for this event is not open." in response.content.decode()
    assert not Registration.objects.filter(event=closed).exists()


def test_cancel_has_a_confirmation_step(client, event):
    user = UserFactory()
    reg = services.registration_create(event=event, user=user)
    client.force_login(user)
    url = reverse("events:registration_cancel", kwargs={"slug": event.slug})
    assert "Yes, cancel my registration" in client.get(url).content.decode()
    reg.refresh_from_db()
    assert reg.status == Registration.Status.CONFIRMED  # GET changes nothing
    client.post(url)
    reg.refresh_from_db()
    assert reg.status == Registration.Status.CANCELLED
    # and they may register again
    assert services.registration_create(event=event, user=user).status == "confirmed"


def test_waiting_list_rank_moves_up_after_a_promotion(client, event, member):
    event.capacity = 1
    event.save()
    first = services.registration_create(event=event, user=member()[0])
    services.registration_create(event=event, user=member()[0])
    third = services.registration_create(event=event, user=member()[0])
    client.force_login(third.user)
    assert (
        "You are number 2 on the waiting list."
        in client.get(event.get_absolute_url()).content.decode()
    )
    services.registration_cancel(registration=first)
    assert (
        "You are number 1 on the waiting list."
        in client.get(event.get_absolute_url()).content.decode()
    )


def test_a_calendar_file_never_fails_on_a_stored_line_break(client, event):
    """Stored before titles were checked: the calendar still answers, on one line."""
    Event.objects.filter(pk=event.pk).update(title="Cryo day\r\nX-Injected: yes")
    response = client.get(reverse("events:event_ics", kwargs={"slug": event.slug}))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == "Cryo day X-Injected: yes"
    assert b"\r\nX-Injected" not in response.content
