"""Profiles handed over to the companies (issue 17): claiming an imported profile by a verified
address at the website's domain or by an invitation, a cluster manager inviting a member's
people (approved by its administrators when it has some), a cluster inviting a company, role
changes and removals that never leave an organisation without an administrator, requests to
join an organisation nobody administers going to staff, and who took over each profile."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.models import MailDelivery, Notification
from organisations import domains, services
from organisations.models import (
    ClusterMembership,
    Decision,
    Invitation,
    JoinRequest,
    Membership,
    MembershipChange,
    Organisation,
)
from tests.factories import (
    ClusterMembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.roles import LOGIN, Access, check_access, expect, matrix

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "other_org",
    "company_admin",
    "cluster_manager",
    "other_manager",
    "staff",
    "claimant",
)


@pytest.fixture
def imported(world):
    """NordCryo as a member sheet brings it in: a draft nobody keeps, member of the cluster."""
    org = OrganisationFactory(
        name="NordCryo ApS",
        slug="nordcryo",
        website="https://nordcryo.demo.example/",
        status=Organisation.Status.DRAFT,
    )
    ClusterMembershipFactory(cluster=world.cluster, member=org, status=Decision.APPROVED)
    return org


@pytest.fixture
def claimant(db):
    return UserFactory(email="anna@nordcryo.demo.example")


@pytest.fixture
def hw(world, imported, claimant):
    """The world of this module: the organisations tests' world, the imported profile and
    someone of NordCryo."""
    world.extra["imported"] = imported
    world.extra["claimant"] = claimant
    users = dict(world.users, claimant=claimant)
    return {"w": world, "users": users, **world.extra}


def _mails(prefix):
    return list(MailDelivery.objects.filter(key__startswith=prefix).order_by("to"))


# --- the domain rule (pure) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "ok"),
    [
        ("anna@nordcryo.demo.example", True),
        ("Anna@NordCryo.Demo.Example", True),
        ("anna@mail.nordcryo.demo.example", True),
        ("anna@gmail.com", False),
        ("anna@outlook.com", False),
        ("anna@yahoo.com", False),
        ("anna@other.demo.example", False),
        ("anna@demo.example", False),
        ("anna@evilnordcryo.demo.example", False),
        ("anna@nordcryo.demo.example.evil.example", False),
        ("not-an-address", False),
    ],
)
def test_an_address_belongs_to_the_website_domain_or_its_subdomains(email, ok):
    assert domains.address_at_website(email, "https://nordcryo.demo.example/") is ok


@pytest.mark.parametrize(
    "email", ["a@gmail.com", "a@googlemail.com", "a@hotmail.co.uk", "a@yahoo.fr", "a@gmx.de"]
)
def test_free_mail_is_refused_even_when_the_website_is_there(email):
    assert domains.is_free_mail(domains.email_domain(email))
    site = "https://" + domains.email_domain(email)
    assert not domains.address_at_website(email, site)


@pytest.mark.parametrize(
    ("email", "website", "ok"),
    [
        # a known ending: the registrable domain and its subdomains claim
        ("anna@nordcryo.co.uk", "https://shop.nordcryo.co.uk/", True),
        ("anna@mail.nordcryo.co.uk", "https://shop.nordcryo.co.uk/", True),
        ("anna@nordcryo.dk", "https://www.nordcryo.dk/", True),
        ("anna@other.co.uk", "https://shop.nordcryo.co.uk/", False),
        ("anna@co.uk", "https://shop.nordcryo.co.uk/", False),
        # a suffix of the list's private section is an ending like a country's
        ("anna@nordcryo.github.io", "https://nordcryo.github.io/", True),
        ("anna@rival.github.io", "https://nordcryo.github.io/", False),
        ("anna@github.io", "https://nordcryo.github.io/", False),
        # an ending the list does not know keeps the host
        ("anna@shop.demo.example", "https://shop.demo.example/", True),
        ("anna@other.demo.example", "https://shop.demo.example/", False),
    ],
)
def test_the_claim_domain_is_the_registrable_domain_of_the_public_suffix_list(email, website, ok):
    assert domains.address_at_website(email, website) is ok


def test_the_claim_page_names_the_registrable_domain():
    assert domains.claim_domain("https://shop.nordcryo.co.uk/x") == "nordcryo.co.uk"
    assert domains.claim_domain("https://nordcryo.demo.example/") == "nordcryo.demo.example"
    assert domains.claim_domain("") == ""


def test_www_is_not_part_of_the_domain():
    assert domains.website_domain("https://www.acme.example:8443/about") == "acme.example"
    assert domains.address_at_website("x@acme.example", "www.acme.example")
    assert domains.website_domain("") == ""


# --- claiming by the website's domain -----------------------------------------------------------


def test_claiming_with_an_address_at_the_website_domain_makes_an_administrator(
    client, hw, committed
):
    world, org = hw["w"], hw["imported"]
    client.force_login(hw["claimant"])
    page = client.get(reverse("organisations:profile_claim", args=[org.slug]))
    assert page.status_code == 200
    assert "nordcryo.demo.example" in page.content.decode()
    with committed():
        response = client.post(
            reverse("organisations:profile_claim", args=[org.slug]),
            {"email": "anna@nordcryo.demo.example"},
        )
    assert response.status_code == 302 and response["Location"] == org.get_absolute_url()
    assert Membership.objects.get(organisation=org, user=hw["claimant"]).role == "admin"
    change = MembershipChange.objects.get(organisation=org)
    assert change.action == "claimed" and change.person == hw["claimant"]
    assert change.changed_by == hw["claimant"] and change.created_at
    assert "anna@nordcryo.demo.example" in change.detail
    # the cluster's manager is told, by mail and in the notification centre
    told = [m for m in mail.outbox if m.to == ["manager@cluster.example"]]
    assert told and "took over the profile of NordCryo ApS" in told[0].subject
    assert "anna@nordcryo.demo.example" in told[0].body
    assert Notification.objects.filter(user=world.manager, url=org.get_absolute_url()).exists()
    assert not [m for m in mail.outbox if m.to == ["manager@southern.example"]]
    # and it is in the claimant's area
    area = client.get(reverse("core:dashboard")).content.decode()
    assert "NordCryo ApS" in area


def test_claiming_with_a_free_mail_address_is_refused(client, hw):
    org = hw["imported"]
    user = UserFactory(email="anna.nordcryo@gmail.com")
    with pytest.raises(ActionRefused, match="free e-mail provider"):
        services.profile_claim(organisation=org, user=user, email="anna.nordcryo@gmail.com")
    client.force_login(user)
    page = client.get(reverse("organisations:profile_claim", args=[org.slug]))
    assert page.status_code == 404  # a draft, and nothing proves the user is of the company
    org.status = Organisation.Status.PUBLISHED
    org.save()
    page = client.get(reverse("organisations:profile_claim", args=[org.slug]))
    assert page.status_code == 200 and "free e-mail provider" in page.content.decode()
    response = client.post(
        reverse("organisations:profile_claim", args=[org.slug]),
        {"email": "anna.nordcryo@gmail.com"},
    )
    assert response.status_code == 200  # not a choice: the form says so
    assert not Membership.objects.filter(organisation=org).exists()
    assert not MembershipChange.objects.filter(organisation=org).exists()


def test_gmail_is_refused_even_when_the_website_is_on_gmail(world):
    org = OrganisationFactory(website="https://gmail.com/")
    user = UserFactory(email="someone@gmail.com")
    with pytest.raises(ActionRefused, match="free e-mail provider"):
        services.profile_claim(organisation=org, user=user, email="someone@gmail.com")


def test_a_subdomain_address_claims_and_a_sibling_domain_does_not(hw):
    org = hw["imported"]
    sibling = UserFactory(email="eve@other.demo.example")
    with pytest.raises(ActionRefused, match=r"is not an address at nordcryo\.demo\.example"):
        services.profile_claim(organisation=org, user=sibling, email="eve@other.demo.example")
    sub = UserFactory(email="bo@lab.nordcryo.demo.example")
    services.profile_claim(organisation=org, user=sub, email="bo@lab.nordcryo.demo.example")
    assert Membership.objects.get(organisation=org, user=sub).role == "admin"


def test_an_unverified_address_does_not_claim(hw):
    EmailAddress.objects.filter(user=hw["claimant"]).update(verified=False)
    with pytest.raises(ActionRefused, match="verified"):
        services.profile_claim(
            organisation=hw["imported"], user=hw["claimant"], email="anna@nordcryo.demo.example"
        )


def test_a_profile_with_people_cannot_be_claimed(hw):
    org = hw["imported"]
    services.profile_claim(
        organisation=org, user=hw["claimant"], email="anna@nordcryo.demo.example"
    )
    second = UserFactory(email="bo@nordcryo.demo.example")
    with pytest.raises(ActionRefused, match="already has people"):
        services.profile_claim(organisation=org, user=second, email="bo@nordcryo.demo.example")
    assert org.memberships.count() == 1


def test_the_users_area_offers_the_profiles_they_can_claim(client, hw):
    client.force_login(hw["claimant"])
    area = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("organisations:profile_claim", args=["nordcryo"]) in area
    client.force_login(hw["w"].other_user)
    area = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("organisations:profile_claim", args=["nordcryo"]) not in area


# --- a cluster manager invites the people of a member -------------------------------------------


def test_the_manager_invites_the_administrator_of_a_profile_nobody_has(client, hw, committed):
    world, org = hw["w"], hw["imported"]
    client.force_login(world.manager)
    page = client.get(reverse("organisations:member_invite", args=[org.slug]))
    assert page.status_code == 200 and 'name="role"' not in page.content.decode()
    with committed():
        response = client.post(
            reverse("organisations:member_invite", args=[org.slug]),
            {"email": "anna@nordcryo.demo.example"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(organisation=org)
    assert invitation.role == "admin" and invitation.is_open
    assert invitation.on_behalf_of == world.cluster
    assert [m.to for m in mail.outbox] == [["anna@nordcryo.demo.example"]]
    # the list of members says an invitation waits
    members = client.get(reverse("organisations:cluster_members", args=[world.cluster.slug]))
    assert "Invitation pending" in members.content.decode()
    # the invitee accepts: a claim, recorded, and the list says so
    client.force_login(hw["claimant"])
    with committed():
        accepted = client.post(reverse("organisations:invitation_accept", args=[invitation.token]))
    assert accepted.status_code == 302
    assert Membership.objects.get(organisation=org, user=hw["claimant"]).role == "admin"
    change = MembershipChange.objects.get(organisation=org, action="claimed")
    assert "invitation of manager@cluster.example" in change.detail
    client.force_login(world.manager)
    members = client.get(reverse("organisations:cluster_members", args=[world.cluster.slug]))
    assert "Claimed on" in members.content.decode()


def test_for_a_company_with_administrators_they_approve_first(client, hw, committed):
    world = hw["w"]
    client.force_login(world.manager)
    page = client.get(reverse("organisations:member_invite", args=[world.company.slug]))
    assert 'name="role"' in page.content.decode()
    with committed():
        client.post(
            reverse("organisations:member_invite", args=[world.company.slug]),
            {"email": "new.person@acme.example", "role": "editor"},
        )
    invitation = Invitation.objects.get(email="new.person@acme.example")
    assert invitation.status == Decision.PENDING and not invitation.is_open
    assert not [m for m in mail.outbox if m.to == ["new.person@acme.example"]]
    assert [m.to for m in mail.outbox] == [["editor@acme.example"]]
    assert "asks to invite new.person@acme.example" in mail.outbox[0].subject
    # the administrator sees it on the people page and in their area, confirms, it is sent
    client.force_login(world.editor)
    people = client.get(reverse("organisations:organisation_people", args=[world.company.slug]))
    assert reverse("organisations:held_invitation_decide", args=[invitation.pk]) in (
        people.content.decode()
    )
    url = reverse("organisations:held_invitation_decide", args=[invitation.pk])
    assert "Approve and send" in client.get(url).content.decode()
    mail.outbox.clear()
    with committed():
        assert client.post(url, {"decision": "approve"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.is_open and invitation.decided_by == world.editor
    assert sorted(m.to[0] for m in mail.outbox) == [
        "manager@cluster.example",
        "new.person@acme.example",
    ]
    with pytest.raises(ActionRefused, match="already been decided"):
        services.held_invitation_decline(invitation=invitation, decided_by=world.editor)


def test_a_declined_invitation_is_never_sent(hw, committed):
    world = hw["w"]
    with committed():
        invitation = services.member_invitation_create(
            organisation=world.company,
            email="nobody@acme.example",
            role="editor",
            invited_by=world.manager,
            cluster=world.cluster,
        )
        services.held_invitation_decline(invitation=invitation, decided_by=world.editor)
    assert not [m for m in mail.outbox if m.to == ["nobody@acme.example"]]
    assert [m for m in mail.outbox if m.to == ["manager@cluster.example"]]
    invitation.refresh_from_db()
    assert invitation.status == Decision.REJECTED and not invitation.is_open


@pytest.mark.parametrize(
    "email",
    [
        "anna@nordcryo.demo.example\r\nBcc: victim@example.org",
        "a" * 5000 + "@x.example",
        "<script>",
    ],
)
def test_hostile_addresses_are_refused_with_a_message(client, hw, email):
    client.force_login(hw["w"].manager)
    response = client.post(
        reverse("organisations:member_invite", args=[hw["imported"].slug]), {"email": email}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Invitation.objects.exists()


# --- a cluster invites a company ----------------------------------------------------------------


def test_a_cluster_invites_a_company_whose_administrator_accepts(client, hw, committed):
    world = hw["w"]
    client.force_login(world.other_manager)
    with committed():
        response = client.post(
            reverse("organisations:cluster_invite", args=[world.other_cluster.slug]),
            {"member": world.company.pk, "message": "Join us for the ESS exchange."},
        )
    assert response.status_code == 302
    cm = ClusterMembership.objects.get(cluster=world.other_cluster, member=world.company)
    assert cm.invited and cm.status == Decision.PENDING
    assert [m.to for m in mail.outbox] == [["editor@acme.example"]]
    assert "Southern Cluster invites Acme Cryo ApS" in mail.outbox[0].subject
    url = reverse("organisations:cluster_membership_decide", args=[cm.pk])
    # the cluster's manager sees its invitation but does not decide it
    assert client.get(url).status_code == 200
    assert client.post(url, {"decision": "approve"}).status_code == 403
    client.force_login(world.editor)
    assert "Southern Cluster invites" in client.get(reverse("core:dashboard")).content.decode()
    mail.outbox.clear()
    with committed():
        response = client.post(url, {"decision": "approve"})
    assert response.status_code == 302
    cm.refresh_from_db()
    assert cm.status == Decision.APPROVED and cm.decided_by == world.editor
    assert [m.to for m in mail.outbox] == [["manager@southern.example"]]
    assert "accepted" in mail.outbox[0].subject


def test_a_company_nobody_administers_cannot_be_invited(hw):
    with pytest.raises(ActionRefused, match="nobody in the portal"):
        services.cluster_invitation_create(
            cluster=hw["w"].other_cluster, member=hw["imported"], invited_by=hw["w"].other_manager
        )


def test_a_company_can_decline_and_the_cluster_is_told(hw, committed):
    world = hw["w"]
    with committed():
        cm = services.cluster_invitation_create(
            cluster=world.other_cluster, member=world.company, invited_by=world.other_manager
        )
        services.cluster_invitation_decline(cluster_membership=cm, decided_by=world.editor)
    assert ClusterMembership.objects.get(pk=cm.pk).status == Decision.REJECTED
    assert "declined" in mail.outbox[-1].subject


def test_a_company_that_declined_an_invitation_may_ask_itself_and_the_manager_decides(hw):
    world = hw["w"]
    cm = services.cluster_invitation_create(
        cluster=world.other_cluster, member=world.company, invited_by=world.other_manager
    )
    services.cluster_invitation_decline(cluster_membership=cm, decided_by=world.editor)
    asked = services.cluster_membership_request(
        member=world.company, cluster=world.other_cluster, requested_by=world.editor
    )
    assert asked.pk == cm.pk and asked.status == Decision.PENDING and not asked.invited
    services.cluster_membership_approve(cluster_membership=asked, decided_by=world.other_manager)
    assert ClusterMembership.objects.get(pk=cm.pk).status == Decision.APPROVED


# --- roles and removal --------------------------------------------------------------------------


def _membership(world, user):
    return Membership.objects.get(organisation=world.company, user=user)


def test_the_last_administrator_can_be_neither_demoted_nor_removed(client, world):
    admin = _membership(world, world.editor)
    client.force_login(world.editor)
    url = reverse("organisations:membership_role", args=[world.company.slug, admin.pk])
    response = client.post(url, {"role": "editor"})
    assert response.status_code == 200
    assert "is the last administrator of Acme Cryo ApS" in response.content.decode()
    url = reverse("organisations:membership_remove", args=[world.company.slug, admin.pk])
    response = client.post(url, follow=True)
    assert "is the last administrator of Acme Cryo ApS" in response.content.decode()
    assert _membership(world, world.editor).role == "admin"
    assert not MembershipChange.objects.exists()


def test_an_administrator_promotes_then_demotes_with_a_record_and_a_mail(client, world, committed):
    writer = _membership(world, world.company_editor)
    client.force_login(world.editor)
    url = reverse("organisations:membership_role", args=[world.company.slug, writer.pk])
    page = client.get(url)  # the confirmation: nothing changes yet
    assert page.status_code == 200 and "Change the role of writer@acme.example" in (
        page.content.decode()
    )
    assert _membership(world, world.company_editor).role == "editor"
    with committed():
        assert client.post(url, {"role": "admin"}).status_code == 302
    assert _membership(world, world.company_editor).role == "admin"
    change = MembershipChange.objects.get()
    assert (change.role_before, change.role_after, change.changed_by) == (
        "editor",
        "admin",
        world.editor,
    )
    assert mail.outbox[-1].to == ["writer@acme.example"]
    assert "from Editor to Administrator" in mail.outbox[-1].body
    # two administrators now: the first may step down
    me = _membership(world, world.editor)
    url = reverse("organisations:membership_role", args=[world.company.slug, me.pk])
    assert client.post(url, {"role": "editor"}).status_code == 302
    assert _membership(world, world.editor).role == "editor"
    people = client.get(reverse("organisations:organisation_people", args=[world.company.slug]))
    assert people.status_code == 403  # no longer an administrator


def test_removing_a_member_asks_first_records_and_tells(client, world, committed):
    writer = _membership(world, world.company_editor)
    client.force_login(world.editor)
    url = reverse("organisations:membership_remove", args=[world.company.slug, writer.pk])
    page = client.get(url)
    assert "Remove writer@acme.example from Acme Cryo ApS?" in page.content.decode()
    assert Membership.objects.filter(pk=writer.pk).exists()
    with committed():
        assert client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=writer.pk).exists()
    change = MembershipChange.objects.get()
    assert change.action == "removed" and change.person_email == "writer@acme.example"
    assert mail.outbox[-1].subject.endswith("You were removed from Acme Cryo ApS")
    people = client.get(reverse("organisations:organisation_people", args=[world.company.slug]))
    assert "writer@acme.example" in people.content.decode()  # in the record of changes


def test_a_membership_of_another_organisation_is_not_found(client, world):
    theirs = Membership.objects.get(user=world.other_user)
    client.force_login(world.editor)
    url = reverse("organisations:membership_remove", args=[world.company.slug, theirs.pk])
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


def test_a_bad_role_is_refused_with_a_message(client, world):
    writer = _membership(world, world.company_editor)
    client.force_login(world.editor)
    url = reverse("organisations:membership_role", args=[world.company.slug, writer.pk])
    response = client.post(url, {"role": "owner\r\n" + "x" * 10000})
    assert response.status_code == 200 and response.context["form"].errors["role"]
    assert _membership(world, world.company_editor).role == "editor"


# --- requests to join an organisation nobody administers ---------------------------------------


def test_a_request_to_join_a_profile_nobody_keeps_goes_to_staff(client, hw, committed):
    world, org = hw["w"], hw["imported"]
    org.status = Organisation.Status.PUBLISHED
    org.save()
    client.force_login(world.other_user)
    with committed():
        client.post(reverse("organisations:join_request_create", args=[org.slug]), {"message": ""})
    jr = JoinRequest.objects.get(organisation=org)
    assert [m.to for m in mail.outbox] == [["staff@portal.example"]]
    assert "the portal staff decide" in mail.outbox[0].body
    client.force_login(world.staff)
    assert "user@other.example" in client.get(reverse("core:dashboard")).content.decode()
    with committed():
        response = client.post(
            reverse("organisations:join_request_decide", args=[jr.pk]), {"decision": "approve"}
        )
    assert response.status_code == 302
    assert Membership.objects.filter(organisation=org, user=world.other_user).exists()


# --- who took over each profile -----------------------------------------------------------------


def test_the_members_list_says_who_took_over_each_profile(client, hw):
    world = hw["w"]
    client.force_login(world.manager)
    body = client.get(
        reverse("organisations:cluster_members", args=[world.cluster.slug])
    ).content.decode()
    assert "Has 1 administrator" in body  # Acme
    assert "Nobody yet" in body  # NordCryo
    services.profile_claim(
        organisation=hw["imported"], user=hw["claimant"], email="anna@nordcryo.demo.example"
    )
    body = client.get(
        reverse("organisations:cluster_members", args=[world.cluster.slug])
    ).content.decode()
    assert "Claimed on" in body and "Nobody yet" not in body


# --- the permission matrix over every new view --------------------------------------------------


def _held(hw):
    w = hw["w"]
    hw["held"] = services.member_invitation_create(
        organisation=w.company,
        email="held@acme.example",
        role="editor",
        invited_by=w.manager,
        cluster=w.cluster,
    )


def _invited_cm(hw):
    w = hw["w"]
    hw["cm"] = services.cluster_invitation_create(
        cluster=w.other_cluster, member=w.company, invited_by=w.other_manager
    )


def _writer_pk(hw):
    return _membership(hw["w"], hw["w"].company_editor).pk


def _company_admins_and_staff(ok):
    """Only the company's administrators and staff get ``ok``; the others are refused."""
    return expect(
        anonymous=LOGIN,
        other_org=403,
        company_admin=ok,
        cluster_manager=403,
        other_manager=403,
        staff=ok,
    )


