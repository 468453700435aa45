"""The pages: clear messages for bad input, the agenda of a 360 Xchange in order, the panel on
both cluster profiles, the host's cancellation of a place and the end of a partnership as the
people involved see them, and the account deletion and data download covering this app's
rows."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from events.models import Event, Registration
from exchanges import services
from exchanges.models import MOTIVATION_MAX, Application, Exchange
from organisations.countries import EEA_COUNTRIES
from people import personal_data
from tests.factories import EventFactory

from .conftest import company_of, member

pytestmark = pytest.mark.django_db


def _exchange_data(clusters, **changes):
    today = timezone.localdate()
    data = {
        "kind": "360",
        "title": "360 Xchange to the neutron source",
        "host_cluster": clusters.host.pk,
        "status": "published",
        "theme": "Neutron instruments",
        "starts_on": (today + timedelta(days=40)).isoformat(),
        "ends_on": (today + timedelta(days=42)).isoformat(),
        "time_zone": "Europe/Stockholm",
        "places": "12",
        "host_organisations": [clusters.ess.pk],
        "covered": "Travel and hotel",
        "eligible_clusters": [clusters.guest.pk],
        "eligible_countries": ["LT", "DK"],
    }
    data.update(changes)
    return data


def test_the_host_publishes_an_exchange(client, clusters):
    client.force_login(clusters.host_manager)
    response = client.post(reverse("exchanges:exchange_create"), _exchange_data(clusters))
    assert response.status_code == 302
    exchange = Exchange.objects.get()
    assert exchange.is_360 and exchange.places == 12
    assert list(exchange.host_organisations.all()) == [clusters.ess]
    assert [str(c) for c in exchange.eligible_countries] == ["DK", "LT"]
    page = client.get(exchange.get_absolute_url())
    assert "Neutron instruments" in page.text and "Lithuania" in page.text


def test_the_exchange_form_picks_countries_with_a_preset_without_javascript(client, clusters):
    client.force_login(clusters.host_manager)
    url = reverse("exchanges:exchange_create")
    page = client.get(url).content.decode()
    assert 'data-country-picker="eligible_countries"' in page
    assert 'type="checkbox" class="form-check-input" name="eligible_countries" value="LT"' in page
    for preset in ('value="eu">EU<', 'value="eea">EU/EEA<', 'value="any">Any country<'):
        assert preset in page
    assert 'value="buyer"' not in page
    data = _exchange_data(clusters, eligible_countries_preset="eea")
    assert client.post(url, data).status_code == 302
    exchange = Exchange.objects.get()
    assert [str(c) for c in exchange.eligible_countries] == sorted(EEA_COUNTRIES)
    edit = reverse("exchanges:exchange_edit", args=[exchange.slug])
    ticked = re.search(
        r'value="NO" id="id_eligible_countries_0_\d+" checked', client.get(edit).text
    )
    assert ticked  # the saved countries are ticked
    data = _exchange_data(clusters, eligible_countries_preset="any")
    assert client.post(edit, data).status_code == 302
    exchange.refresh_from_db()
    assert not exchange.eligible_countries  # any country: none listed


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"places": "0"}, "places", "greater than or equal to 1"),
        ({"places": "-3"}, "places", "greater than or equal to 1"),
        ({"places": "many"}, "places", "whole number"),
        ({"ends_on": "2020-01-01"}, "ends_on", "cannot come before the first day"),
        ({"starts_on": "not a date"}, "starts_on", "valid date"),
        ({"title": "Two\nlines"}, "title", "one line"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "not a known time zone"),
        ({"host_cluster": "999999"}, "host_cluster", "Select a valid choice"),
    ],
)
def test_bad_exchange_input_gets_a_clear_message(client, clusters, changes, field, message):
    client.force_login(clusters.host_manager)
    response = client.post(
        reverse("exchanges:exchange_create"), _exchange_data(clusters, **changes)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Exchange.objects.exists()


def test_a_manager_cannot_host_for_another_cluster(client, clusters):
    client.force_login(clusters.guest_manager)
    response = client.post(reverse("exchanges:exchange_create"), _exchange_data(clusters))
    assert response.status_code == 200
    assert "host_cluster" in response.context["form"].errors
    assert not Exchange.objects.exists()


@pytest.mark.parametrize(
    ("motivation", "message"),
    [("", "why your company"), ("x" * (MOTIVATION_MAX + 1), "at most 2000 characters")],
)
def test_motivation_required_and_capped_on_the_form(
    client, clusters, exchange, motivation, message
):
    client.force_login(clusters.applicant)
    response = client.post(
        reverse("exchanges:apply", args=[exchange.slug]),
        {"organisation": clusters.guest_company.pk, "motivation": motivation},
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["motivation"])
    assert not Application.objects.exists()


def test_apply_on_behalf_of_someone_elses_company_is_refused(client, clusters, exchange):
    client.force_login(clusters.applicant)
    response = client.post(
        reverse("exchanges:apply", args=[exchange.slug]),
        {"organisation": clusters.third_company.pk, "motivation": "Let us in."},
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Application.objects.exists()


def test_apply_accept_and_the_agenda_of_a_360_xchange_in_order(client, clusters):
    exchange = services.exchange_save(
        exchange=Exchange(
            kind=Exchange.Kind.XCHANGE_360,
            title="360 Xchange",
            host_cluster=clusters.host,
            theme="Neutrons",
            starts_on=timezone.localdate() + timedelta(days=30),
            ends_on=timezone.localdate() + timedelta(days=31),
            places=5,
            status=Exchange.Status.PUBLISHED,
        ),
        user=clusters.host_manager,
        eligible_clusters=[clusters.guest],
    )
    start = timezone.now() + timedelta(days=30)
    b2b = EventFactory(
        title="B2B session at the source",
        kind=Event.Kind.CONFERENCE,
        b2b_meetings=True,
        organisers=[clusters.host],
        starts_at=start + timedelta(hours=6),
        ends_at=start + timedelta(hours=8),
    )
    visit = EventFactory(
        title="Facility visit of the source",
        kind=Event.Kind.FACILITY_VISIT,
        organisers=[clusters.host],
        starts_at=start,
        ends_at=start + timedelta(hours=3),
    )
    client.force_login(clusters.host_manager)
    for event in (b2b, visit):
        assert (
            client.post(
                reverse("exchanges:agenda", args=[exchange.slug]), {"event": event.pk}
            ).status_code
            == 302
        )
    response = client.post(
        reverse("exchanges:agenda", args=[exchange.slug]),
        {
            "title": "Ends before it starts",
            "starts_at": "2030-01-02T10:00",
            "ends_at": "2030-01-02T09:00",
        },
    )
    assert "cannot end before it starts" in response.text

    client.force_login(clusters.applicant)
    assert client.get(reverse("exchanges:agenda", args=[exchange.slug])).status_code == 404
    client.post(
        reverse("exchanges:apply", args=[exchange.slug]),
        {"organisation": clusters.guest_company.pk, "motivation": "Neutron guides."},
    )
    application = Application.objects.get()
    client.force_login(clusters.host_manager)
    client.post(reverse("exchanges:application_accept", args=[application.pk]))
    assert Application.objects.get().status == Application.Status.ACCEPTED
    assert set(
        Registration.objects.filter(user=clusters.applicant).values_list("event", flat=True)
    ) == {b2b.pk, visit.pk}

    client.force_login(clusters.applicant)
    page = client.get(reverse("exchanges:agenda", args=[exchange.slug])).text
    assert page.index("Facility visit of the source") < page.index("B2B session at the source")
    assert "B2B meetings" in page


def test_an_active_partnership_shows_on_both_cluster_profiles(client, clusters, exchange):
    partnership = services.partnership_propose(
        proposer=clusters.host,
        partner=clusters.third,
        user=clusters.host_manager,
        goals="Joint visits",
        starts_on=timezone.localdate(),
    )
    page = client.get(clusters.third.get_absolute_url()).text
    assert "Partner clusters" not in page
    services.partnership_decide(partnership=partnership, user=clusters.third_manager, accept=True)
    host_page = client.get(clusters.host.get_absolute_url()).text
    third_page = client.get(clusters.third.get_absolute_url()).text
    assert "Partner clusters" in host_page and clusters.third.name in host_page
    assert "Partner clusters" in third_page and clusters.host.name in third_page
    assert exchange.title in host_page  # the exchanges it hosts


def test_account_deletion_and_download_cover_the_applications(client, clusters, exchange):
    application = services.application_create(
        exchange=exchange,
        user=clusters.applicant,
        organisation=clusters.guest_company,
        motivation="Personal motivation text",
    )
    services.application_decide(application=application, user=clusters.host_manager, accept=True)
    labels = {r.model._meta.label for r in personal_data.relations()}
    assert {"exchanges.Application", "exchanges.Exchange", "exchanges.Partnership"} <= labels
    assert "exchanges.Application" in personal_data.collect(clusters.applicant)
    assert "exchanges.Application" in personal_data.collect(clusters.host_manager)  # decided_by
    client.force_login(clusters.applicant)
    response = client.post(reverse("people:account_delete"), {"email": clusters.applicant.email})
    assert response.status_code == 302
    assert not Application.objects.filter(pk=application.pk).exists()
    client.force_login(clusters.host_manager)
    response = client.post(reverse("people:account_delete"), {"email": clusters.host_manager.email})
    assert response.status_code == 302
    # the cluster's exchange stays, and nobody is named as having decided
    assert Exchange.objects.filter(pk=exchange.pk).exists()


def test_the_users_area_shows_open_applications_and_what_the_host_has_to_decide(
    client, clusters, exchange
):
    services.application_create(
        exchange=exchange,
        user=clusters.applicant,
        organisation=clusters.guest_company,
        motivation="Neutron guides.",
    )
    client.force_login(clusters.applicant)
    page = client.get(reverse("core:dashboard")).text
    assert exchange.title in page and "Waiting for the host" in page
    client.force_login(clusters.host_manager)
    assert "1 application to decide" in client.get(reverse("core:dashboard")).text
    client.force_login(clusters.other_org)
    assert "Cluster exchanges" not in client.get(reverse("core:dashboard")).text


def _accepted(clusters, exchange, n):
    """``n`` guest members applied and accepted in turn (beyond the places: the waiting list)."""
    out = []
    for i in range(n):
        company = company_of(clusters.guest, name=f"Guest company {i}", country="LT")
        person = member(company, first_name=f"Person{i}", last_name="Guest")
        application = services.application_create(
            exchange=exchange, user=person, organisation=company, motivation="Neutron guides."
        )
        out.append(
            services.application_decide(
                application=application, user=clusters.host_manager, accept=True
            )
        )
    return out


def test_the_host_cancels_a_place_from_the_list_and_the_next_moves_up(
    client, clusters, exchange, django_capture_on_commit_callbacks
):
    exchange.places = 1
    exchange.save()
    first, second = _accepted(clusters, exchange, 2)
    assert second.status == Application.Status.WAITLISTED
    cancel_url = reverse("exchanges:application_cancel", args=[first.pk])
    client.force_login(clusters.host_manager)
    listing = client.get(reverse("exchanges:application_list", args=[exchange.slug])).text
    assert listing.count("Cancel the place…") == 1  # the accepted row only
    assert f'href="{cancel_url}"' in listing
    assert "of Person0 Guest" in listing  # the link names the person to screen readers
    assert "Cancel the place…" in client.get(first.get_absolute_url()).text

    page = client.get(cancel_url)
    assert "Cancel the place of Person0 Guest?" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url, {"reason": "The visit is for makers of choppers."})
    assert response.status_code == 302 and response["Location"] == first.get_absolute_url()
    page = client.get(first.get_absolute_url()).text
    assert "The place is cancelled; the participant is told by e-mail." in page
    assert "Person1 Guest moved up from the waiting list." in page
    assert "Place cancelled by the host" in page
    assert "The visit is for makers of choppers." in page
    assert "Cancel the place…" not in page
    assert Application.objects.get(pk=second.pk).status == Application.Status.ACCEPTED
    to_first = [m for m in mail.outbox if m.to == [first.applicant.email]][-1]
    assert to_first.subject.endswith(f"Place cancelled: {exchange.title}")
    assert "The visit is for makers of choppers." in to_first.body
    assert "also in your notifications" in to_first.body
    assert any(
        m.to == [second.applicant.email] and "Moved up from the waiting list" in m.subject
        for m in mail.outbox
    )
    client.force_login(first.applicant)
    assert "Place cancelled: " in client.get(reverse("core:notification_list")).text
    page = client.get(first.get_absolute_url()).text
    assert "Place cancelled by the host" in page and "Withdraw…" not in page


def test_a_too_long_reason_is_a_form_error_and_cancels_nothing(client, clusters, exchange):
    (application,) = _accepted(clusters, exchange, 1)
    client.force_login(clusters.host_manager)
    response = client.post(
        reverse("exchanges:application_cancel", args=[application.pk]), {"reason": "x" * 1001}
    )
    assert response.status_code == 200
    assert "at most 1000 characters" in " ".join(response.context["form"].errors["reason"])
    assert Application.objects.get(pk=application.pk).status == Application.Status.ACCEPTED


def test_cancelling_a_pending_application_is_refused_with_the_reason(client, clusters, exchange):
    application = services.application_create(
        exchange=exchange,
        user=clusters.applicant,
        organisation=clusters.guest_company,
        motivation="Neutron guides.",
    )
    client.force_login(clusters.host_manager)
    assert "Cancel the place…" not in client.get(application.get_absolute_url()).text
    response = client.post(
        reverse("exchanges:application_cancel", args=[application.pk]), follow=True
    )
    assert "only an accepted participant&#x27;s place can be cancelled" in response.text
    assert Application.objects.get(pk=application.pk).status == Application.Status.PENDING


def test_no_cancel_link_once_the_exchange_is_over(client, clusters, exchange):
    (application,) = _accepted(clusters, exchange, 1)
    Exchange.objects.filter(pk=exchange.pk).update(
        starts_on=timezone.localdate() - timedelta(days=5),
        ends_on=timezone.localdate() - timedelta(days=3),
    )
    client.force_login(clusters.host_manager)
    assert "Cancel the place…" not in client.get(application.get_absolute_url()).text
    listing = client.get(reverse("exchanges:application_list", args=[exchange.slug])).text
    assert "Cancel the place…" not in listing
    response = client.post(
        reverse("exchanges:application_cancel", args=[application.pk]), follow=True
    )
    assert "This exchange is over" in response.text


def test_a_partner_ends_the_partnership_and_both_profiles_show_it_ended(
    client, clusters, exchange, django_capture_on_commit_callbacks
):
    partnership = services.partnership_decide(
        partnership=services.partnership_propose(
            proposer=clusters.host,
            partner=clusters.third,
            user=clusters.host_manager,
            goals="Joint visits",
            starts_on=timezone.localdate(),
        ),
        user=clusters.third_manager,
        accept=True,
    )
    end_url = reverse("exchanges:partnership_end", args=[partnership.pk])
    client.force_login(clusters.third_applicant)
    assert client.get(reverse("exchanges:apply", args=[exchange.slug])).status_code == 200
    assert "End the partnership…" not in client.get(partnership.get_absolute_url()).text
    client.force_login(clusters.third_manager)
    page = client.get(partnership.get_absolute_url()).text
    assert f'href="{end_url}"' in page and "End the partnership…" in page
    assert "Reason (optional)" in client.get(end_url).text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(end_url, {"reason": "Our project ended."})
    assert response.status_code == 302
    today = date_format(timezone.localdate(), "j F Y")

    page = client.get(partnership.get_absolute_url()).text
    assert "The partnership is ended; both clusters&#x27; managers are told." in page
    assert f"Ended on {today}" in page and "Our project ended." in page
    assert "End the partnership…" not in page
    told = sorted(m.to[0] for m in mail.outbox if "Partnership ended" in m.subject)
    assert told == sorted([clusters.host_manager.email, clusters.third_manager.email])
    assert all("Our project ended." in m.body for m in mail.outbox if "ended" in m.subject)

    client.logout()
    for cluster, other in ((clusters.host, clusters.third), (clusters.third, clusters.host)):
        profile = client.get(cluster.get_absolute_url()).text
        assert "Partner clusters" not in profile
        assert "Former partner clusters" in profile and other.name in profile
        assert f"ended on {today}" in profile
    assert "Ended" in client.get(reverse("exchanges:partnership_list")).text
    detail = client.get(exchange.get_absolute_url()).text
    assert "partner clusters" not in detail and clusters.third.name not in detail
    client.force_login(clusters.third_applicant)
    assert client.get(reverse("exchanges:apply", args=[exchange.slug])).status_code == 403
