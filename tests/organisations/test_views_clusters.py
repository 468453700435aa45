"""organisations/views/clusters.py: the cluster manager's member list on the shared stack."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bigscience_portal.core.lists import PortalListView
from organisations.models import Decision, Membership
from organisations.views.clusters import ClusterMemberListView
from tests.factories import (
    ClusterMembershipFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

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
    assert (
        'Decide<span class="visually-hidden"> on Other Vac GmbH</span>' in pending.content.decode()
    )
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


# --- the members list as a working tool (issue 18, finding 6) ----------------------------------


def _list(client, world, **params):
    client.force_login(world.manager)
    url = reverse("organisations:cluster_members", args=[world.cluster.slug])
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def test_pending_requests_come_first_then_members_then_the_refused(client, world):
    ClusterMembershipFactory(
        cluster=world.cluster, member=OrganisationFactory(name="Zeta Pending"), status="pending"
    )
    ClusterMembershipFactory(
        cluster=world.cluster, member=OrganisationFactory(name="Alpha Refused"), status="rejected"
    )
    ClusterMembershipFactory(
        cluster=world.cluster, member=OrganisationFactory(name="Beta Member"), status="approved"
    )
    response = _list(client, world)
    shown = [cm.member.name for cm in response.context["memberships"]]
    assert shown == ["Zeta Pending", "Acme Cryo ApS", "Beta Member", "Alpha Refused"]
    page = response.content.decode()
    assert page.index("Zeta Pending") < page.index("Acme Cryo ApS") < page.index("Alpha Refused")
    by_name = _list(client, world, sort="name").context["memberships"]
    assert [cm.member.name for cm in by_name][:2] == ["Acme Cryo ApS", "Alpha Refused"]


def test_verify_is_offered_only_for_members_not_yet_verified(client, world):
    unverified = OrganisationFactory(name="Fresh Member ApS")
    ClusterMembershipFactory(cluster=world.cluster, member=unverified, status="approved")
    world.company.verified_at = world.company.created_at
    world.company.verified_by_cluster = world.cluster
    world.company.save()
    page = _list(client, world).content.decode()
    verify = reverse("organisations:organisation_verify", args=[unverified.slug])
    assert f'href="{verify}">Verify<span class="visually-hidden"> Fresh Member ApS</span>' in page
    assert 'Verify<span class="visually-hidden"> Acme Cryo ApS</span>' not in page
    # the verified member shows its mark, and a quieter link to renew it
    assert 'Renew<span class="visually-hidden"> the verification of Acme Cryo ApS</span>' in page
    assert "Not verified" in page


def test_the_buttons_name_the_company_for_screen_readers_only(client, world):
    ClusterMembershipFactory(cluster=world.cluster, member=world.other_company)  # pending
    page = _list(client, world).content.decode()
    assert 'Decide<span class="visually-hidden"> on Other Vac GmbH</span>' in page
    assert 'Edit profile<span class="visually-hidden"> of Acme Cryo ApS</span>' in page
    assert 'Invite people<span class="visually-hidden"> of Acme Cryo ApS</span>' in page
    assert "Invite the people of" not in page and "Decide on Other" not in page


def test_the_members_list_filters_by_verified_and_taken_over(client, world):
    administered = OrganisationFactory(name="Run By Its People")
    ClusterMembershipFactory(cluster=world.cluster, member=administered, status="approved")
    MembershipFactory(user=UserFactory(), organisation=administered, role=Membership.Role.ADMIN)
    administered.verified_at = administered.created_at
    administered.save()
    nobody = OrganisationFactory(name="Imported Nobody")
    ClusterMembershipFactory(cluster=world.cluster, member=nobody, status="approved")

    def shown(**params):
        return [cm.member.name for cm in _list(client, world, **params).context["memberships"]]

    assert shown(verified="yes") == ["Run By Its People"]
    assert "Run By Its People" not in shown(verified="no")
    assert "Imported Nobody" in shown(verified="no")
    assert shown(taken_over="no") == ["Imported Nobody"]
    assert set(shown(taken_over="yes")) == {"Acme Cryo ApS", "Run By Its People"}
    page = _list(client, world, verified="yes").content.decode()
    assert "Filtered by:" in page and "Verified: Verified" in page


def test_the_members_filters_say_any_instead_of_dashes(client, world):
    page = _list(client, world).content.decode()
    assert "---------" not in page
    for label in ("Any status", "Verified or not", "Taken over or not"):
        assert f'<option value="" selected>{label}</option>' in page or f">{label}<" in page
    assert "Requests to decide first" in page


def test_the_members_table_stacks_its_cells_on_a_phone(client, world):
    page = _list(client, world).content.decode()
    assert 'class="table align-middle org-members-table"' in page
    assert '<td data-label="Status">Approved</td>' in page
    assert "css/organisations.css" in page
