"""Staff's approval of research infrastructures, clusters and public authorities (issue 14,
finding 1): anyone could register "CERN" as an infrastructure and act as its liaison officer, or
a cluster and import members; an editor could turn their SME into an infrastructure. Now they
act and appear only once staff approved them, through a queue, recorded and mailed both ways."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bigscience_portal.core.models import MailDelivery
from organisations import permissions
from organisations.models import (
    Approval,
    ClusterMembership,
    Decision,
    Invitation,
    Membership,
    Organisation,
    ProfileChange,
)
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    MembershipFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
)

from .helpers import profile_post

pytestmark = pytest.mark.django_db

LIST = reverse("organisations:organisation_list")
AWAITS = "awaits approval by the portal staff"


def _register(client, user, kind, name, world, size_class=""):
    client.force_login(user)
    data = profile_post(
        world.company, kind=kind, name=name, size_class=size_class, status="published"
    )
    response = client.post(reverse("organisations:organisation_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Organisation.objects.get(name=name)


def _names(response) -> list[str]:
    return [o.name for o in response.context["page_obj"]]


def _mails(prefix: str):
    return MailDelivery.objects.filter(key__startswith=prefix).order_by("to")


def test_registering_an_infrastructure_waits_for_staff_and_acts_nowhere(client, world):
    """The probe's "CERN": published, with its creator as liaison officer."""
    StaffFactory(email="second.staff@portal.example")
    StaffFactory(email="gone.staff@portal.example", is_active=False)
    user = UserFactory(email="nobody@evil.example")
    cern = _register(client, user, "research_infrastructure", "CERN", world)
    assert cern.approval == Approval.PENDING and cern.approval_requested_by == user
    assert Membership.objects.get(user=user, organisation=cern).role == "admin"
    assert not permissions.may_act_as_privileged(cern)
    assert not permissions.liaison_infrastructures(user).exists()
    assert permissions.liaison_infrastructure_ids(user) == []
    assert not permissions.is_liaison_officer(user, cern)
    assert not permissions.roles_of(user)["liaison"]
    assert not Organisation.objects.acting().filter(pk=cern.pk).exists()
    # staff are asked: every active staff member, by e-mail
    asked = _mails(f"organisations.approval:{cern.pk}:requested")
    assert [d.to for d in asked] == ["second.staff@portal.example", "staff@portal.example"]
    assert "CERN asks to be approved as research infrastructure" in asked[0].subject
    assert reverse("organisations:approval_decide", args=[cern.pk]) in asked[0].body
    # tenders asks organisations.permissions: no call can be posted in CERN's name
    assert client.get(reverse("tenders:call_create")).status_code != 200
    # the creator sees that it waits, on its page and the dashboard
    page = client.get(cern.get_absolute_url()).content.decode()
    assert "Awaits approval by the portal staff" in page
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert "Awaits approval by the portal staff" in dashboard
    # nobody else sees it
    for other in (None, world.other_user):
        if other is None:
            client.logout()
        else:
            client.force_login(other)
        assert "CERN" not in _names(client.get(LIST))
        assert client.get(cern.get_absolute_url()).status_code == 404
        assert client.get(LIST, {"kind": "research_infrastructure"}).status_code == 200


