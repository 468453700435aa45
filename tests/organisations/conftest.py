"""A small directory shared by the organisations tests: two companies, a cluster, staff."""

from dataclasses import dataclass

import pytest

from organisations.models import ClusterMembership, Decision, Membership, Organisation
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
)


@dataclass
class World:
    company: Organisation  # an SME, approved member of ``cluster``
    other_company: Organisation
    cluster: Organisation
    other_cluster: Organisation
    editor: object  # administrator of ``company``
    other_user: object  # administrator of ``other_company``
    manager: object  # administrator of ``cluster``
    other_manager: object  # administrator of ``other_cluster``
    staff: object
    cluster_membership: ClusterMembership


@pytest.fixture
def world(db) -> World:
    company = OrganisationFactory(name="Acme Cryo ApS", slug="acme-cryo", country="DK")
    other_company = OrganisationFactory(name="Other Vac GmbH", slug="other-vac", country="DE")
    cluster = ClusterFactory(name="Nordic Cluster", slug="nordic-cluster")
    other_cluster = ClusterFactory(name="Southern Cluster", slug="southern-cluster")
    editor = UserFactory(email="editor@acme.example")
    other_user = UserFactory(email="user@other.example")
    manager = UserFactory(email="manager@cluster.example")
    other_manager = UserFactory(email="manager@southern.example")
    MembershipFactory(user=editor, organisation=company, role=Membership.Role.ADMIN)
    MembershipFactory(user=other_user, organisation=other_company, role=Membership.Role.ADMIN)
    MembershipFactory(user=manager, organisation=cluster, role=Membership.Role.ADMIN)
    MembershipFactory(user=other_manager, organisation=other_cluster, role=Membership.Role.ADMIN)
    cm = ClusterMembership.objects.create(cluster=cluster, member=company, status=Decision.APPROVED)
    return World(
        company=company,
        other_company=other_company,
        cluster=cluster,
        other_cluster=other_cluster,
        editor=editor,
        other_user=other_user,
        manager=manager,
        other_manager=other_manager,
        staff=StaffFactory(email="staff@portal.example"),
        cluster_membership=cm,
    )
