"""References of past contracts on the profile form (issue 12): the client picked from the
directory's research infrastructures (or named in words when it is not there), the reference's
CPV codes and year, and what matchmaking makes of them ("you have worked for this
infrastructure before" fires for a reference typed on the form)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import Approval, ContractReference, Organisation
from tests.factories import (
    ContractReferenceFactory,
    InfrastructureFactory,
    ProcurementCallFactory,
)

from .helpers import profile_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def cern(db):
    return InfrastructureFactory(name="CERN", slug="cern-ref", acronym="CERN", country="CH")


def _edit_url(org):
    return reverse("organisations:organisation_edit", args=[org.slug])


def _post_reference(http, world, **reference):
    data = profile_post(world.company)
    data["references-TOTAL_FORMS"] = "1"
    data.update({f"references-0-{k}": v for k, v in reference.items()})
    http.force_login(world.editor)
    return http.post(_edit_url(world.company), data)


def test_the_form_offers_the_directorys_infrastructures_and_the_references_codes(
    client, world, cern
):
    pending = InfrastructureFactory(name="Waiting Lab", approval=Approval.PENDING)
    draft = InfrastructureFactory(name="Draft Lab", status=Organisation.Status.DRAFT)
    client.force_login(world.editor)
    html = client.get(_edit_url(world.company)).content.decode()
    assert 'name="references-0-client"' in html
    assert f'<option value="{cern.pk}">CERN</option>' in html
    # only infrastructures that may act are offered: not one waiting for staff, not a draft,
    # not a company
    for other in (pending, draft, world.other_company):
        assert f'<option value="{other.pk}"' not in html
    assert "Not in the directory: name it below" in html
    assert 'name="references-0-cpv_codes"' in html and 'name="references-0-year"' in html


def test_a_reference_picked_from_the_directory_keeps_its_client_codes_and_year(client, world, cern):
    response = _post_reference(
        client,
        world,
        client=str(cern.pk),
        client_name="",
        year="2023",
        value_band="B",
        cpv_codes="42123000 31711420-1",
        description="Helium transfer line for a test stand.",
    )
    assert response.status_code == 302
    ref = ContractReference.objects.get(organisation=world.company)
    assert ref.client == cern
    assert ref.client_name == "CERN"  # filled from the directory
    assert ref.year == 2023
    assert set(ref.cpv_codes.values_list("code", flat=True)) == {"42123000", "31711420"}


def test_a_client_outside_the_directory_is_named_in_words(client, world):
    response = _post_reference(
        client, world, client="", client_name="Aarhus University", year="2020",
        description="Cryostat.",
    )  # fmt: skip
    assert response.status_code == 302
    ref = ContractReference.objects.get(organisation=world.company)
    assert (ref.client, ref.client_name) == (None, "Aarhus University")


def test_a_reference_without_any_client_is_refused_and_nothing_is_lost(client, world):
    response = _post_reference(
        client, world, client="", client_name="", year="2020", description="Cryostat."
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pick the client from the directory or type its name." in html
    assert "Cryostat." in html  # what was typed is shown again
    assert not ContractReference.objects.filter(organisation=world.company).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("client", "company", "Select a valid choice"),
        ("client", "99999999999999999999", "Select a valid choice"),
        ("client", "<script>alert(1)</script>", "Select a valid choice"),
        ("cpv_codes", "99999999", "Unknown CPV codes: 99999999"),
        ("year", "1e308", "Enter a whole number."),
        ("year", "2999", "Enter a year between 1950 and this year."),
    ],
)
def test_hostile_or_wrong_reference_input_is_refused_with_a_message(
    client, world, cern, field, value, message
):
    reference = {"client": str(cern.pk), "year": "2021", "description": "Cryostat."}
    reference[field] = str(world.other_company.pk) if value == "company" else value
    response = _post_reference(client, world, **reference)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ContractReference.objects.filter(organisation=world.company).exists()


def test_an_untouched_extra_reference_form_asks_for_nothing(client, world):
    """The empty extra form of the formset, as a browser posts it (every field empty)."""
    response = _post_reference(
        client, world, client="", client_name="", year="", value_band="", cpv_codes="",
        description="",
    )  # fmt: skip
    assert response.status_code == 302
    assert not ContractReference.objects.filter(organisation=world.company).exists()


# --------------------------------------------------------------------------- matchmaking
def test_the_loader_passes_client_codes_and_year_to_the_engine(client, world, cern):
    from matchmaking import loaders

    _post_reference(
        client, world, client=str(cern.pk), client_name="", year="2023",
        cpv_codes="42123000", description="Transfer line.",
    )  # fmt: skip
    # a client typed in words that names an infrastructure of the directory is that one
    typed = ContractReference.objects.create(
        organisation=world.company, client_name="cern", year=2015, description="Old cryostat."
    )
    (profile,) = loaders.load_companies(ids=[world.company.pk])
    refs = sorted(profile.references, key=lambda r: r.year or 0)
    assert [(r.client_id, r.cpv_codes, r.year) for r in refs] == [
        (cern.pk, (), 2015),
        (cern.pk, ("42123000",), 2023),
    ]
    assert typed.client is None  # the row keeps what was typed


def test_a_typed_reference_with_the_buyer_is_a_reason_to_the_company(
    client, world, cern, django_capture_on_commit_callbacks
):
    from matchmaking import reasons, services
    from matchmaking.models import Match

    call = ProcurementCallFactory(
        buyer=cern,
        title="Vacuum-insulated cryogenic transfer lines",
        description="Helium transfer lines, vacuum insulated, for the magnet test hall.",
        main_cpv_id="42123000",
    )
    services.recompute_all_inline()
    before = Match.objects.filter(company=world.company, call=call).first()
    assert before is None or not any(
        "worked for this infrastructure" in r
        for r in reasons.match_reasons(before, audience="company")
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_reference(
            client, world, client=str(cern.pk), client_name="", year="2024",
            cpv_codes="42123000", description="Transfer line for the magnet test hall.",
        )  # fmt: skip
    assert response.status_code == 302
    services.recompute_all_inline()
    match = Match.objects.select_related("company", "call").get(company=world.company, call=call)
    assert "you have worked for this infrastructure before" in reasons.match_reasons(
        match, audience="company"
    )
    assert "Acme Cryo ApS has worked for your infrastructure before" in reasons.match_reasons(
        match, audience="officer"
    )
    assert before is None or match.score > before.score


def test_the_edit_page_reads_the_references_clients_and_codes_once(client, world, cern):
    """The client choices and the references' CPV codes are read once for the whole formset,
    not once per reference row (a profile holds up to 30 references)."""
    client.force_login(world.editor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_edit_url(world.company)).status_code == 200
        return len(ctx.captured_queries)

    ContractReferenceFactory(organisation=world.company, client=cern)
    one = queries()
    for _ in range(3):
        ContractReferenceFactory(organisation=world.company, client=cern)
    assert queries() == one
