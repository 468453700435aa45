"""organisations/services.py: profiles, curation history, verification, invitations, join and
cluster requests, and their e-mails (through core.mail.mail_queue)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.models import MailDelivery
from organisations import services, signals
from organisations.models import (
    ClusterMembership,
    Decision,
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    ProfileChange,
)
from tests.factories import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    UserFactory,
)

from .helpers import profile_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile_signals():
    received = []

    def receiver(sender, organisation_id, **kwargs):
        received.append(organisation_id)

    signals.profile_changed.connect(receiver, dispatch_uid="test-receiver")
    yield received
    signals.profile_changed.disconnect(dispatch_uid="test-receiver")


def test_cluster_manager_edit_is_recorded_and_shown_on_history(client, world, profile_signals):
    client.force_login(world.manager)
    url = reverse("organisations:organisation_edit", args=[world.company.slug])
    response = client.post(
        url, profile_post(world.company, cpv_codes="42123000 39700000-9", city="Odense")
    )
    assert response.status_code == 302
    change = ProfileChange.objects.get(organisation=world.company)
    assert change.changed_by == world.manager
    assert change.on_behalf_of == world.cluster
    assert change.changes["city"] == ["Aarhus", "Odense"]
    assert change.changes["cpv_codes"] == [[], ["39700000", "42123000"]]
    assert profile_signals == [world.company.pk]
    client.force_login(world.editor)
    history = client.get(
        reverse("organisations:organisation_history", args=[world.company.slug])
    ).content.decode()
    assert "on behalf of the cluster Nordic Cluster" in history
    assert "manager@cluster.example" in history or world.manager.get_full_name() in history
    assert "Odense" in history
    assert "39700000, 42123000" in history  # codes recorded as a list, shown as one


def test_own_edit_has_no_cluster_and_references_formset_saves(client, world):
    client.force_login(world.editor)
    data = profile_post(world.company)
    data.update(
        {
            "references-TOTAL_FORMS": "1",
            "references-0-client_name": "CERN",
            "references-0-year": "2022",
            "references-0-value_band": "B",
            "references-0-description": "Cryogenic transfer line, 120 m",
        }
    )
    response = client.post(
        reverse("organisations:organisation_edit", args=[world.company.slug]), data
    )
    assert response.status_code == 302
    ref = world.company.references.get()
    assert (ref.client_name, ref.year, ref.value_band) == ("CERN", 2022, "B")
    change = ProfileChange.objects.get(organisation=world.company)
    assert change.on_behalf_of is None and "references" in change.changes
    page = client.get(world.company.get_absolute_url()).content.decode()
    assert "Cryogenic transfer line, 120 m" in page


def test_create_makes_the_creator_administrator_with_a_unique_slug(client, world):
    client.force_login(world.other_user)
    data = profile_post(world.company)  # same name as an existing organisation
    response = client.post(reverse("organisations:organisation_create"), data)
    assert response.status_code == 302
    created = Organisation.objects.exclude(pk=world.company.pk).get(name=world.company.name)
    assert created.slug != world.company.slug
    assert Membership.objects.get(user=world.other_user, organisation=created).role == "admin"


def test_verification_records_cluster_user_and_time(client, world, profile_signals):
    client.force_login(world.manager)
    client.post(reverse("organisations:organisation_verify", args=[world.company.slug]))
    world.company.refresh_from_db()
    assert world.company.verified_by == world.manager
    assert world.company.verified_by_cluster == world.cluster
    assert world.company.verified_at is not None
    assert profile_signals == [world.company.pk]
    page = client.get(world.company.get_absolute_url()).content.decode()
    assert "Verified" in page and "by Nordic Cluster" in page


def test_signed_in_user_accepts_once_and_expired_links_are_refused(client, world):
    invitation = services.invitation_create(
        organisation=world.company, email="x@example.org", role="admin", invited_by=world.editor
    )
    user = UserFactory(email="x@example.org")
    client.force_login(user)
    url = reverse("organisations:invitation_accept", args=[invitation.token])
    assert "Join" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert Membership.objects.get(user=user, organisation=world.company).role == "admin"
    other = UserFactory()
    client.force_login(other)
    response = client.post(url, follow=True)
    assert "This invitation has expired or has already been used." in response.content.decode()
    assert not Membership.objects.filter(user=other, organisation=world.company).exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_by == user
    expired = InvitationFactory(
        organisation=world.company, expires_at=timezone.now() - timedelta(days=1)
    )
    with pytest.raises(ActionRefused, match="expired"):
        services.invitation_accept(invitation=expired, user=other)


def test_join_request_mails_admins_and_approval_mails_the_requester(client, world, committed):
    requester = UserFactory(email="wants.in@example.org")
    client.force_login(requester)
    url = reverse("organisations:join_request_create", args=[world.company.slug])
    with committed():
        assert client.post(url, {"message": "I work there"}).status_code == 302
    jr = JoinRequest.objects.get(user=requester)
    assert mail.outbox[-1].to == ["editor@acme.example"]  # the administrators, not the editors
    assert "wants.in@example.org asks to join Acme Cryo ApS" in mail.outbox[-1].subject
    assert "/organisations/acme-cryo/people/" in mail.outbox[-1].body
    # a second request while pending is refused, and says so
    response = client.post(url, {"message": "again"}, follow=True)
    assert "already waiting for a decision" in response.content.decode()
    assert JoinRequest.objects.filter(user=requester).count() == 1

    client.force_login(world.editor)
    people = client.get(reverse("organisations:organisation_people", args=[world.company.slug]))
    assert "wants.in@example.org" in people.content.decode()
    decide = reverse("organisations:join_request_decide", args=[jr.pk])
    with committed():
        client.post(decide, {"decision": "approve"})
    assert Membership.objects.get(user=requester, organisation=world.company).role == "editor"
    assert mail.outbox[-1].to == ["wants.in@example.org"]
    assert "You joined Acme Cryo ApS" in mail.outbox[-1].subject
    # deciding again is refused
    with pytest.raises(ActionRefused):
        services.join_request_reject(join_request=jr, decided_by=world.editor)
    response = client.post(decide, {"decision": "reject"}, follow=True)
    assert "This request has already been decided." in response.content.decode()


def test_rejected_join_request_tells_the_requester(world, committed):
    requester = UserFactory(email="no@example.org")
    jr = services.join_request_create(organisation=world.company, user=requester)
    with committed():
        services.join_request_reject(join_request=jr, decided_by=world.editor)
    assert "declined" in mail.outbox[-1].subject
    assert not Membership.objects.filter(user=requester, organisation=world.company).exists()


def test_a_member_cannot_ask_to_join_again(world):
    with pytest.raises(ActionRefused, match="already a member"):
        services.join_request_create(organisation=world.company, user=world.company_editor)


def test_cluster_membership_request_and_decision_mail_both_sides(client, world, committed):
    client.force_login(world.other_user)
    url = reverse("organisations:cluster_membership_request", args=[world.other_company.slug])
    with committed():
        client.post(url, {"cluster": world.cluster.pk, "message": "We build pumps"})
    cm = ClusterMembership.objects.get(cluster=world.cluster, member=world.other_company)
    assert cm.status == Decision.PENDING and cm.requested_by == world.other_user
    assert mail.outbox[-1].to == ["manager@cluster.example"]
    assert "Other Vac GmbH asks to join Nordic Cluster" in mail.outbox[-1].subject
    # a repeated request is refused with a message next to the field
    response = client.post(url, {"cluster": world.cluster.pk})
    assert response.status_code == 200
    assert "already a member" in response.content.decode()
    assert response.context["form"].errors["cluster"]

    client.force_login(world.manager)
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert "Other Vac GmbH asks to join Nordic Cluster" in dashboard
    with committed():
        client.post(
            reverse("organisations:cluster_membership_decide", args=[cm.pk]),
            {"decision": "approve"},
        )
    assert mail.outbox[-1].to == ["user@other.example"]
    assert "Other Vac GmbH is now a member of Nordic Cluster" in mail.outbox[-1].subject
    # the manager may now edit the new member's profile
    edit = reverse("organisations:organisation_edit", args=[world.other_company.slug])
    assert client.get(edit).status_code == 200


def test_clusters_take_members_and_never_themselves(world):
    with pytest.raises(ActionRefused, match="Only clusters") as refused:
        services.cluster_membership_request(
            member=world.company, cluster=world.other_company, requested_by=world.editor
        )
    assert refused.value.field == "cluster"
    with pytest.raises(ActionRefused, match="itself"):
        services.cluster_membership_request(
            member=world.cluster, cluster=world.cluster, requested_by=world.manager
        )


def test_rejected_cluster_request_can_be_made_again(world, committed):
    cm = services.cluster_membership_request(
        member=world.other_company, cluster=world.cluster, requested_by=world.other_user
    )
    with committed():
        services.cluster_membership_reject(cluster_membership=cm, decided_by=world.manager)
    assert "declined" in mail.outbox[-1].subject
    with committed():
        again = services.cluster_membership_request(
            member=world.other_company, cluster=world.cluster, requested_by=world.other_user
        )
    assert again.pk == cm.pk and again.status == Decision.PENDING
    # the request after the rejection is a new occasion: the manager is told again
    assert mail.outbox[-1].to == ["manager@cluster.example"]
    requested = MailDelivery.objects.filter(key__contains=f"cluster_membership:{cm.pk}:requested")
    assert requested.count() == 2


def test_every_mail_is_one_delivery_record_per_recipient(world, committed):
    """Mails go through core.mail.mail_queue: a MailDelivery per recipient, linked to the
    user when known, sent after the commit."""
    second_admin = UserFactory(email="second.admin@acme.example")
    MembershipFactory(user=second_admin, organisation=world.company, role=Membership.Role.ADMIN)
    requester = UserFactory(email="applicant@example.org")
    with committed():
        services.join_request_create(organisation=world.company, user=requester)
    deliveries = MailDelivery.objects.filter(key__startswith="organisations.join_request:")
    assert sorted(d.to for d in deliveries) == ["editor@acme.example", "second.admin@acme.example"]
    assert {d.user for d in deliveries} == {world.editor, second_admin}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "editor@acme.example",
        "second.admin@acme.example",
    ]
    assert all(d.status == MailDelivery.Status.SUCCEEDED for d in deliveries.all())


def test_nothing_is_sent_before_the_commit(world):
    """The delivery waits, queued, for the commit: a rolled-back request mails nobody."""
    services.join_request_create(organisation=world.company, user=UserFactory())
    assert mail.outbox == []
    assert MailDelivery.objects.filter(status=MailDelivery.Status.QUEUED).count() == 1


def test_dashboard_lists_organisations_with_role_and_edit_links(client, world):
    jr = JoinRequestFactory(
        user=UserFactory(email="pending@example.org"), organisation=world.company
    )
    client.force_login(world.editor)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Acme Cryo ApS" in page and "Administrator" in page
    assert reverse("organisations:organisation_edit", args=[world.company.slug]) in page
    assert jr.user.email in page
