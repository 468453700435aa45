"""Fixtures for the calls tests: a buyer with its liaison officer, a company with its member.

Calls are built with ``tests.factories.ProcurementCallFactory`` (or through the services when a
test is about them)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tenders import signals
from tenders.models import ProcurementCall
from tests.factories import (
    InfrastructureFactory,
    MembershipFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """The test settings' cache is per process and outlives a test's rolled-back rows: start each
    test with an empty one (the calls list caches pages for anonymous visitors)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def buyer(db):
    return InfrastructureFactory(name="Fusion Test Lab", slug="fusion-test-lab", country="ES")


@pytest.fixture
def officer(buyer):
    return MembershipFactory(organisation=buyer).user


@pytest.fixture
def company(db):
    return OrganisationFactory(name="CryoTest ApS", slug="cryotest-aps", country="DK")


@pytest.fixture
def sme_user(company):
    return MembershipFactory(organisation=company).user


@pytest.fixture
def other_officer(db):
    """A liaison officer of another infrastructure."""
    return MembershipFactory(organisation=InfrastructureFactory()).user


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def plain_user(db):
    return UserFactory()


@pytest.fixture
def sent_signals():
    """Record the signals the services send (other apps listen to them)."""
    seen = []

    def receiver(signal, sender, **kwargs):
        seen.append((signal, kwargs))

    for signal in (signals.call_published, signals.call_changed, signals.call_status_changed):
        signal.connect(receiver, weak=False)
    yield seen
    for signal in (signals.call_published, signals.call_changed, signals.call_status_changed):
        signal.disconnect(receiver)


def expire(call: ProcurementCall, *, days: int = 1) -> ProcurementCall:
    """Move a call's deadlines into the past without going through the services."""
    past = timezone.now() - timedelta(days=days)
    ProcurementCall.objects.filter(pk=call.pk).update(
        tender_period_end=past, enquiry_period_end=past - timedelta(hours=1)
    )
    call.refresh_from_db()
    return call
