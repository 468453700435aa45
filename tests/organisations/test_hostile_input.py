"""Hostile input through the pages (issue 14, findings 7 and 9): one-line fields refuse line
breaks and control characters, free text has a length limit; both refused with a message and
nothing saved. Data stored before the rule (a name holding CR/LF) still never breaks a page or
a mail."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bigscience_portal.core.models import MailDelivery
from bigscience_portal.core.text import MAX_TEXT_LENGTH
from organisations.models import ContractReference, JoinRequest, Organisation, ProfileChange
from tests.factories import OrganisationFactory, UserFactory

from .helpers import profile_post

pytestmark = pytest.mark.django_db

ONE_LINE = "Write this on one line, without line breaks or control characters."
TOO_LONG = f"Ensure this value has at most {MAX_TEXT_LENGTH} characters"


def _errors(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("field", ["name", "acronym", "legal_name", "city"])
def test_registering_an_organisation_refuses_a_line_break_in_a_one_line_field(client, world, field):
    client.force_login(world.other_user)
    data = profile_post(world.company, name="Brand New ApS")
    data[field] = "Brand New ApS\r\nBcc: victim@example.org"
    response = client.post(reverse("organisations:organisation_create"), data)
    assert response.status_code == 200
    assert ONE_LINE in _errors(response)
    assert response.context["form"].errors[field]
    assert not Organisation.objects.filter(name__startswith="Brand New ApS").exists()


def test_editing_refuses_a_control_character_and_changes_nothing(client, world):
    client.force_login(world.editor)
    response = client.post(
        reverse("organisations:organisation_edit", args=[world.company.slug]),
        profile_post(world.company, city="Aarhus\x0bOdense"),
    )
    assert response.status_code == 200
    assert ONE_LINE in _errors(response)
    assert Organisation.objects.get(pk=world.company.pk).city == "Aarhus"
    assert not ProfileChange.objects.filter(organisation=world.company).exists()


def test_a_reference_client_is_one_line(client, world):
    client.force_login(world.editor)
    data = profile_post(world.company)
    data.update(
        {
            "references-TOTAL_FORMS": "1",
            "references-0-client_name": "CERN\nITER",
            "references-0-year": "2022",
            "references-0-value_band": "B",
            "references-0-description": "Two lines\nare fine here.",
        }
    )
    response = client.post(
        reverse("organisations:organisation_edit", args=[world.company.slug]), data
    )
    assert response.status_code == 200
    assert ONE_LINE in _errors(response)
    assert not ContractReference.objects.filter(organisation=world.company).exists()


@pytest.mark.parametrize("field", ["capabilities", "description"])
def test_a_text_longer_than_the_limit_is_refused_and_nothing_is_saved(client, world, field):
    """A 6 MB capabilities text took 19.7 s to save; the limit refuses it at once."""
    client.force_login(world.editor)
    before = Organisation.objects.get(pk=world.company.pk)
    response = client.post(
        reverse("organisations:organisation_edit", args=[world.company.slug]),
        profile_post(world.company, **{field: "x" * (MAX_TEXT_LENGTH + 1)}),
    )
    assert response.status_code == 200
    assert TOO_LONG in _errors(response)
    after = Organisation.objects.get(pk=world.company.pk)
    assert getattr(after, field) == getattr(before, field)
    assert not ProfileChange.objects.filter(organisation=world.company).exists()
    page = client.get(reverse("organisations:organisation_edit", args=[world.company.slug]))
    assert f'maxlength="{MAX_TEXT_LENGTH}"' in page.content.decode()


def test_a_text_at_the_limit_is_saved(client, world):
    client.force_login(world.editor)
    response = client.post(
        reverse("organisations:organisation_edit", args=[world.company.slug]),
        profile_post(world.company, capabilities="Changed capabilities " + "x" * 9000),
    )
    assert response.status_code == 302


def test_the_models_hold_the_same_limits_for_writes_without_a_form(world):
    """Services that write without a form (imports) call full_clean: the model refuses too."""
    org = Organisation.objects.get(pk=world.company.pk)
    org.capabilities = "x" * (MAX_TEXT_LENGTH + 1)
    org.name = "Line\r\nbreak"
    with pytest.raises(ValidationError) as refused:
        org.full_clean()
    assert set(refused.value.message_dict) >= {"capabilities", "name"}


def test_a_join_request_message_has_a_limit(client, world):
    client.force_login(world.other_user)
    response = client.post(
        reverse("organisations:join_request_create", args=[world.company.slug]),
        {"message": "x" * 2001},
    )
    assert response.status_code == 200
    assert "at most 2000 characters" in _errors(response)
    assert not JoinRequest.objects.exists()


def test_a_name_stored_with_a_line_break_never_breaks_a_page_or_a_mail(client, world, committed):
    """Created before the rule (or by the admin): joining it gave 500 (BadHeaderError)."""
    org = OrganisationFactory(name="Nord\r\nCryo", slug="nord-cryo")
    Organisation.objects.filter(pk=org.pk).update(name="Nord\r\nCryo\r\nBcc: x@evil.example")
    admin = UserFactory(email="admin@nordcryo.example")
    org.memberships.create(user=admin, role="admin")
    client.force_login(world.other_user)
    assert client.get(org.get_absolute_url()).status_code == 200
    assert client.get(reverse("organisations:organisation_list")).status_code == 200
    with committed():
        response = client.post(
            reverse("organisations:join_request_create", args=[org.slug]), {"message": "hi"}
        )
    assert response.status_code == 302
    delivery = MailDelivery.objects.get(key__startswith="organisations.join_request:")
    assert delivery.to == "admin@nordcryo.example"
    assert "\n" not in delivery.subject and "\r" not in delivery.subject
    assert delivery.status == MailDelivery.Status.SUCCEEDED