def test_a_cluster_awaiting_approval_has_no_cluster_tools(client, world, committed):
    """kind=cluster gave member import and forwarding: its own people are told why not,
    outsiders get a 404 as for a cluster that does not exist."""
    user = UserFactory(email="founder@fake-cluster.example")
    cluster = _register(client, user, "cluster", "Fake Cluster", world)
    assert not permissions.can_manage_cluster(user, cluster)
    assert not permissions.managed_clusters(user).exists()
    urls = [
        reverse(f"organisations:{name}", args=[cluster.slug])
        for name in ("cluster_members", "member_import", "member_import_preview", "member_export")
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Fake Cluster awaits approval by the portal staff" in response.content.decode()
    sheet = b"name,country\nVictim Co,DK\n"
    response = client.post(urls[1], {"file": SimpleUploadedFile("m.csv", sheet)})
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Victim Co").exists()
    # an invitation would be an e-mail in the cluster's name
    invite = reverse("organisations:invitation_create", args=[cluster.slug])
    with committed():
        response = client.post(invite, {"email": "target@example.org", "role": "editor"})
    assert response.status_code == 403 and AWAITS in response.content.decode()
    assert not Invitation.objects.filter(organisation=cluster).exists()
    assert not MailDelivery.objects.filter(to="target@example.org").exists()
    people = client.get(reverse("organisations:organisation_people", args=[cluster.slug]))
    assert people.status_code == 200 and AWAITS in people.content.decode()
    client.force_login(world.other_user)
    for url in [*urls, invite]:
        assert client.get(url).status_code == 404, url


def test_an_unapproved_cluster_cannot_decide_membership_requests(client, world):
    cluster = ClusterFactory(name="Waiting Cluster", approval=Approval.PENDING)
    founder = UserFactory()
    MembershipFactory(user=founder, organisation=cluster, role=Membership.Role.ADMIN)
    cm = ClusterMembershipFactory(cluster=cluster, member=world.other_company)
    url = reverse("organisations:cluster_membership_decide", args=[cm.pk])
    client.force_login(founder)
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 403
    assert "Waiting Cluster awaits approval by the portal staff" in response.content.decode()
    client.force_login(world.other_manager)
    assert client.post(url, {"decision": "approve"}).status_code == 404
    assert ClusterMembership.objects.get(pk=cm.pk).status == Decision.PENDING


def test_a_company_cannot_ask_an_unapproved_cluster_and_the_filter_does_not_offer_it(client, world):
    cluster = ClusterFactory(name="Waiting Cluster", slug="waiting", approval=Approval.PENDING)
    client.force_login(world.other_user)
    url = reverse("organisations:cluster_membership_request", args=[world.other_company.slug])
    response = client.post(url, {"cluster": cluster.pk, "message": "hi"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ClusterMembership.objects.filter(cluster=cluster).exists()
    page = client.get(LIST)
    assert 'value="waiting"' not in page.content.decode()
    assert 'value="nordic-cluster"' in page.content.decode()


def test_members_cannot_change_the_kind(client, world):
    """An editor turned their SME into an infrastructure through the edit form."""
    client.force_login(world.company_editor)
    url = reverse("organisations:organisation_edit", args=[world.company.slug])
    assert 'name="kind"' not in client.get(url).content.decode()
    response = client.post(url, profile_post(world.company, kind="research_infrastructure"))
    assert response.status_code == 302
    company = Organisation.objects.get(pk=world.company.pk)
    assert company.kind == Organisation.Kind.SME
    assert company.approval == Approval.NOT_NEEDED
    assert not _mails("organisations.approval:").exists()


def test_staff_approve_through_the_queue_recorded_and_mailed(client, world, committed):
    founder = UserFactory(email="founder@newcluster.example")
    cluster = _register(client, founder, "cluster", "New Cluster", world)
    client.force_login(world.staff)
    queue = client.get(reverse("organisations:approval_queue"))
    assert [o.name for o in queue.context["organisations"]] == ["New Cluster"]
    page = queue.content.decode()
    assert "Approve New Cluster" in page and "founder@newcluster.example" in page
    decide = reverse("organisations:approval_decide", args=[cluster.pk])
    confirmation = client.get(decide, {"decision": "approve"}).content.decode()
    assert "Approve New Cluster as Cluster?" in confirmation
    with committed():
        response = client.post(decide, {"decision": "approve"})
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:approval_queue")
    cluster.refresh_from_db()
    assert cluster.approval == Approval.APPROVED
    assert cluster.approval_decided_by == world.staff and cluster.approval_decided_at
    assert permissions.may_act_as_privileged(cluster)
    change = ProfileChange.objects.filter(organisation=cluster).latest("pk")
    assert change.changed_by == world.staff
    assert change.changes == {"approval": ["pending", "approved"]}
    told = _mails(f"organisations.approval:{cluster.pk}:approved")
    assert [d.to for d in told] == ["founder@newcluster.example"]
    assert "New Cluster is approved on the portal" in told[0].subject
    assert client.get(reverse("organisations:approval_queue")).context["organisations"] == []
    client.logout()
    assert "New Cluster" in _names(client.get(LIST))
    client.force_login(founder)
    members = reverse("organisations:cluster_members", args=[cluster.slug])
    assert client.get(members).status_code == 200
    # deciding again says it is decided
    client.force_login(world.staff)
    again = client.post(decide, {"decision": "reject", "reason": "changed my mind"})
    assert again.status_code == 200
    assert "not waiting for approval" in again.content.decode()
    assert Organisation.objects.get(pk=cluster.pk).approval == Approval.APPROVED


def test_a_rejection_needs_a_reason_which_is_recorded_and_mailed(client, world, committed):
    founder = UserFactory(email="founder@fakeauthority.example")
    authority = _register(client, founder, "public_authority", "Fake Ministry", world)
    client.force_login(world.staff)
    decide = reverse("organisations:approval_decide", args=[authority.pk])
    response = client.post(decide, {"decision": "reject", "reason": "  "})
    assert response.status_code == 200
    assert "Say why, for its administrators." in response.content.decode()
    assert Organisation.objects.get(pk=authority.pk).approval == Approval.PENDING
    with committed():
        response = client.post(decide, {"decision": "reject", "reason": "No such ministry exists."})
    assert response.status_code == 302
    authority.refresh_from_db()
    assert authority.approval == Approval.REJECTED
    assert authority.approval_reason == "No such ministry exists."
    assert authority.approval_decided_by == world.staff
    change = ProfileChange.objects.filter(organisation=authority).latest("pk")
    assert change.changes["approval_reason"] == [None, "No such ministry exists."]
    told = _mails(f"organisations.approval:{authority.pk}:rejected").get()
    assert told.to == "founder@fakeauthority.example"
    assert "No such ministry exists." in told.body
    client.logout()
    assert client.get(authority.get_absolute_url()).status_code == 404
    client.force_login(founder)
    page = client.get(authority.get_absolute_url()).content.decode()
    assert "Not approved by the portal staff" in page and "No such ministry exists." in page


def test_staff_registering_an_infrastructure_approve_it_at_once(client, world):
    infra = _register(client, world.staff, "research_infrastructure", "Staff Lab", world)
    assert infra.approval == Approval.APPROVED and infra.approval_decided_by == world.staff
    assert not _mails("organisations.approval:").exists()
    client.logout()
    assert "Staff Lab" in _names(client.get(LIST))


def test_a_company_needs_no_approval(client, world):
    company = _register(client, world.other_user, "sme", "Plain SME ApS", world, "small")
    assert company.approval == Approval.NOT_NEEDED and company.is_acting
    assert not _mails("organisations.approval:").exists()


def _admin_post(org: Organisation, **overrides) -> dict:
    data = {
        "kind": org.kind,
        "name": org.name,
        "slug": org.slug,
        "acronym": "",
        "legal_name": "",
        "country": str(org.country),
        "city": org.city,
        "website": "",
        "email": "",
        "description": "",
        "size_class": org.size_class,
        "employees": "",
        "turnover_eur": "",
        "capabilities": org.capabilities,
        "member_states": [],
        "status": org.status,
        "verified_at_0": "",
        "verified_at_1": "",
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
        "references-MIN_NUM_FORMS": "0",
        "references-MAX_NUM_FORMS": "1000",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    data.update(overrides)
    return data


def test_staff_change_a_kind_in_the_admin_which_asks_for_approval_again(client, world):
    client.force_login(world.staff)
    url = reverse("admin:organisations_organisation_change", args=[world.company.pk])
    response = client.post(url, _admin_post(world.company, kind="cluster", size_class=""))
    assert response.status_code == 302, response.content.decode()[:3000]
    company = Organisation.objects.get(pk=world.company.pk)
    assert company.kind == Organisation.Kind.CLUSTER
    assert company.approval == Approval.PENDING and company.approval_requested_by == world.staff
    assert _mails(f"organisations.approval:{company.pk}:requested").exists()
    assert not permissions.may_act_as_privileged(company)
    # created in the admin: approved at once, by the staff member
    add = reverse("admin:organisations_organisation_add")
    new = OrganisationFactory.build(
        kind="research_infrastructure", name="Admin Lab", slug="admin-lab", size_class=""
    )
    response = client.post(add, _admin_post(new))
    assert response.status_code == 302, response.content.decode()[:3000]
    lab = Organisation.objects.get(slug="admin-lab")
    assert lab.approval == Approval.APPROVED and lab.approval_decided_by == world.staff


def test_a_cluster_that_waits_again_cannot_curate_its_members(client, world):
    """Its manager is told why on the member's edit and verify pages."""
    Organisation.objects.filter(pk=world.cluster.pk).update(approval=Approval.PENDING)
    client.force_login(world.manager)
    for name in ("organisation_edit", "organisation_verify"):
        response = client.get(reverse(f"organisations:{name}", args=[world.company.slug]))
        assert response.status_code == 403
        assert "Nordic Cluster awaits approval" in response.content.decode()
    assert not permissions.is_cluster_manager_of(world.manager, world.company)


def test_save_keeps_the_approval_consistent_with_the_kind(world):
    """Code with staff's authority (imports, the demo) creates approved organisations; an
    existing one that becomes privileged waits; other kinds need none."""
    created = Organisation.objects.create(kind="cluster", name="Imported", slug="imported")
    assert created.approval == Approval.APPROVED and created.approval_decided_at
    company = Organisation.objects.get(pk=world.company.pk)
    company.kind = Organisation.Kind.PUBLIC_AUTHORITY
    company.save(update_fields=["kind"])
    assert Organisation.objects.get(pk=company.pk).approval == Approval.PENDING
    company.kind = Organisation.Kind.SME
    company.save()
    assert Organisation.objects.get(pk=company.pk).approval == Approval.NOT_NEEDED


def test_the_migration_approves_every_existing_privileged_organisation(world):
    migration = importlib.import_module("organisations.migrations.0003_organisation_approval")
    Organisation.objects.filter(pk__in=[world.cluster.pk, world.other_cluster.pk]).update(
        approval=Approval.NOT_NEEDED, approval_decided_at=None
    )
    migration.approve_existing(django_apps, None)
    cluster = Organisation.objects.get(pk=world.cluster.pk)
    assert cluster.approval == Approval.APPROVED and cluster.approval_decided_at
    assert Organisation.objects.get(pk=world.company.pk).approval == Approval.NOT_NEEDED


def test_staff_dashboard_points_at_the_queue(client, world):
    ClusterFactory(name="Waiting One", approval=Approval.PENDING)
    client.force_login(world.staff)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "1 organisation waits for your approval" in page
    assert reverse("organisations:approval_queue") in page


def test_once_approved_the_infrastructure_acts(client, world):
    officer = UserFactory(email="ilo@real-lab.example")
    lab = _register(client, officer, "research_infrastructure", "Real Lab", world)
    client.force_login(world.staff)
    client.post(reverse("organisations:approval_decide", args=[lab.pk]), {"decision": "approve"})
    lab.refresh_from_db()
    assert permissions.is_liaison_officer(officer, lab)
    assert permissions.roles_of(officer)["liaison"]
    assert list(permissions.liaison_infrastructures(officer)) == [lab]
    client.force_login(officer)
    assert client.get(reverse("tenders:call_create")).status_code == 200
