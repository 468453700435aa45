"""Expressions of interest through ``tenders.services.interest``."""

import pytest

from bigscience_portal.core.errors import ActionRefused
from tenders import services
from tenders.models import ExpressionOfInterest
from tests.factories import ProcurementCallFactory

from .conftest import expire

pytestmark = pytest.mark.django_db


def test_interest_submit_withdraw_and_again(buyer, company, sme_user):
    call = ProcurementCallFactory(buyer=buyer, status="published")
    eoi = services.eoi_submit(
        call=call, organisation=company, user=sme_user, message="We can", partners="A\nB"
    )
    with pytest.raises(ActionRefused, match="already expressed interest"):
        services.eoi_submit(call=call, organisation=company, user=sme_user)
    services.eoi_withdraw(eoi=eoi, user=sme_user)
    eoi.refresh_from_db()
    assert eoi.status == "withdrawn" and eoi.withdrawn_at is not None
    again = services.eoi_submit(call=call, organisation=company, user=sme_user, message="Back")
    assert again.pk == eoi.pk and again.status == "active"
    assert ExpressionOfInterest.objects.count() == 1


def test_interest_cannot_be_withdrawn_after_the_deadline(buyer, company, sme_user):
    call = ProcurementCallFactory(buyer=buyer, status="published")
    eoi = services.eoi_submit(call=call, organisation=company, user=sme_user)
    expire(call)
    eoi.refresh_from_db()
    with pytest.raises(ActionRefused, match="deadline has passed"):
        services.eoi_withdraw(eoi=eoi, user=sme_user)


def test_interest_on_a_closed_call_is_refused(buyer, company, sme_user):
    with pytest.raises(ActionRefused, match="no longer accepts"):
        services.eoi_submit(
            call=ProcurementCallFactory(buyer=buyer, status="closed"),
            organisation=company,
            user=sme_user,
        )


def test_interest_only_for_companies(buyer, officer):
    with pytest.raises(ActionRefused, match="Only companies"):
        services.eoi_submit(
            call=ProcurementCallFactory(buyer=buyer, status="published"),
            organisation=buyer,
            user=officer,
        )
