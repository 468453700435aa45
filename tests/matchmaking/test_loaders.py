"""Loaders turn the ORM into the engine's dataclasses with a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matchmaking import loaders
from organisations.models import Organisation
from tests.factories import ContractReferenceFactory, FeedbackFactory, InfrastructureFactory

from .helpers import call, company

pytestmark = pytest.mark.django_db


def test_company_profile_carries_codes_certificates_references_and_feedback():
    infra = InfrastructureFactory()
    org = company(
        capabilities="Gyrotron test benches", cpv=("31600000",), country="FR", certs=("ISO 9001",)
    )
    ref = ContractReferenceFactory(
        organisation=org, client=infra, client_name=infra.name, year=2022, description="RF loads"
    )
    ref.cpv_codes.set(["31670000"])
    c = call(buyer=infra)
    FeedbackFactory(company=org, call=c, relevant=False, reason="wrong_domain")
    company(kind=Organisation.Kind.CLUSTER)  # not a company: not loaded
    company(status=Organisation.Status.DRAFT)  # unpublished: not loaded

    [profile] = loaders.load_companies()
    assert profile.id == org.pk
    assert profile.country == "FR"
    assert profile.cpv_codes == ("31600000",)
    assert profile.certifications == frozenset({"ISO 9001"})
    assert "Gyrotron test benches" in profile.capabilities and "RF loads" in profile.capabilities
    assert profile.references[0].client_id == infra.pk
    assert profile.references[0].cpv_codes == ("31670000",)
    assert profile.not_relevant == frozenset({c.pk})


def test_open_calls_exclude_drafts_and_past_deadlines():
    open_call = call(eligible=("DK", "SE"), certs=("ISO 9001",))
    call(status="draft")
    call(days=-1)
    [profile] = loaders.load_open_calls()
    assert profile.id == open_call.pk
    assert profile.eligible_countries == frozenset({"DK", "SE"})
    assert profile.required_certifications == frozenset({"ISO 9001"})
    assert profile.cpv_main == "31670000"


@pytest.mark.parametrize("loader", ["companies", "calls"])
def test_query_count_does_not_grow_with_rows(loader):
    def count(n):
        for _ in range(n):
            company(cpv=("31600000",), certs=("ISO 9001",))
            call(certs=("ISO 9001",))
        with CaptureQueriesContext(connection) as ctx:
            rows = loaders.load_companies() if loader == "companies" else loaders.load_open_calls()
        return len(ctx.captured_queries), len(rows)

    q_small, n_small = count(3)
    q_large, n_large = count(30)
    assert n_large == n_small + 30
    assert q_small == q_large
