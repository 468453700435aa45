"""The call page's "Brought to you" panel (``matchmaking.panels.call_outreach``): a company's
people see there that its cluster forwarded the call or the buyer invited it; nobody else does."""

import pytest
from django.urls import reverse

from tests.factories import (
    ClusterFactory,
    MatchForwardFactory,
    MembershipFactory,
    OrganisationFactory,
    ProcurementCallFactory,
    StaffFactory,
    SupplierInvitationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def outreach():
    call = ProcurementCallFactory(title="Helium transfer lines")
    company = OrganisationFactory(name="NordVac ApS")
    cluster = ClusterFactory(name="Cluster North")
    MatchForwardFactory(call=call, company=company, cluster=cluster)
    SupplierInvitationFactory(call=call, company=company)
    return call, company, cluster


def _page(client, user, call):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("tenders:call_detail", args=[call.pk])).content.decode()


def test_the_company_sees_who_brought_the_call_to_it(client, outreach):
    call, company, _cluster = outreach
    page = _page(client, MembershipFactory(organisation=company).user, call)
    assert "Brought to you" in page
    assert "Cluster North forwarded this call to NordVac ApS on" in page
    assert f"{call.buyer.name} invited NordVac ApS to express interest on" in page


@pytest.mark.parametrize("who", ["anonymous", "other_company", "cluster_manager", "staff"])
def test_nobody_else_sees_it(client, outreach, who):
    call, _company, cluster = outreach
    user = {
        "anonymous": lambda: None,
        "other_company": lambda: MembershipFactory(organisation=OrganisationFactory()).user,
        "cluster_manager": lambda: MembershipFactory(organisation=cluster).user,
        "staff": StaffFactory,
    }[who]()
    page = _page(client, user, call)
    assert "Helium transfer lines" in page and "Brought to you" not in page
