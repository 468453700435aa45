"""The selection of an exchange's participants: eligibility, the waiting list, withdrawal,
the host's cancellation of a place and promotion, the mails; the 360 Xchange's registration for
its linked events; partnerships, proposed, answered and ended."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bigscience_portal.core.dates import when
from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.models import MailDelivery, Notification
from events import services as event_services
from events.models import Event, Registration
from exchanges import selectors, services
from exchanges.models import MOTIVATION_MAX, Application, Exchange, Partnership
from tests.factories import EventFactory

from .conftest import ExchangeFactory, company_of, member

pytestmark = pytest.mark.django_db
Status = Application.Status
MOTIVATION = "We make neutron guides and want to meet the instrument scientists."


class _Outbox:
    """The mails the services queued (delivery records, written with the change), oldest first."""

    def __getitem__(self, index):
        return list(MailDelivery.objects.order_by("pk"))[index]

    def __iter__(self):
        return iter(MailDelivery.objects.order_by("pk"))


outbox = _Outbox()


def outbox_for(user):
    """The mails queued to ``user``, oldest first."""
    return list(MailDelivery.objects.filter(to=user.email).order_by("pk"))


def _apply(exchange, user, company):
    return services.application_create(
        exchange=exchange, user=user, organisation=company, motivation=MOTIVATION
    )


def _applicants(clusters, n):
    people = []
    for i in range(n):
        company = company_of(clusters.guest, name=f"Guest company {i}", country="LT")
        people.append((member(company), company))
    return people


def test_ten_places_fourteen_applications_ten_accepted_four_waiting_and_a_withdrawal_promotes(
    clusters, exchange
):
    applications = [_apply(exchange, u, c) for u, c in _applicants(clusters, 14)]
    for application in applications:
        services.application_decide(
            application=application, user=clusters.host_manager, accept=True
        )
    statuses = [Application.objects.get(pk=a.pk).status for a in applications]
    assert statuses.count(Status.ACCEPTED) == 10
    assert statuses.count(Status.WAITLISTED) == 4
    waiting = list(selectors.waitlist(exchange))
    assert [a.pk for a in waiting] == [a.pk for a in applications[10:]]
    assert [a.waitlist_position for a in waiting] == [1, 2, 3, 4]

    promoted = services.application_withdraw(
        application=applications[3], user=applications[3].applicant
    )
    assert promoted.pk == applications[10].pk  # first come
    assert Application.objects.get(pk=applications[10].pk).status == Status.ACCEPTED
    assert Application.objects.get(pk=applications[3].pk).status == Status.WITHDRAWN
    assert selectors.accepted_count(exchange) == 10
    assert selectors.waitlist(exchange).count() == 3
    subjects = [m.subject for m in outbox]
    assert any("Moved up from the waiting list" in s for s in subjects)
    assert any("On the waiting list" in s for s in subjects)
    assert any("Application withdrawn" in s for s in subjects)


def test_withdrawal_from_the_waiting_list_promotes_nobody(clusters, exchange):
    exchange.places = 1
    exchange.save()
    first, second = [_apply(exchange, u, c) for u, c in _applicants(clusters, 2)]
    services.application_decide(application=first, user=clusters.host_manager, accept=True)
    services.application_decide(application=second, user=clusters.host_manager, accept=True)
    assert services.application_withdraw(application=second, user=second.applicant) is None
    assert selectors.accepted_count(exchange) == 1


def test_accepted_mail_carries_the_agenda_and_a_notification(clusters, exchange):
    tour_starts = timezone.now() + timedelta(days=30)
    services.agenda_item_add(
        exchange=exchange,
        user=clusters.host_manager,
        title="Guided tour of the target station",
        starts_at=tour_starts,
    )
    application = _apply(exchange, clusters.applicant, clusters.guest_company)
    host_mail = outbox[-1]
    assert host_mail.to == clusters.host_manager.email
    assert "New application" in host_mail.subject
    services.application_decide(application=application, user=clusters.host_manager, accept=True)
    accepted = outbox[-1]
    assert accepted.to == clusters.applicant.email
    assert accepted.subject.endswith(f"Accepted: {exchange.title}")
    assert "Guided tour of the target station" in accepted.body
    # the item's start as the agenda page shows it (the exchange's zone, with its abbreviation)
    assert when(tour_starts, exchange.time_zone) in accepted.body
    assert f"/exchanges/{exchange.slug}/agenda/" in accepted.body
    assert Notification.objects.filter(
        user=clusters.applicant, title__startswith="Accepted"
    ).exists()


def test_decline_tells_the_applicant_and_closes_it(clusters, exchange):
    application = _apply(exchange, clusters.applicant, clusters.guest_company)
    services.application_decide(application=application, user=clusters.host_manager, accept=False)
    assert Application.objects.get(pk=application.pk).status == Status.DECLINED
    assert "Application declined" in outbox[-1].subject
    with pytest.raises(ActionRefused, match="nothing to decide"):
        services.application_decide(
            application=application, user=clusters.host_manager, accept=True
        )


@pytest.mark.parametrize(
    ("motivation", "message"),
    [("", "why your company"), ("   ", "why your company"), ("x" * (MOTIVATION_MAX + 1), "Keep")],
)
def test_motivation_is_required_and_capped(clusters, exchange, motivation, message):
    with pytest.raises(ActionRefused, match=message) as refused:
        services.application_create(
            exchange=exchange,
            user=clusters.applicant,
            organisation=clusters.guest_company,
            motivation=motivation,
        )
    assert refused.value.field == "motivation"


def test_only_members_of_eligible_clusters_in_eligible_countries_apply(clusters, exchange):
    with pytest.raises(ActionRefused, match="Only the members"):
        _apply(exchange, clusters.third_applicant, clusters.third_company)
    exchange.eligible_countries = ["DK"]
    exchange.save()
    with pytest.raises(ActionRefused, match="Only the members"):
        _apply(exchange, clusters.applicant, clusters.guest_company)  # a company in LT


def test_one_open_application_per_person_and_none_once_closed(clusters, exchange):
    _apply(exchange, clusters.applicant, clusters.guest_company)
    with pytest.raises(ActionRefused, match="already"):
        _apply(exchange, clusters.applicant, clusters.guest_company)
    exchange.applications_close_on = timezone.localdate() - timedelta(days=1)
    exchange.starts_on = timezone.localdate() + timedelta(days=1)
    exchange.save()
    other = member(clusters.guest_company)
    with pytest.raises(ActionRefused, match="does not take applications"):
        _apply(exchange, other, clusters.guest_company)


def test_only_the_host_decides(clusters, exchange):
    application = _apply(exchange, clusters.applicant, clusters.guest_company)
    for user in (clusters.guest_manager, clusters.applicant, clusters.other_org):
        with pytest.raises(ActionRefused, match="host cluster's managers"):
            services.application_decide(application=application, user=user, accept=True)


def test_exchange_dates_in_order_and_at_least_one_place(clusters):
    exchange = Exchange(
        host_cluster=clusters.host,
        title="Backwards",
        theme="Time travel",
        starts_on=timezone.localdate() + timedelta(days=5),
        ends_on=timezone.localdate() + timedelta(days=4),
        places=0,
    )
    with pytest.raises(ActionRefused) as refused:
        services.exchange_save(exchange=exchange, user=clusters.host_manager)
    assert "ends_on" in refused.value.errors and "places" in refused.value.errors
    exchange.ends_on, exchange.places = exchange.starts_on, 1
    with pytest.raises(ActionRefused, match="approved cluster you manage"):
        services.exchange_save(exchange=exchange, user=clusters.guest_manager)
    saved = services.exchange_save(exchange=exchange, user=clusters.host_manager)
    assert saved.slug == "backwards"


def test_more_places_move_the_waiting_list_up_and_fewer_than_accepted_are_refused(
    clusters, exchange
):
    exchange.places = 1
    exchange.save()
    first, second = [_apply(exchange, u, c) for u, c in _applicants(clusters, 2)]
    for application in (first, second):
        services.application_decide(
            application=application, user=clusters.host_manager, accept=True
        )
    exchange.places = 2
    services.exchange_save(exchange=exchange, user=clusters.host_manager)
    assert Application.objects.get(pk=second.pk).status == Status.ACCEPTED
    exchange.places = 1
    with pytest.raises(ActionRefused, match="2 participants are accepted"):
        services.exchange_save(exchange=exchange, user=clusters.host_manager)


def _xchange_360(clusters):
    exchange = ExchangeFactory(
        host_cluster=clusters.host,
        kind=Exchange.Kind.XCHANGE_360,
        eligible_clusters=[clusters.guest],
    )
    start = timezone.now() + timedelta(days=30)
    visit = EventFactory(
        kind=Event.Kind.FACILITY_VISIT,
        title="Visit of the neutron source",
        organisers=[clusters.host],
        host_infrastructure=clusters.ess,
        starts_at=start,
        ends_at=start + timedelta(hours=4),
    )
    conference = EventFactory(
        kind=Event.Kind.CONFERENCE,
        title="Neutron industry conference",
        organisers=[clusters.host, clusters.guest],
        starts_at=start + timedelta(days=1),
        ends_at=start + timedelta(days=1, hours=6),
    )
    b2b = EventFactory(
        kind=Event.Kind.CONFERENCE,
        title="B2B session",
        b2b_meetings=True,
        organisers=[clusters.host],
        starts_at=start + timedelta(days=1, hours=7),
        ends_at=start + timedelta(days=1, hours=9),
    )
    for event in (b2b, conference, visit):  # added out of order: the agenda sorts by time
        services.agenda_item_add(exchange=exchange, user=clusters.host_manager, event=event)
    return exchange, [visit, conference, b2b]


def test_360_acceptance_registers_the_company_for_every_linked_event_and_lists_them_in_order(
    clusters,
):
    exchange, events = _xchange_360(clusters)
    assert [i.event for i in selectors.agenda(exchange)] == events
    application = _apply(exchange, clusters.applicant, clusters.guest_company)
    services.application_decide(application=application, user=clusters.host_manager, accept=True)
    registrations = Registration.objects.filter(user=clusters.applicant)
    assert {r.event for r in registrations} == set(events)
    assert {r.organisation for r in registrations} == {clusters.guest_company}
    assert all(r.status == Registration.Status.CONFIRMED for r in registrations)
    assert set(application.registrations.all()) == set(registrations)
    # the withdrawal cancels them, through the events app
    services.application_withdraw(application=application, user=clusters.applicant)
    assert all(
        r.status == Registration.Status.CANCELLED
        for r in Registration.objects.filter(user=clusters.applicant)
    )


def test_360_acceptance_is_refused_with_the_reason_when_an_event_does_not_register(clusters):
    exchange, (visit, _conference, _b2b) = _xchange_360(clusters)
    Event.objects.filter(pk=visit.pk).update(registration_closes_at=timezone.now() - timedelta(1))
    application = _apply(exchange, clusters.applicant, clusters.guest_company)
    with pytest.raises(ActionRefused, match="Visit of the neutron source"):
        services.application_decide(
            application=application, user=clusters.host_manager, accept=True
        )
    assert Application.objects.get(pk=application.pk).status == Status.PENDING
    assert not Registration.objects.filter(user=clusters.applicant).exists()


def test_an_event_the_host_does_not_organise_cannot_be_linked(clusters, exchange):
    foreign = EventFactory(organisers=[clusters.third])
    with pytest.raises(ActionRefused, match="organises or co-organises"):
        services.agenda_item_add(exchange=exchange, user=clusters.host_manager, event=foreign)
    with pytest.raises(ActionRefused, match="title"):
        services.agenda_item_add(exchange=exchange, user=clusters.host_manager)


def test_an_active_partnership_opens_the_exchanges_to_the_partner_members(clusters, exchange):
    partnership = services.partnership_propose(
        proposer=clusters.host,
        partner=clusters.third,
        user=clusters.host_manager,
        goals="Joint visits to neutron sources.",
        starts_on=timezone.localdate(),
    )
    assert "proposes a partnership" in outbox[-1].subject
    assert outbox[-1].to == clusters.third_manager.email
    with pytest.raises(ActionRefused, match="Only the members"):
        _apply(exchange, clusters.third_applicant, clusters.third_company)
    with pytest.raises(ActionRefused, match="proposed cluster's managers"):
        services.partnership_decide(
            partnership=partnership, user=clusters.host_manager, accept=True
        )
    services.partnership_decide(partnership=partnership, user=clusters.third_manager, accept=True)
    assert Partnership.objects.get(pk=partnership.pk).status == Partnership.Status.ACTIVE
    assert "accepted the partnership" in outbox[-1].subject
    assert _apply(exchange, clusters.third_applicant, clusters.third_company).pk
    with pytest.raises(ActionRefused, match="already"):
        services.partnership_propose(
            proposer=clusters.third,
            partner=clusters.host,
            user=clusters.third_manager,
            goals="Again",
            starts_on=timezone.localdate(),
        )


def test_partnership_dates_in_order_and_goals_required(clusters):
    with pytest.raises(ActionRefused, match="end before"):
        services.partnership_propose(
            proposer=clusters.host,
            partner=clusters.guest,
            user=clusters.host_manager,
            goals="Visits",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() - timedelta(days=1),
        )
    with pytest.raises(ActionRefused, match="what the partnership is for"):
        services.partnership_propose(
            proposer=clusters.host,
            partner=clusters.guest,
            user=clusters.host_manager,
            goals="  ",
            starts_on=timezone.localdate(),
        )


def test_a_deleted_account_gives_its_place_to_the_first_on_the_waiting_list(clusters, exchange):
    from people.services import account_delete

    exchange.places = 1
    exchange.save()
    first, second = [_apply(exchange, u, c) for u, c in _applicants(clusters, 2)]
    services.application_decide(application=first, user=clusters.host_manager, accept=True)
    services.application_decide(application=second, user=clusters.host_manager, accept=True)
    assert Application.objects.get(pk=second.pk).status == Status.WAITLISTED
    account_delete(user=first.applicant)
    assert Application.objects.get(pk=second.pk).status == Status.ACCEPTED
    assert selectors.accepted_count(exchange) == 1


# --- the host cancels an accepted participant's place ------------------------------------------


def test_the_host_cancels_a_place_the_first_waiting_moves_up_and_the_participant_is_told(
    clusters, exchange
):
    exchange.places = 1
    exchange.save()
    first, second = [_apply(exchange, u, c) for u, c in _applicants(clusters, 2)]
    for application in (first, second):
        services.application_decide(
            application=application, user=clusters.host_manager, accept=True
        )
    promoted = services.application_cancel(
        application=first, user=clusters.host_manager, reason="Your company left the cluster."
    )
    assert promoted.pk == second.pk
    cancelled = Application.objects.get(pk=first.pk)
    assert cancelled.status == Status.CANCELLED
    assert cancelled.cancel_reason == "Your company left the cluster."
    assert cancelled.decided_by == clusters.host_manager
    assert Application.objects.get(pk=second.pk).status == Status.ACCEPTED
    assert selectors.accepted_count(exchange) == 1
    assert not selectors.waitlist(exchange).exists()
    told = MailDelivery.objects.get(to=first.applicant.email, subject__contains="Place cancelled")
    assert exchange.title in told.subject
    assert "Your company left the cluster." in told.body
    assert f"/exchanges/applications/{first.pk}/" in told.body
    assert Notification.objects.filter(
        user=first.applicant, title__startswith="Place cancelled"
    ).exists()
    assert MailDelivery.objects.filter(
        to=second.applicant.email, subject__contains="Moved up from the waiting list"
    ).exists()


def test_a_cancelled_place_without_a_waiting_list_is_simply_free(clusters, exchange):
    application = _apply(exchange, clusters.applicant, clusters.guest_company)
    services.application_decide(application=application, user=clusters.host_manager, accept=True)
    assert services.application_cancel(application=application, user=clusters.staff) is None
    assert selectors.accepted_count(exchange) == 0
    assert "The reason given" not in outbox[-1].body


def test_cancelling_a_360_place_cancels_the_registrations_the_exchange_made_only(clusters):
    exchange, (visit, conference, b2b) = _xchange_360(clusters)
    own = event_services.registration_create(
        event=conference, user=clusters.applicant, organisation=clusters.guest_company
    )
    application = _apply(exchange, clusters.applicant, clusters.guest_company)
    services.application_decide(application=application, user=clusters.host_manager, accept=True)
    made = set(application.registrations.all())
    assert {r.event for r in made} == {visit, b2b}
    services.application_cancel(application=application, user=clusters.host_manager)
    assert all(
        r.status == Registration.Status.CANCELLED
        for r in Registration.objects.filter(pk__in=[r.pk for r in made])
    )
    own.refresh_from_db()
    assert own.status == Registration.Status.CONFIRMED  # theirs: left alone
    assert "registrations for the linked events" in outbox_for(clusters.applicant)[-1].body


def test_cancelling_is_for_accepted_places_of_exchanges_not_over_and_for_the_host(
    clusters, exchange
):
    application = _apply(exchange, clusters.applicant, clusters.guest_company)
    with pytest.raises(ActionRefused, match="only an accepted participant's place"):
        services.application_cancel(application=application, user=clusters.host_manager)
    services.application_decide(application=application, user=clusters.host_manager, accept=True)
    for user in (clusters.applicant, clusters.guest_manager, clusters.third_manager):
        with pytest.raises(ActionRefused, match="host cluster's managers"):
            services.application_cancel(application=application, user=user)
    with pytest.raises(ActionRefused, match="Keep the reason to 1000 characters"):
        services.application_cancel(
            application=application, user=clusters.host_manager, reason="x" * 1001
        )
    Exchange.objects.filter(pk=exchange.pk).update(
        starts_on=timezone.localdate() - timedelta(days=3),
        ends_on=timezone.localdate() - timedelta(days=1),
    )
    with pytest.raises(ActionRefused, match="exchange is over"):
        services.application_cancel(application=application, user=clusters.host_manager)
    assert Application.objects.get(pk=application.pk).status == Status.ACCEPTED
    Exchange.objects.filter(pk=exchange.pk).update(ends_on=timezone.localdate())
    services.application_cancel(application=application, user=clusters.host_manager)
    with pytest.raises(ActionRefused, match="place cancelled by the host"):
        services.application_cancel(application=application, user=clusters.host_manager)


# --- ending a partnership ---------------------------------------------------------------------


def _partnership(clusters):
    partnership = services.partnership_propose(
        proposer=clusters.host,
        partner=clusters.third,
        user=clusters.host_manager,
        goals="Joint visits to neutron sources.",
        starts_on=timezone.localdate(),
    )
    return services.partnership_decide(
        partnership=partnership, user=clusters.third_manager, accept=True
    )


def test_an_ended_partnership_closes_the_exchanges_to_the_partner_members_and_tells_both(
    clusters, exchange
):
    partnership = _partnership(clusters)
    made = _apply(exchange, clusters.third_applicant, clusters.third_company)
    ended = services.partnership_end(
        partnership=partnership, user=clusters.third_manager, reason="The project is over."
    )
    assert ended.status == Partnership.Status.ENDED
    assert ended.ended_by == clusters.third_manager
    assert ended.ended_on == timezone.localdate()
    assert ended.end_reason == "The project is over."
    for manager in (clusters.host_manager, clusters.third_manager):
        mail = outbox_for(manager)[-1]
        assert mail.subject.endswith("Partnership ended: Host Cluster and Third Cluster")
        assert "The project is over." in mail.body
        assert f"/exchanges/partnerships/{partnership.pk}/" in mail.body
        assert Notification.objects.filter(
            user=manager, title__startswith="Partnership ended"
        ).exists()
    assert clusters.third.pk not in selectors.eligible_cluster_ids(exchange)
    assert selectors.partner_cluster_ids(clusters.third) == set()
    assert Application.objects.get(pk=made.pk).status == Status.PENDING  # made already: stays
    other = member(clusters.third_company)
    with pytest.raises(ActionRefused, match="Only the members"):
        _apply(exchange, other, clusters.third_company)
    # ended, it no longer stands in the way of a new proposal
    assert (
        services.partnership_propose(
            proposer=clusters.third,
            partner=clusters.host,
            user=clusters.third_manager,
            goals="Again, with a new project.",
            starts_on=timezone.localdate(),
        ).status
        == Partnership.Status.PROPOSED
    )


def test_only_a_party_s_managers_end_an_active_partnership(clusters):
    partnership = _partnership(clusters)
    for user in (clusters.guest_manager, clusters.third_applicant, clusters.other_org):
        with pytest.raises(ActionRefused, match="Only the managers of the two clusters"):
            services.partnership_end(partnership=partnership, user=user)
    services.partnership_end(partnership=partnership, user=clusters.staff)
    with pytest.raises(ActionRefused, match="not active"):
        services.partnership_end(partnership=partnership, user=clusters.host_manager)
    proposal = services.partnership_propose(
        proposer=clusters.host,
        partner=clusters.guest,
        user=clusters.host_manager,
        goals="Visits",
        starts_on=timezone.localdate(),
    )
    with pytest.raises(ActionRefused, match="not active"):
        services.partnership_end(partnership=proposal, user=clusters.host_manager)
    assert Partnership.objects.get(pk=proposal.pk).status == Partnership.Status.PROPOSED
