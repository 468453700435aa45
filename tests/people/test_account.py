"""The person's own account: profile, mail preferences, their data, deletion, privacy."""

import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from bigscience_portal.core.mail import mail_queue
from bigscience_portal.core.models import MailDelivery, Notification
from people import personal_data
from people.models import PersonProfile
from tests.factories import (
    AlertDeliveryFactory,
    ClarificationFactory,
    ExpressionOfInterestFactory,
    FeedbackFactory,
    InvitationFactory,
    JoinRequestFactory,
    MatchForwardFactory,
    MembershipFactory,
    OrganisationFactory,
    RegistrationFactory,
    SavedSearchFactory,
    StaffFactory,
    SupplierInvitationFactory,
    UserFactory,
)
from tests.roles import LOGIN, Access, check_access, expect, matrix

pytestmark = pytest.mark.django_db

#: what a person with a full life on the portal has: one record of each kind
KINDS = {
    "auth.User",
    "account.EmailAddress",
    "core.MailDelivery",
    "core.Notification",
    "organisations.Organisation",
    "organisations.Membership",
    "organisations.Invitation",
    "organisations.JoinRequest",
    "tenders.ExpressionOfInterest",
    "tenders.Clarification",
    "tenders.SavedSearch",
    "matchmaking.Feedback",
    "matchmaking.SupplierInvitation",
    "matchmaking.MatchForward",
    "matchmaking.AlertSubscription",
    "matchmaking.AlertDelivery",
    "events.Registration",
    "people.PersonProfile",
}


def _person_with_everything():
    person = UserFactory(email="ana.person@nordcryo.demo.example", first_name="Ana")
    EmailAddress.objects.create(user=person, email="ana.private@example.org", verified=True)
    company = OrganisationFactory(email="ana.person@nordcryo.demo.example")
    MembershipFactory(user=person, organisation=company)
    InvitationFactory(email="ana.private@example.org")  # an invitation to one of her addresses
    InvitationFactory(invited_by=person, organisation=company)
    JoinRequestFactory(user=person)
    eoi = ExpressionOfInterestFactory(submitted_by=person, organisation=company)
    ClarificationFactory(asked_by=person)
    SavedSearchFactory(user=person)
    FeedbackFactory(user=person, company=company)
    SupplierInvitationFactory(invited_by=person)
    MatchForwardFactory(forwarded_by=person)
    AlertDeliveryFactory(subscription__user=person)
    RegistrationFactory(user=person)
    PersonProfile.objects.create(user=person, job_title="Cryogenics engineer", languages=["da"])
    mail_queue(key="tests.hello", to=person, subject="Hello", body="Hi", url="/me/")
    return person, company, eoi


def test_deletion_leaves_no_id_or_address_in_any_model_with_a_user_or_email_field(client):
    person, company, eoi = _person_with_everything()
    person_id, addresses = person.pk, personal_data.addresses_of(person)
    relations = personal_data.relations()
    labels = {r.model._meta.label for r in relations}
    # the introspection finds every app's models, this one's included
    assert {
        "auth.User",
        "core.MailDelivery",
        "events.Registration",
        "people.PersonProfile",
    } <= labels
    assert set(personal_data.collect(person)) >= KINDS

    client.force_login(person)
    response = client.post(reverse("people:account_delete"), {"email": person.email.upper()})
    assert response.status_code == 302

    held = []
    for relation in relations:
        manager = relation.model._default_manager
        if relation.kind == "user":
            if manager.filter(**{relation.field.attname: person_id}).exists():
                held.append(f"{relation.model._meta.label}.{relation.field.name}")
        else:
            for address in addresses:
                if manager.filter(**{f"{relation.field.name}__iexact": address}).exists():
                    held.append(f"{relation.model._meta.label}.{relation.field.name}={address}")
    assert held == []
    assert not get_user_model().objects.filter(pk=person_id).exists()
    # the organisation's records stay whole, without her: never orphaned
    eoi.refresh_from_db()
    assert eoi.submitted_by is None and eoi.organisation == company
    company.refresh_from_db()
    assert company.email == ""


