"""Invitations (issue 14, finding 3): whoever held the link joined, and a link opened while
signed out joined whichever account logged in next, silently. Now only an account holding the
invited address, verified, joins, after a confirmation page; log-in only leads back to it."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from organisations import services
from organisations.models import Invitation, Membership
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

OTHER_ADDRESS = (
    "This invitation was sent to another e-mail address. Log in with that address, or add and "
    "verify it in your account."
)


@pytest.fixture
def invitation(world):
    """NordCryo's administrator invites an administrator (what the probe took over)."""
    return services.invitation_create(
        organisation=world.company,
        email="invitee@example.org",
        role="admin",
        invited_by=world.editor,
    )


def _url(invitation) -> str:
    return reverse("organisations:invitation_accept", args=[invitation.token])


def _log_in(client, email, next_url):
    return client.post(
        reverse("account_login"), {"login": email, "password": PASSWORD, "next": next_url}
    )


def _members(world, user) -> bool:
    return Membership.objects.filter(user=user, organisation=world.company).exists()


def test_another_account_is_refused_without_learning_the_invited_address(client, world, invitation):
    """The probe: a user accepted an invitation addressed to someone else, became admin."""
    intruder = UserFactory(email="intruder@evil.example")
    client.force_login(intruder)
    page = client.get(_url(invitation))
    assert page.status_code == 200
    body = page.content.decode()
    assert OTHER_ADDRESS in body
    assert "invitee@example.org" not in body and "Join Acme Cryo ApS</button>" not in body
    response = client.post(_url(invitation))
    assert response.status_code == 403
    assert OTHER_ADDRESS in response.content.decode()
    assert not _members(world, intruder)
    assert Invitation.objects.get(pk=invitation.pk).is_open


def test_a_link_opened_signed_out_leads_to_log_in_and_back_but_joins_nobody(
    client, world, invitation
):
    """A link opened while signed out joined whichever account logged in next, silently."""
    page = client.get(_url(invitation)).content.decode()
    assert f"{reverse('account_login')}?next=/organisations/invitations/" in page
    assert "Sign up" in page and "invitee@example.org" not in page
    intruder = UserFactory(email="next.user@example.org")
    response = _log_in(client, "next.user@example.org", _url(invitation))
    assert response.status_code == 302 and response["Location"] == _url(invitation)
    assert not _members(world, intruder)
    assert OTHER_ADDRESS in client.get(_url(invitation)).content.decode()
    # the invitee logs in the same way: back on the confirmation page, not a member yet
    client.logout()
    invitee = UserFactory(email="invitee@example.org")
    response = _log_in(client, "invitee@example.org", _url(invitation))
    assert response["Location"] == _url(invitation)
    assert not _members(world, invitee)
    page = client.get(_url(invitation)).content.decode()
    assert "Joining Acme Cryo ApS as Administrator means" in page
    assert "invite people and decide who else may join" in page
    assert "Join Acme Cryo ApS</button>" in page


def test_the_invited_address_joins_after_confirming(client, world, invitation, committed):
    invitee = UserFactory(email="Invitee@Example.org")  # the same address, in other case
    client.force_login(invitee)
    with committed():
        response = client.post(_url(invitation))
    assert response.status_code == 302 and response["Location"] == world.company.get_absolute_url()
    assert Membership.objects.get(user=invitee, organisation=world.company).role == "admin"
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee and not invitation.is_open
    assert mail.outbox[-1].to == ["editor@acme.example"]
    assert "joined Acme Cryo ApS" in mail.outbox[-1].subject


def test_an_unverified_invited_address_is_verified_first(client, world, invitation):
    invitee = UserFactory(email="invitee@example.org")
    EmailAddress.objects.filter(user=invitee).update(verified=False)
    client.force_login(invitee)
    response = client.post(_url(invitation))
    assert response.status_code == 403
    assert "which is not verified yet" in response.content.decode()
    assert not _members(world, invitee)
    EmailAddress.objects.filter(user=invitee).update(verified=True)
    assert client.post(_url(invitation)).status_code == 302
    assert _members(world, invitee)


def test_a_verified_second_address_of_the_account_counts(client, world, invitation):
    user = UserFactory(email="work@acme.example")
    EmailAddress.objects.create(user=user, email="invitee@example.org", verified=True)
    client.force_login(user)
    assert client.post(_url(invitation)).status_code == 302
    assert _members(world, user)


def test_the_service_refuses_another_account_too(world, invitation):
    from bigscience_portal.core.errors import ActionRefused

    with pytest.raises(ActionRefused, match="sent to another e-mail address"):
        services.invitation_accept(invitation=invitation, user=UserFactory())


def test_a_new_person_signs_up_verifies_and_comes_back_to_confirm(client, world, committed):
    invitation = services.invitation_create(
        organisation=world.company,
        email="fresh@example.org",
        role="editor",
        invited_by=world.editor,
    )
    url = _url(invitation)
    password = "Very-Long-Pass-2026!"
    with committed():
        client.post(
            f"{reverse('account_signup')}?next={url}",
            {
                "email": "fresh@example.org",
                "first_name": "Fresh",
                "last_name": "Person",
                "password1": password,
                "password2": password,
                "next": url,
            },
        )
    body = next(m for m in reversed(mail.outbox) if m.to == ["fresh@example.org"]).body
    confirm = "/" + re.search(r"://[^/\s]+/(\S*confirm-email/\S+)", body).group(1)
    response = client.post(confirm)
    assert response.status_code == 302 and response["Location"] == url  # back, signed in
    assert not Membership.objects.filter(
        organisation=world.company, user__email="fresh@example.org"
    ).exists()
    assert "Join Acme Cryo ApS</button>" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert Membership.objects.filter(
        organisation=world.company, user__email="fresh@example.org"
    ).exists()
