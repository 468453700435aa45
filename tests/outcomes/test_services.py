"""Steps copied from the other apps' records, recorded and corrected by the company, awards
linked by staff, figures imported (outcomes.services, outcomes.receivers)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from bigscience_portal.core.errors import ActionRefused
from matchmaking.services import match_forward, supplier_invite
from outcomes import services
from outcomes.contribution_sheet import SheetRefused, read_contributions, read_rates
from outcomes.models import Contribution, FunnelStep
from tenders.services import eoi_withdraw
from tests.factories import AwardFactory, MembershipFactory

pytestmark = pytest.mark.django_db
Kind = FunnelStep.Kind


def kinds(company, call):
    return sorted(
        FunnelStep.objects.filter(
            company=company, call=call, retracted_at__isnull=True
        ).values_list("kind", flat=True)
    )


def test_a_forward_an_invitation_and_interest_are_steps_with_who_and_when(world):
    manager, officer = world.users["cluster_manager"], world.users["officer"]
    match_forward(cluster=world.cluster, company=world.company, call=world.call, user=manager)
    supplier_invite(call=world.call, company=world.company, user=officer)
    assert kinds(world.company, world.call) == ["bid", "forwarded", "interest", "invited"]
    forwarded = FunnelStep.objects.get(kind=Kind.FORWARDED)
    assert (forwarded.via, forwarded.recorded_by) == (world.cluster, manager)
    invited = FunnelStep.objects.get(kind=Kind.INVITED)
    assert (invited.via, invited.recorded_by) == (world.buyer, officer)
    # forwarding again (sent once) writes nothing new
    match_forward(cluster=world.cluster, company=world.company, call=world.call, user=manager)
    assert FunnelStep.objects.filter(kind=Kind.FORWARDED).count() == 1


def test_withdrawing_interest_is_a_step(world):
    eoi_withdraw(eoi=world.eoi, user=world.users["company"])
    assert "withdrawn" in kinds(world.company, world.call)


def test_the_company_records_and_corrects_its_steps(world):
    user = world.users["company"]
    lost = services.step_record(
        company=world.company,
        call=world.call,
        kind=Kind.LOST,
        user=user,
        occurred_on=timezone.localdate(),
    )
    services.step_correct(
        step=lost,
        user=user,
        occurred_at=timezone.localdate() - dt.timedelta(days=3),
        note="Late notice",
    )
    lost.refresh_from_db()
    change = lost.changes.get()
    assert change.changed_by == user and set(change.changes) == {"occurred_at", "note"}
    with pytest.raises(ActionRefused):
        services.step_record(
            company=world.company,
            call=world.call,
            kind=Kind.BID,
            user=user,
            occurred_on=timezone.localdate(),
        )  # a bid is already recorded: correct it instead
    with pytest.raises(ActionRefused):
        services.step_record(
            company=world.company,
            call=world.call,
            kind=Kind.AWARDED,
            user=user,
            occurred_on=timezone.localdate(),
        )  # awards come from the call's awards, not from the company
    with pytest.raises(ActionRefused):
        services.step_correct(
            step=lost, user=user, occurred_at=timezone.localdate() + dt.timedelta(days=1)
        )


def test_a_retracted_copied_step_stays_retracted_when_its_source_is_saved_again(world):
    step = FunnelStep.objects.get(source=f"tenders.eoi:{world.eoi.pk}")
    services.step_retract(step=step, user=world.users["company"], note="a colleague's mistake")
    world.eoi.message = "changed"
    world.eoi.save()
    step.refresh_from_db()
    assert step.retracted_at is not None


def test_staff_link_an_unlinked_winner_and_the_funnel_moves(world):
    award = AwardFactory(
        call=world.past, supplier=None, supplier_name="Nord-Vac", supplier_country="DK"
    )
    assert not FunnelStep.objects.filter(
        source=f"tenders.award:{award.pk}", retracted_at__isnull=True
    ).exists()
    services.award_link_decide(award=award, organisation=world.company, user=world.users["staff"])
    assert FunnelStep.objects.get(source=f"tenders.award:{award.pk}").company == world.company
    # a re-import that saves the award again (its supplier still unknown to it) keeps the link
    award.save()
    assert FunnelStep.objects.get(source=f"tenders.award:{award.pk}").retracted_at is None


def test_contributions_are_imported_with_their_source(world):
    data = b"country,year,share_percent\nDK,2024,1.76\nDE,2024,19.88\n"
    rows = read_contributions(data, countries={"DK", "DE"})
    result = services.contributions_import(
        infrastructure=world.buyer, rows=rows, source_title="CERN Council scale"
    )
    assert (result.created, result.updated) == (2, 0)
    assert (
        Contribution.objects.get(infrastructure=world.buyer, country="DE", year=2024).source.title
        == "CERN Council scale"
    )


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"country,year\nDK,2024\n", "must name the columns"),
        (b"country,year,share_percent\nXX,2024,1\n", "not a country code"),
        (b"country,year,share_percent\nDK,2024,101\n", "percentage from 0 to 100"),
        (b"country,year,share_percent\nDK,2024,1e999999\n", "percentage from 0 to 100"),
        (b"country,year,share_percent\nDK,99999999999,1\n", "between 1950 and 2100"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"country,year,share_percent\n" + b"DK,2024,1\n" * 2, "given twice"),
    ],
)
def test_a_bad_contribution_sheet_is_refused_whole(data, says):
    with pytest.raises(SheetRefused) as refused:
        read_contributions(data, countries={"DK"})
    assert says in str(refused.value)


def test_rates_are_read_and_stored():
    rows = read_rates(b"currency,valid_from,eur_per_unit\nchf,2024-01-02,1.0712\n")
    assert rows[0].currency == "CHF" and rows[0].eur_per_unit == Decimal("1.0712")
    assert services.rates_import(rows=rows, source="ECB").created == 1
    assert services.rates_import(rows=rows, source="ECB").unchanged == 1
    with pytest.raises(SheetRefused):
        read_rates(b"currency,valid_from,eur_per_unit\nCHF,yesterday,1\n")


def test_only_a_member_of_the_company_may_record(world, client):
    from django.urls import reverse

    other = MembershipFactory().user
    client.force_login(other)
    url = reverse("outcomes:call_steps", args=[world.company.slug, world.call.pk])
    assert client.post(url, {"kind": "bid"}).status_code == 404