CASES = [
    Access(
        "claim page of a draft nobody keeps",
        "get",
        lambda hw: reverse("organisations:profile_claim", args=["nordcryo"]),
        expect(
            anonymous=LOGIN,
            other_org=404,
            company_admin=404,
            cluster_manager=200,
            other_manager=404,
            staff=200,
            claimant=200,
        ),
    ),
    Access(
        "claim a draft nobody keeps",
        "post",
        lambda hw: reverse("organisations:profile_claim", args=["nordcryo"]),
        expect(anonymous=LOGIN, other_org=404, company_admin=404, other_manager=404, claimant=302),
        data=lambda hw: {"email": "anna@nordcryo.demo.example"},
        effect=lambda hw: hw["imported"].memberships.exists(),
    ),
    Access(
        "claim page of a profile with people",
        "get",
        lambda hw: reverse("organisations:profile_claim", args=["acme-cryo"]),
        expect(
            anonymous=LOGIN,
            other_org=403,
            company_admin=403,
            cluster_manager=403,
            other_manager=403,
            staff=403,
            claimant=403,
        ),
    ),
    Access(
        "invite the people of a draft member",
        "post",
        lambda hw: reverse("organisations:member_invite", args=["nordcryo"]),
        expect(
            anonymous=LOGIN,
            other_org=404,
            company_admin=404,
            cluster_manager=302,
            other_manager=404,
            staff=403,
            claimant=404,
        ),
        data=lambda hw: {"email": "anna@nordcryo.demo.example"},
        effect=lambda hw: Invitation.objects.filter(organisation=hw["imported"]).exists(),
    ),
    Access(
        "invite the people of a published member",
        "get",
        lambda hw: reverse("organisations:member_invite", args=["acme-cryo"]),
        expect(
            anonymous=LOGIN,
            other_org=403,
            company_admin=403,
            cluster_manager=200,
            other_manager=403,
            staff=403,
        ),
    ),
    Access(
        "the confirmation of a held invitation",
        "get",
        lambda hw: reverse("organisations:held_invitation_decide", args=[hw["held"].pk]),
        expect(
            anonymous=LOGIN,
            other_org=404,
            company_admin=200,
            cluster_manager=404,
            other_manager=404,
            staff=200,
            claimant=404,
        ),
        setup=_held,
    ),
    Access(
        "approve a held invitation",
        "post",
        lambda hw: reverse("organisations:held_invitation_decide", args=[hw["held"].pk]),
        expect(
            anonymous=LOGIN,
            other_org=404,
            company_admin=302,
            cluster_manager=404,
            other_manager=404,
            staff=302,
        ),
        data=lambda hw: {"decision": "approve"},
        setup=_held,
        effect=lambda hw: Invitation.objects.get(pk=hw["held"].pk).is_open,
    ),
    Access(
        "the confirmation of a role change",
        "get",
        lambda hw: reverse("organisations:membership_role", args=["acme-cryo", _writer_pk(hw)]),
        _company_admins_and_staff(200),
    ),
    Access(
        "change a role",
        "post",
        lambda hw: reverse("organisations:membership_role", args=["acme-cryo", _writer_pk(hw)]),
        _company_admins_and_staff(302),
        data=lambda hw: {"role": "admin"},
        effect=lambda hw: _membership(hw["w"], hw["w"].company_editor).role == "admin",
    ),
    Access(
        "the confirmation of a removal",
        "get",
        lambda hw: reverse("organisations:membership_remove", args=["acme-cryo", _writer_pk(hw)]),
        _company_admins_and_staff(200),
    ),
    Access(
        "remove a member",
        "post",
        lambda hw: reverse("organisations:membership_remove", args=["acme-cryo", _writer_pk(hw)]),
        _company_admins_and_staff(302),
        setup=lambda hw: hw.setdefault("writer", _writer_pk(hw)),
        effect=lambda hw: not Membership.objects.filter(pk=hw["writer"]).exists(),
    ),
    Access(
        "a cluster invites a company",
        "post",
        lambda hw: reverse("organisations:cluster_invite", args=["nordic-cluster"]),
        expect(
            anonymous=LOGIN,
            other_org=403,
            company_admin=403,
            cluster_manager=302,
            other_manager=403,
            staff=302,
        ),
        data=lambda hw: {"member": hw["w"].other_company.pk},
        effect=lambda hw: ClusterMembership.objects.filter(
            cluster=hw["w"].cluster, member=hw["w"].other_company, invited=True
        ).exists(),
    ),
    Access(
        "a cluster's invitation, seen",
        "get",
        lambda hw: reverse("organisations:cluster_membership_decide", args=[hw["cm"].pk]),
        expect(
            anonymous=LOGIN,
            other_org=404,
            company_admin=200,
            cluster_manager=404,
            other_manager=200,
            staff=200,
        ),
        setup=_invited_cm,
    ),
    Access(
        "a cluster's invitation, accepted",
        "post",
        lambda hw: reverse("organisations:cluster_membership_decide", args=[hw["cm"].pk]),
        expect(
            anonymous=LOGIN,
            other_org=404,
            company_admin=302,
            cluster_manager=404,
            other_manager=403,
            staff=302,
        ),
        data=lambda hw: {"decision": "approve"},
        setup=_invited_cm,
        effect=lambda hw: ClusterMembership.objects.get(pk=hw["cm"].pk).status == Decision.APPROVED,
    ),
]