def test_data_download_has_each_kind_of_record_in_json_and_csv(client):
    person, _company, _eoi = _person_with_everything()
    other = UserFactory()
    SavedSearchFactory(user=other, name="not hers")
    client.force_login(person)

    response = client.get(reverse("people:data_json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert set(data) >= KINDS
    assert "password" not in data["auth.User"][0]
    assert data["people.PersonProfile"][0]["job_title"] == "Cryogenics engineer"
    assert all(row["name"] != "not hers" for row in data["tenders.SavedSearch"])

    response = client.get(reverse("people:data_zip"))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {name.removesuffix(".csv") for name in archive.namelist()} >= KINDS
    assert "ana.person@nordcryo.demo.example" in archive.read("auth.User.csv").decode()


def test_deletion_asks_for_the_address_and_keeps_the_account_when_it_is_wrong(client):
    person = UserFactory()
    client.force_login(person)
    assert client.get(reverse("people:account_delete")).status_code == 200
    response = client.post(reverse("people:account_delete"), {"email": "someone@else.example"})
    assert response.status_code == 200
    assert "This is not the address of your account." in response.content.decode()
    assert get_user_model().objects.filter(pk=person.pk).exists()


def test_profile_saves_name_job_and_languages_and_refuses_line_breaks(client):
    person = UserFactory()
    client.force_login(person)
    url = reverse("people:account")
    data = {
        "profile-first_name": "Jonas",
        "profile-last_name": "Petraitis",
        "profile-job_title": "ILO\r\nBcc: x@example.org",
        "profile-languages": ["lt", "en"],
    }
    response = client.post(url, data)
    assert response.status_code == 200  # refused, shown again with the reason
    person.refresh_from_db()
    assert person.first_name != "Jonas"
    data["profile-job_title"] = "Industrial liaison officer"
    assert client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.get_full_name() == "Jonas Petraitis"
    assert person.person_profile.languages == ["lt", "en"]
    page = client.get(url).content.decode()
    assert "Industrial liaison officer" in page


def test_no_mail_preference_keeps_the_notification_and_sends_no_mail(
    client, django_capture_on_commit_callbacks
):
    person = UserFactory()
    client.force_login(person)
    client.post(
        reverse("people:account"), {"mail-mail_mode": "each", "mail-muted_topics": ["tenders"]}
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(key="tenders.question_answered:1", to=person, subject="Answered", body="A")
        mail_queue(key="events.reminder:1", to=person, subject="Reminder", body="R")
    assert [m.subject for m in mail.outbox] == ["[Big Science Portal] Reminder"]
    assert set(Notification.objects.filter(user=person).values_list("title", flat=True)) == {
        "Answered",
        "Reminder",
    }

    client.post(reverse("people:account"), {"mail-mail_mode": "none"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(key="events.reminder:2", to=person, subject="Another", body="R")
    assert mail.outbox == []
    assert not MailDelivery.objects.filter(key__startswith="events.reminder:2").exists()
    assert Notification.objects.filter(user=person, title="Another").exists()


def test_sign_up_asks_the_name(client):
    response = client.get(reverse("account_signup"))
    assert 'name="first_name"' in response.content.decode()
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.person@example.org",
            "first_name": "Marta",
            "last_name": "Ruiz",
            "password1": "A-long-password-2026",
            "password2": "A-long-password-2026",
        },
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(email="new.person@example.org").get_full_name() == (
        "Marta Ruiz"
    )


def test_privacy_page_says_what_is_kept_and_what_deletion_does(client):
    page = client.get(reverse("people:privacy")).content.decode()
    assert "What we keep" in page and "When you delete your account" in page


class World:
    def __init__(self):
        self.owner = UserFactory()
        SavedSearchFactory(user=self.owner, name="owner's search")
        self.users = {
            "anonymous": None,
            "other_org": MembershipFactory().user,
            "right_role": self.owner,
            "staff": StaffFactory(),
        }


@pytest.fixture
def world():
    return World()


def _own(status):
    return expect(anonymous=LOGIN, other_org=status, right_role=status, staff=status)


CASES = [
    Access("account", "get", lambda w: reverse("people:account"), _own(200)),
    Access("data json", "get", lambda w: reverse("people:data_json"), _own(200)),
    Access("data zip", "get", lambda w: reverse("people:data_zip"), _own(200)),
    Access("delete form", "get", lambda w: reverse("people:account_delete"), _own(200)),
    Access(
        "privacy",
        "get",
        lambda w: reverse("people:privacy"),
        expect(anonymous=200, other_org=200, right_role=200, staff=200),
    ),
]


@pytest.mark.parametrize(("case", "role"), matrix(CASES))
def test_access(client, world, case, role):
    response = check_access(client, world, case, role)
    if case.name == "data json" and role != "anonymous":
        # everyone gets their own data only: the owner's search is in the owner's download alone
        assert ("owner's search" in response.content.decode()) == (role == "right_role")


def test_nobody_can_delete_someone_else(client, world):
    """The form deletes the signed-in account only: nothing in the request names another."""
    client.force_login(world.users["other_org"])
    response = client.post(reverse("people:account_delete"), {"email": world.owner.email})
    assert response.status_code == 200
    assert "This is not the address of your account." in response.content.decode()
    assert get_user_model().objects.filter(pk=world.owner.pk).exists()
    assert get_user_model().objects.filter(pk=world.users["other_org"].pk).exists()


def test_a_deleted_account_frees_its_place_for_the_waiting_list(
    client, django_capture_on_commit_callbacks
):
    from events.models import Registration
    from tests.factories import EventFactory, RegistrationFactory

    event = EventFactory(capacity=1)
    leaving = RegistrationFactory(event=event)
    waiting = RegistrationFactory(
        event=event, status=Registration.Status.WAITLISTED, confirmed_at=None, waitlist_position=1
    )
    client.force_login(leaving.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:account_delete"), {"email": leaving.user.email})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert not Registration.objects.filter(pk=leaving.pk).exists()
    assert any(waiting.user.email in m.to for m in mail.outbox)  # told they have the place


def test_the_last_administrator_of_an_organisation_with_people_names_another_first(client):
    from organisations.models import Membership

    company = OrganisationFactory(name="NordCryo (demo)")
    admin = MembershipFactory(organisation=company, role=Membership.Role.ADMIN).user
    colleague = MembershipFactory(organisation=company, role=Membership.Role.EDITOR)
    client.force_login(admin)
    page = client.get(reverse("people:account_delete")).content.decode()
    assert "You are the only administrator of:" in page
    assert "1 other person stays" in page
    assert reverse("organisations:organisation_people", args=[company.slug]) in page

    response = client.post(reverse("people:account_delete"), {"email": admin.email})
    assert response.status_code == 200
    assert "You are the last administrator of NordCryo (demo), which has other people" in (
        response.content.decode()
    )
    assert get_user_model().objects.filter(pk=admin.pk).exists()

    # once the colleague is an administrator too, the account goes and the company keeps one
    colleague.role = Membership.Role.ADMIN
    colleague.save()
    response = client.post(reverse("people:account_delete"), {"email": admin.email})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=admin.pk).exists()
    assert list(company.memberships.values_list("role", flat=True)) == [Membership.Role.ADMIN]


def test_an_organisation_the_person_is_alone_in_keeps_its_profile_and_can_be_claimed(client):
    from organisations.models import Membership, Organisation

    company = OrganisationFactory(name="Solo Optics (demo)")
    alone = MembershipFactory(organisation=company, role=Membership.Role.ADMIN).user
    client.force_login(alone)
    page = client.get(reverse("people:account_delete")).content.decode()
    assert "Solo Optics (demo): you are its only person" in page
    response = client.post(reverse("people:account_delete"), {"email": alone.email})
    assert response.status_code == 302
    company = Organisation.objects.get(pk=company.pk)
    assert not company.memberships.exists()
    privacy = client.get(reverse("people:privacy")).content.decode()
    assert "An organisation is never left without an administrator while it has people" in privacy
