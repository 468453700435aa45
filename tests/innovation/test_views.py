"""The pages as a visitor uses them: the public list found by TRL and CPV (expired offers not
listed, a bounded number of queries whatever the rows), an attachment refused on the form with
nothing saved, a proposal to a closed challenge refused with the reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from innovation import process
from innovation.models import OpportunityAttachment, PartnershipOpportunity, SolutionProposal
from organisations.countries import EEA_COUNTRIES, EU_COUNTRIES
from tests.factories import ChallengeFactory, InfrastructureFactory, OpportunityFactory

from .conftest import member

pytestmark = pytest.mark.django_db

LIST = reverse("innovation:opportunity_list")


def test_the_list_finds_offers_by_trl_and_cpv_and_hides_expired_ones(client):
    OpportunityFactory(title="Cryo valve TRL 6", trl=6, cpv_codes=["42131000"])
    OpportunityFactory(title="Cryo valve TRL 3", trl=3, cpv_codes=["42131000"])
    OpportunityFactory(title="RF amplifier TRL 7", trl=7, cpv_codes=["31670000"])
    OpportunityFactory(
        title="Lapsed valve",
        trl=8,
        cpv_codes=["42131000"],
        expires_on=timezone.localdate() - timedelta(days=1),
    )
    page = client.get(LIST, {"trl_min": "5", "cpv": "4213"}).content.decode()
    assert "Cryo valve TRL 6" in page
    for absent in ("Cryo valve TRL 3", "RF amplifier TRL 7", "Lapsed valve"):
        assert absent not in page
    assert "Lapsed valve" not in client.get(LIST).content.decode()


def test_hostile_filter_input_is_no_error(client):
    for params in ({"trl_min": "99"}, {"cpv": "<script>"}, {"q": "x" * 5000}, {"trl_min": "1e9"}):
        assert client.get(LIST, params).status_code == 200


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_makes_the_same_number_of_queries_for_more_rows(client):
    OpportunityFactory(cpv_codes=["42131000"])
    few = _queries(client, LIST)
    for _ in range(8):
        OpportunityFactory(cpv_codes=["42131000", "31670000"])
    assert _queries(client, LIST) <= few


def test_an_oversized_attachment_on_the_form_saves_nothing(client, tto, tto_editor):
    client.force_login(tto_editor)
    big = SimpleUploadedFile("flyer.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024 + 10))
    response = client.post(
        reverse("innovation:opportunity_create"),
        {
            "organisation": tto.pk,
            "kind": PartnershipOpportunity.Kind.TECHNOLOGY_OFFER,
            "title": "Superconducting cavity coating",
            "summary": "Niobium-tin coating.",
            "description": "A coating process for SRF cavities.",
            "visibility": PartnershipOpportunity.Visibility.PUBLIC,
            "attachment": big,
        },
    )
    assert response.status_code == 200
    assert "larger than 5 MB" in response.content.decode()
    assert not PartnershipOpportunity.objects.exists()
    assert not OpportunityAttachment.objects.exists()


def test_a_script_disguised_as_a_pdf_is_refused_on_the_form(client, tto, tto_editor):
    offer = OpportunityFactory(organisation=tto)
    client.force_login(tto_editor)
    response = client.post(
        reverse("innovation:attachment_add", kwargs={"pk": offer.pk}),
        {"attachment": SimpleUploadedFile("flyer.pdf", b"<script>alert(1)</script>")},
    )
    assert response.status_code == 200
    assert not offer.attachments.exists()


def test_a_proposal_to_a_closed_challenge_is_refused_with_the_reason(
    client, municipality, company, company_user
):
    challenge = ChallengeFactory(owner=municipality, stage=process.SELECTION)
    client.force_login(company_user)
    url = reverse("innovation:proposal_create", kwargs={"slug": challenge.slug})
    response = client.post(
        url,
        {"lead": company.pk, "title": "Late", "summary": "Late.", "approach": "Late."},
        follow=True,
    )
    assert "closed to proposals: it is at the selection stage" in response.content.decode()
    assert not SolutionProposal.objects.exists()


def _chips(body: str) -> dict[str, str]:
    """{code: label} of the code chips of a page (``{% codes %}``)."""
    import re

    return dict(
        re.findall(
            r'<span class="code-item-code">([\w.]+)</span> <span class="code-item-label">· ([^<]*)<',
            body,
        )
    )


def test_opportunities_and_challenges_show_each_code_with_its_label_in_danish(client):
    from organisations.models import CPVCode, NACECode

    codes = ["42131000", "31670000"]
    danish = {c.code: c.labels["da"] for c in CPVCode.objects.filter(code__in=codes)}
    opportunity = OpportunityFactory(cpv_codes=codes)
    opportunity.nace_codes.set(["28.25"])
    challenge = ChallengeFactory()
    challenge.cpv_codes.set(codes)
    client.cookies["django_language"] = "da"
    assert _chips(client.get(LIST).content.decode()) == danish
    assert _chips(client.get(opportunity.get_absolute_url()).content.decode()) == {
        **danish,
        "28.25": NACECode.objects.get(pk="28.25").label,
    }
    assert _chips(client.get(challenge.get_absolute_url()).content.decode()) == danish


# --- the target countries' country picker ------------------------------------------------------


def _offer(organisation, **extra) -> dict:
    return {
        "organisation": organisation.pk,
        "kind": PartnershipOpportunity.Kind.TECHNOLOGY_OFFER,
        "title": "Cryogenic valve licensing",
        "summary": "A valve design to license.",
        "description": "A cryogenic valve design, tested at 2 K.",
        "visibility": PartnershipOpportunity.Visibility.PUBLIC,
        **extra,
    }


def test_an_infrastructures_opportunity_offers_its_member_states_as_a_preset(client):
    lab = InfrastructureFactory(name="Picker Source", member_states=["DK", "SE"])
    client.force_login(member(lab))
    url = reverse("innovation:opportunity_create")
    page = client.get(url).content.decode()
    assert 'data-country-picker="target_countries"' in page
    assert 'type="checkbox" class="form-check-input" name="target_countries" value="SE"' in page
    assert "The organisation&#x27;s member states" in page
    assert client.post(url, _offer(lab, target_countries_preset="buyer")).status_code == 302
    offer = PartnershipOpportunity.objects.get()
    assert [str(c) for c in offer.target_countries] == ["DK", "SE"]


def test_a_universitys_opportunity_saves_a_preset_chosen_without_javascript(
    client, tto, tto_editor
):
    client.force_login(tto_editor)
    url = reverse("innovation:opportunity_create")
    page = client.get(url).content.decode()
    assert "The organisation&#x27;s member states" not in page  # not an infrastructure
    data = _offer(tto, target_countries=["US"], target_countries_preset="eu")
    assert client.post(url, data).status_code == 302
    offer = PartnershipOpportunity.objects.get()
    assert [str(c) for c in offer.target_countries] == sorted(EU_COUNTRIES)
    edit = reverse("innovation:opportunity_edit", kwargs={"pk": offer.pk})
    assert 'value="AT" id="id_target_countries_0_0" checked' in client.get(edit).content.decode()
    data = _offer(tto, target_countries=["US"], target_countries_preset="eea")
    assert client.post(edit, data).status_code == 302
    offer.refresh_from_db()
    assert [str(c) for c in offer.target_countries] == sorted(EEA_COUNTRIES)
    assert client.post(edit, _offer(tto, target_countries=["US"])).status_code == 302
    offer.refresh_from_db()
    assert [str(c) for c in offer.target_countries] == ["US"]