@pytest.mark.parametrize(("case", "role"), matrix(CASES, ROLES))
def test_access(client, hw, case, role):
    check_access(client, hw, case, role)


def test_the_cluster_manager_and_staff_cannot_claim_without_an_address_there(client, hw):
    for user in (hw["w"].manager, hw["w"].staff):
        client.force_login(user)
        url = reverse("organisations:profile_claim", args=["nordcryo"])
        page = client.get(url)
        assert "is not an address at nordcryo.demo.example" in page.content.decode()
        response = client.post(url, {"email": user.email})
        assert response.status_code == 200
    assert not hw["imported"].memberships.exists()


def test_the_manager_cannot_decide_the_clusters_own_invitation(hw):
    w = hw["w"]
    cm = services.cluster_invitation_create(
        cluster=w.other_cluster, member=w.company, invited_by=w.other_manager
    )
    with pytest.raises(ActionRefused, match="its administrators accept or decline"):
        services.cluster_membership_approve(cluster_membership=cm, decided_by=w.other_manager)
    assert ClusterMembership.objects.get(pk=cm.pk).status == Decision.PENDING


def test_the_profile_page_offers_the_claim_to_whom_it_concerns(client, hw):
    org = hw["imported"]
    org.status = Organisation.Status.PUBLISHED
    org.save()
    claim = reverse("organisations:profile_claim", args=[org.slug])
    client.force_login(hw["claimant"])
    assert claim in client.get(org.get_absolute_url()).content.decode()
    client.force_login(hw["w"].manager)  # the cluster's manager invites instead
    body = client.get(org.get_absolute_url()).content.decode()
    assert claim not in body
    assert reverse("organisations:member_invite", args=[org.slug]) in body
    client.force_login(hw["w"].editor)  # has an organisation of their own, no address there
    assert claim not in client.get(org.get_absolute_url()).content.decode()


def test_the_link_of_a_held_invitation_joins_nobody(client, hw):
    w = hw["w"]
    invitation = services.member_invitation_create(
        organisation=w.company,
        email="held@acme.example",
        role="admin",
        invited_by=w.manager,
        cluster=w.cluster,
    )
    user = UserFactory(email="held@acme.example")
    client.force_login(user)
    url = reverse("organisations:invitation_accept", args=[invitation.token])
    assert "waits for the approval" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 403
    assert not Membership.objects.filter(user=user).exists()
    with pytest.raises(ActionRefused, match="waits for the approval"):
        services.invitation_accept(invitation=invitation, user=user)


def test_the_claim_offer_reads_the_addresses_once_whatever_the_candidates(
    hw, django_assert_num_queries
):
    from organisations import selectors

    for n in range(3):
        OrganisationFactory(name=f"NordCryo Lab {n}", website="https://nordcryo.demo.example/")
    with django_assert_num_queries(2):  # the verified addresses, the candidates
        offered = selectors.claimable_profiles(hw["claimant"])
    assert len(offered) == 4
