"""A small directory shared by the organisations tests: two companies, two clusters, staff."""

from dataclasses import dataclass, field

import pytest

from organisations.models import ClusterMembership, Decision, Membership, Organisation
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
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
    company_editor: object  # editor (not administrator) of ``company``
    other_user: object  # administrator of ``other_company``
    manager: object  # administrator of ``cluster``
    other_manager: object  # administrator of ``other_cluster``
    staff: object
    cluster_membership: ClusterMembership
    #: objects a test case adds (a pending request, an invitation...)
    extra: dict = field(default_factory=dict)

    @property
    def users(self) -> dict:
        """The actors of the role matrix (tests/roles.py)."""
        return {
            "anonymous": None,
            "other_org": self.other_user,
            "company_admin": self.editor,
            "company_editor": self.company_editor,
            "cluster_manager": self.manager,
            "other_manager": self.other_manager,
            "staff": self.staff,
        }


@pytest.fixture
def world(db) -> World:
    company = OrganisationFactory(name="Acme Cryo ApS", slug="acme-cryo", country="DK")
    other_company = OrganisationFactory(name="Other Vac GmbH", slug="other-vac", country="DE")
    cluster = ClusterFactory(name="Nordic Cluster", slug="nordic-cluster")
    other_cluster = ClusterFactory(name="Southern Cluster", slug="southern-cluster")
    editor = UserFactory(email="editor@acme.example")
    company_editor = UserFactory(email="writer@acme.example")
    other_user = UserFactory(email="user@other.example")
    manager = UserFactory(email="manager@cluster.example")
    other_manager = UserFactory(email="manager@southern.example")
    MembershipFactory(user=editor, organisation=company, role=Membership.Role.ADMIN)
    MembershipFactory(user=company_editor, organisation=company, role=Membership.Role.EDITOR)
    MembershipFactory(user=other_user, organisation=other_company, role=Membership.Role.ADMIN)
    MembershipFactory(user=manager, organisation=cluster, role=Membership.Role.ADMIN)
    MembershipFactory(user=other_manager, organisation=other_cluster, role=Membership.Role.ADMIN)
    cm = ClusterMembershipFactory(cluster=cluster, member=company, status=Decision.APPROVED)
    return World(
        company=company,
        other_company=other_company,
        cluster=cluster,
        other_cluster=other_cluster,
        editor=editor,
        company_editor=company_editor,
        other_user=other_user,
        manager=manager,
        other_manager=other_manager,
        staff=StaffFactory(email="staff@portal.example"),
        cluster_membership=cm,
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): <action>`` runs what the action left for after its commit (the
    mails it queued): a test's transaction is never committed."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
