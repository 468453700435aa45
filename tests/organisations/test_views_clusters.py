"""organisations/views/clusters.py: the cluster manager's member list on the shared stack."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bigscience_portal.core.lists import PortalListView
from organisations.models import Decision
from organisations.views.clusters import ClusterMemberListView
from tests.factories import ClusterMembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _members(cluster, n, status=Decision.APPROVED):
    for i in range(n):
        ClusterMembershipFactory(
            cluster=cluster,
            member=OrganisationFactory(name=f"Member {i:02d}", cpv_codes=["42123000"]),
            status=status,
        )


def test_the_members_page_is_a_filtered_table_that_pages(client, world):
    assert issubclass(ClusterMemberListView, PortalListView)
    _members(world.cluster, 30)
    ClusterMembershipFactory(cluster=world.cluster, member=world.other_company)  # pending
    client.force_login(world.manager)
    url = reverse("organisations:cluster_members", args=[world.cluster.slug])
    first = client.get(url)
    assert len(first.context["memberships"]) == 25
    page = first.content.decode()
    assert '<th scope="col">Actions</th>' in page and "Page 1 of 2" in page
    pending = client.get(url, {"status": "pending"})
    assert [cm.member.name for cm in pending.context["memberships"]] == ["Other Vac GmbH"]
    assert "Decide on Other Vac GmbH" in pending.content.decode()
    found = client.get(url, {"q": "member 07"})
    assert [cm.member.name for cm in found.context["memberships"]] == ["Member 07"]
    second = client.get(url, {"page": 2})
    assert len(second.context["memberships"]) == 7  # 30 + the world's member + the request


def test_the_members_page_says_when_there_is_nobody(client, world):
    client.force_login(world.other_manager)
    url = reverse("organisations:cluster_members", args=[world.other_cluster.slug])
    assert "No members or requests yet." in client.get(url).content.decode()


def test_the_members_page_query_count_does_not_grow_with_page_size(client, world):
    _members(world.cluster, 60)
    client.force_login(world.manager)
    url = reverse("organisations:cluster_members", args=[world.cluster.slug])
    counts = {}
    for size in (10, 50):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"per_page": size})
        assert len(response.context["memberships"]) == size
        counts[size] = len(ctx.captured_queries)
    assert counts[10] == counts[50], counts
