"""The home page (``core.views.home``): what is open and upcoming for everyone (the apps' panels
in ``core.panels.home``), and for a signed-in user what needs their attention (unread
notifications and ``core.panels.attention``), in a bounded number of queries; visitors get it
from the public pages' cache, renewed by a new call or event."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bigscience_portal.core import dates
from bigscience_portal.core.models import Notification
from organisations.code_labels import forget_labels
from organisations.models import Approval, Decision, Membership
from tenders.models import ProcurementCall
from tests.factories import (
    ClarificationFactory,
    ClusterFactory,
    ClusterMembershipFactory,
    EventFactory,
    ExpressionOfInterestFactory,
    InfrastructureFactory,
    JoinRequestFactory,
    MembershipFactory,
    OrganisationFactory,
    ProcurementCallFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HOME = "/"


def _html(client) -> str:
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def infra():
    return InfrastructureFactory(name="Fusion Test Lab")


@pytest.fixture
def open_calls(infra):
    """Three open calls (the soonest deadline in 2 days), one without deadline, one closed."""
    soon = ProcurementCallFactory(buyer=infra, title="Cryostat valves", deadline_days=2)
    later = ProcurementCallFactory(buyer=infra, title="Gyrotron windows", deadline_days=40)
    undated = ProcurementCallFactory(buyer=infra, title="Market survey of magnets")
    ProcurementCall.objects.filter(pk=undated.pk).update(tender_period_end=None)
    ProcurementCallFactory(
        buyer=infra, title="An old closed call", status=ProcurementCall.Status.CLOSED
    )
    return [soon, later, undated]


@pytest.fixture
def events():
    EventFactory(title="Past workshop", starts_at=timezone.now() - timedelta(days=9))
    EventFactory(title="Draft workshop", status="draft")
    return [
        EventFactory(title="Hydrogen industry day", starts_at=timezone.now() + timedelta(days=5)),
        EventFactory(title="ESS facility visit", starts_at=timezone.now() + timedelta(days=50)),
    ]


# --------------------------------------------------------------------------- everyone
def test_visitor_sees_open_calls_with_deadlines_and_upcoming_events(client, open_calls, events):
    html = _html(client)
    assert "Where Big Science and industry meet" in html and "Who it is for" in html
    assert "Open calls" in html and "Upcoming events" in html
    soon = open_calls[0]
    # soonest deadline first, the undated call last; the closed call is not shown
    assert (
        html.index("Cryostat valves")
        < html.index("Gyrotron windows")
        < html.index("Market survey of magnets")
    )
    assert "An old closed call" not in html
    assert f'href="{soon.get_absolute_url()}"' in html and "Fusion Test Lab" in html
    assert "closes in 2 days" in html or "closes in 1 day" in html
    assert "See all 3 open calls" in html
    assert html.index("Hydrogen industry day") < html.index("ESS facility visit")
    # each moment with its zone, as every page writes it (core.dates.when)
    assert f'href="{events[0].get_absolute_url()}"' in html
    assert dates.when(events[0].starts_at, events[0].time_zone) in html
    assert dates.when(soon.tender_period_end, soon.time_zone) in html
    assert "Past workshop" not in html and "Draft workshop" not in html
    assert "What needs your attention" not in html


def test_an_empty_portal_says_nothing_is_open(client):
    html = _html(client)
    assert "No call is open right now." in html and "No event is planned right now." in html


def test_visitors_get_the_page_from_the_cache_until_a_call_is_published(client, infra):
    first = client.get(HOME)
    assert first["X-Page-Cache"] == "miss"
    assert client.get(HOME)["X-Page-Cache"] == "hit"
    ProcurementCallFactory(buyer=infra, title="Freshly published call")
    again = client.get(HOME)
    assert again["X-Page-Cache"] == "miss" and "Freshly published call" in again.content.decode()


def test_a_signed_in_user_is_not_served_the_visitors_page(client, open_calls):
    client.get(HOME)  # cached for visitors
    client.force_login(UserFactory())
    response = client.get(HOME)
    assert "X-Page-Cache" not in response
    assert "What needs your attention" in response.content.decode()


# --------------------------------------------------------------------------- signed in
def test_nothing_waiting_says_so_with_a_link_to_the_users_area(client):
    client.force_login(UserFactory())
    html = _html(client)
    assert "What needs your attention" in html and "Nothing waits for you right now." in html
    assert f'href="{reverse("core:dashboard")}"' in html
    assert "Who it is for" not in html  # the visitors' introduction


def test_sme_member_sees_notifications_interests_closing_soon_and_registrations(client, infra):
    company = OrganisationFactory(name="CryoTest ApS")
    user = MembershipFactory(organisation=company).user
    call = ProcurementCallFactory(buyer=infra, title="Helium liquefier", deadline_days=4)
    ExpressionOfInterestFactory(call=call, organisation=company)
    far = ProcurementCallFactory(buyer=infra, title="Far away call", deadline_days=60)
    ExpressionOfInterestFactory(call=far, organisation=company)
    note = Notification.objects.create(user=user, key="k1", title="Your question was answered")
    Notification.objects.create(user=user, key="k2", title="Read long ago", read_at=timezone.now())
    event = EventFactory(title="Cryogenics workshop", starts_at=timezone.now() + timedelta(days=3))
    RegistrationFactory(event=event, user=user)
    client.force_login(user)
    html = _html(client)
    attention = html[html.index("What needs your attention") : html.index("home-open")]
    assert "1 unread notification" in attention
    assert f'href="{reverse("core:notification_open", args=[note.pk])}"' in attention
    assert "Your question was answered" in attention and "Read long ago" not in attention
    assert "“Helium liquefier”, which CryoTest ApS is interested in" in attention
    assert "closes in 3 days" in attention or "closes in 4 days" in attention
    assert "Far away call" not in attention  # its deadline is two months away
    assert "You are registered for Cryogenics workshop" in attention
    assert f'href="{event.get_absolute_url()}"' in attention


def test_officer_sees_the_questions_waiting_for_an_answer(client, infra):
    officer = MembershipFactory(organisation=infra).user
    call = ProcurementCallFactory(buyer=infra, title="Cryostat valves")
    ClarificationFactory.create_batch(2, call=call)
    ProcurementCallFactory(buyer=infra, title="A draft call", status=ProcurementCall.Status.DRAFT)
    client.force_login(officer)
    html = _html(client)
    questions = reverse("tenders:call_questions", args=[call.pk])
    assert f'href="{questions}"' in html
    assert "2 questions waiting for your answer on “Cryostat valves”" in html
    assert "“A draft call” is a draft to publish" in html
    # a company member of another organisation sees none of it
    client.force_login(MembershipFactory(organisation=OrganisationFactory()).user)
    assert "Cryostat valves" not in _html(client).split("home-open")[0]


def test_admin_sees_requests_to_decide(client):
    company = OrganisationFactory(name="CryoTest ApS")
    admin = MembershipFactory(organisation=company, role=Membership.Role.ADMIN).user
    JoinRequestFactory(
        organisation=company, user=UserFactory(email="newcomer@example.org"), status="pending"
    )
    cluster = ClusterFactory(name="Nordic Cryo Cluster", approval=Approval.APPROVED)
    manager = MembershipFactory(organisation=cluster, role=Membership.Role.ADMIN).user
    ClusterMembershipFactory(
        cluster=cluster, member=company, status=Decision.PENDING, invited=False
    )
    client.force_login(admin)
    html = _html(client)
    people = reverse("organisations:organisation_people", args=[company.slug])
    assert f'href="{people}"' in html and "newcomer@example.org asks to join CryoTest ApS" in html
    client.force_login(manager)
    assert "CryoTest ApS asks to join Nordic Cryo Cluster" in _html(client)


def test_staff_see_the_organisations_awaiting_approval(client):
    ClusterFactory(approval=Approval.PENDING)
    client.force_login(StaffFactory())
    html = _html(client)
    assert "1 organisation waits for your approval" in html
    assert f'href="{reverse("organisations:approval_queue")}"' in html


# --------------------------------------------------------------------------- query counts
def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(HOME).status_code == 200
    return len(ctx.captured_queries)


def _more(infra, user, company, n: int) -> None:
    for i in range(n):
        call = ProcurementCallFactory(buyer=infra, title=f"Call {i}", deadline_days=3 + i % 5)
        ClarificationFactory(call=call)
        ExpressionOfInterestFactory(call=call, organisation=company)
        event = EventFactory(title=f"Event {i}")
        RegistrationFactory(event=event, user=user, status="confirmed" if i % 2 else "waitlisted")
        Notification.objects.create(user=user, key=f"q{n}-{i}", title=f"Note {i}")
        JoinRequestFactory(organisation=company, status="pending")


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "signed-in"])
def test_query_count_does_not_grow_with_what_is_shown(client, infra, signed_in, settings):
    company = OrganisationFactory()
    user = MembershipFactory(organisation=company, role=Membership.Role.ADMIN).user
    MembershipFactory(organisation=infra, user=user)  # also an officer
    if signed_in:
        client.force_login(user)
    counts = []
    for n in (1, 8):
        _more(infra, user, company, n)
        from django.core.cache import cache

        cache.clear()  # a visitor's page must be rendered, not served from the cache
        forget_labels()  # from cold: the memoised code labels would hide their query
        counts.append(_queries(client))
    assert counts[0] == counts[1], counts
    assert counts[1] <= (25 if signed_in else 6), counts
