"""Fixtures for the calls tests: a buyer with its liaison officer, a company with its member."""

from datetime import timedelta

import pytest
from django.utils import timezone

from organisations.models import CPVCode
from tenders import services
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
def make_call(buyer, officer):
    """Create a call through the services, in the status asked for."""

    def make(status="published", *, deadline_days=20, main_cpv="31711420", extra_cpv=(), **fields):
        call_buyer = fields.pop("buyer", buyer)
        now = timezone.now()
        data = {
            "title": "Gyrotron RF source prototype",
            "description": "A 170 GHz continuous-wave gyrotron for plasma heating.",
            "main_cpv": CPVCode.objects.get(code=main_cpv),
            "tender_period_end": now + timedelta(days=deadline_days),
            "enquiry_period_end": now
            + timedelta(days=deadline_days)
            - timedelta(days=min(5, deadline_days / 2)),
        }
        data.update(fields)
        call = services.call_create(
            user=officer,
            buyer=call_buyer,
            fields=data,
            additional_cpv=CPVCode.objects.filter(code__in=list(extra_cpv)),
        )
        if status in ("published", "closed", "awarded", "cancelled"):
            services.call_publish(call=call, user=officer)
        if status in ("closed", "awarded"):
            services.call_close(call=call, user=officer)
        if status == "awarded":
            services.call_award(
                call=call,
                user=officer,
                awards=[services.AwardInput(None, "Winner GmbH", None, "EUR", None)],
            )
        if status == "cancelled":
            services.call_cancel(call=call, user=officer)
        call.refresh_from_db()
        return call

    return make


def expire(call: ProcurementCall, *, days: int = 1) -> ProcurementCall:
    """Move a call's deadlines into the past without going through the services."""
    past = timezone.now() - timedelta(days=days)
    ProcurementCall.objects.filter(pk=call.pk).update(
        tender_period_end=past, enquiry_period_end=past - timedelta(hours=1)
    )
    call.refresh_from_db()
    return call
