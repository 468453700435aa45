"""organisations/forms.py: the profile form's rules (bounded logo uploads, codes that exist,
a size class that fits the employees) and the member sheet upload."""

import io
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from organisations.countries import EEA_COUNTRIES, EU_COUNTRIES
from organisations.forms import MAX_LOGO_BYTES, MemberImportForm, OrganisationForm
from organisations.models import Organisation
from tests.factories import InfrastructureFactory

from .helpers import profile_post


def _png(side: int) -> bytes:
    buf = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buf, "PNG")
    return buf.getvalue()


def test_logo_larger_than_the_limit_is_refused(world):
    data = _png(1200)  # random pixels do not compress: about 4 MB
    assert len(data) > MAX_LOGO_BYTES
    form = OrganisationForm(
        data=profile_post(world.company),
        files={"logo": SimpleUploadedFile("logo.png", data, content_type="image/png")},
        instance=world.company,
    )
    assert not form.is_valid()
    assert "logo" in form.errors


def test_small_logo_is_accepted(world):
    form = OrganisationForm(
        data=profile_post(world.company),
        files={"logo": SimpleUploadedFile("logo.png", _png(32), content_type="image/png")},
        instance=world.company,
    )
    assert form.is_valid(), form.errors


def test_unknown_cpv_codes_are_named_in_the_error(world):
    form = OrganisationForm(
        data=profile_post(world.company, cpv_codes="42123000, 12345678 99999999"),
        instance=world.company,
    )
    assert not form.is_valid()
    assert "12345678, 99999999" in form.errors["cpv_codes"][0]


def test_employees_and_size_class_must_agree(world):
    form = OrganisationForm(
        data=profile_post(world.company, employees="400", size_class="small"),
        instance=world.company,
    )
    assert not form.is_valid()
    assert "Large" in form.errors["size_class"][0]


def test_member_sheet_must_be_a_csv_or_xlsx_file():
    form = MemberImportForm(files={"file": SimpleUploadedFile("members.txt", b"name\nA\n")})
    assert not form.is_valid()
    assert form.errors["file"] == ["Upload a .csv or .xlsx file."]


# --- one form per kind (issue 18, finding 2) ---------------------------------------------------


def test_an_sme_profile_has_no_member_states_and_a_capitalised_website(client, world):
    form = OrganisationForm(instance=world.company)
    assert "member_states" not in form.fields
    assert form.fields["website"].label == "Website"
    client.force_login(world.editor)
    url = reverse("organisations:organisation_edit", args=[world.company.slug])
    page = client.get(url).content.decode()
    assert "Member or participating states" not in page
    assert ">Research infrastructures<" not in page
    assert "Technology domains" in page  # companies have them too
    assert ">Website<" in page and ">website<" not in page
    # saving without the field leaves nothing to lose
    assert client.post(url, profile_post(world.company)).status_code == 302


def test_an_infrastructure_profile_keeps_its_member_states(client, world):
    lab = InfrastructureFactory(name="Lab With States", member_states=["DK", "SE"])
    form = OrganisationForm(instance=lab)
    assert form.initial["member_states"] == ["DK", "SE"]
    html = str(form["member_states"])
    assert html.index("Member countries") < html.index("Afghanistan")


def test_registering_a_company_drops_member_states(world):
    data = profile_post(world.company, name="Brand New ApS", member_states=["DK"])
    form = OrganisationForm(data=data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["member_states"] == []


def test_a_country_no_longer_offered_stays_valid_on_its_profile(world):
    world.company.country = "AQ"
    world.company.save()
    form = OrganisationForm(data=profile_post(world.company), instance=world.company)
    assert form.is_valid(), form.errors
    assert 'value="AQ"' in str(form["country"])  # its own country is kept
    assert 'value="AQ"' not in str(OrganisationForm()["country"])  # not offered to others


# --- the member states' country picker -------------------------------------------------------


def _lab_with_admin(**kwargs):
    from organisations.models import Membership
    from tests.factories import MembershipFactory, UserFactory

    lab = InfrastructureFactory(name="Picker Lab", slug="picker-lab", country="SE", **kwargs)
    admin = UserFactory(email="admin@picker-lab.example")
    MembershipFactory(user=admin, organisation=lab, role=Membership.Role.ADMIN)
    return lab, admin


def test_an_infrastructure_edits_its_member_states_with_the_country_picker(client, world):
    lab, admin = _lab_with_admin(member_states=["DK"])
    client.force_login(admin)
    page = client.get(reverse("organisations:organisation_edit", args=[lab.slug])).content.decode()
    assert 'data-country-picker="member_states"' in page
    assert 'type="checkbox" class="form-check-input" name="member_states" value="DK"' in page
    assert 'name="member_states_preset"' in page
    assert 'value="any"' not in page  # an empty list of member states says "none recorded"
    for preset in ('value="eu">EU<', 'value="eea">EU/EEA<'):
        assert preset in page
    assert 'value="buyer"' not in page  # an infrastructure is not its own buyer


def test_a_preset_chosen_without_javascript_saves_its_member_states(client, world):
    lab, admin = _lab_with_admin(member_states=["DK"])
    client.force_login(admin)
    url = reverse("organisations:organisation_edit", args=[lab.slug])
    data = profile_post(lab, member_states=["US"], member_states_preset="eea")
    assert client.post(url, data).status_code == 302
    lab.refresh_from_db()
    assert [str(c) for c in lab.member_states] == sorted(EEA_COUNTRIES)
    # no preset: the ticked countries; a preset the form does not offer is ignored
    data = profile_post(lab, member_states=["US", "CH"], member_states_preset="buyer")
    assert client.post(url, data).status_code == 302
    lab.refresh_from_db()
    assert [str(c) for c in lab.member_states] == ["CH", "US"]


def test_registering_an_infrastructure_with_the_eu_preset(client, world):
    client.force_login(world.editor)
    data = profile_post(
        InfrastructureFactory.build(name="Brand New Source", country="SE"),
        member_states_preset="eu",
    )
    assert client.post(reverse("organisations:organisation_create"), data).status_code == 302
    lab = Organisation.objects.get(name="Brand New Source")
    assert [str(c) for c in lab.member_states] == sorted(EU_COUNTRIES)


def test_a_company_profile_ignores_a_member_states_preset(client, world):
    client.force_login(world.editor)
    url = reverse("organisations:organisation_edit", args=[world.company.slug])
    data = profile_post(world.company, member_states_preset="eu")
    assert client.post(url, data).status_code == 302
    world.company.refresh_from_db()
    assert not world.company.member_states
